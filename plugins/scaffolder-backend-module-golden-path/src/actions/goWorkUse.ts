import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import {
  ConfinedRoot,
  readFileNoFollow,
  workspaceResolver,
  writeConfinedFile,
} from '@golden-path/plugin-golden-path-node';
import { addGoWorkUse } from '../lib/addGoWorkUse';
import { withFileLock } from '../lib/fileLock';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { examples } from './goWorkUse.examples';

const MODULE_DIR = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/**
 * `golden-path:go:work-use`: adds a module directory to go.work (as `go work
 * use` would, without running go), in the task workspace or in a monorepo
 * published under the local root.
 */
export function createGoWorkUseAction(deps: { settings: GoldenPathSettings }) {
  return createTemplateAction({
    id: 'golden-path:go:work-use',
    description:
      'Adds a module directory to the go.work of a monorepo (like go work use, editing the file without running go): in the task workspace, or in a monorepo published under the local root',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        dir: z =>
          z
            .string()
            .describe(
              'Module directory relative to go.work, e.g. services/order-service',
            ),
        workspacePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory of go.work in the task workspace (default: the root)',
            ),
        localPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Instead: the monorepo directory under the local publish root',
            ),
      },
      output: {
        changed: z =>
          z.boolean().describe('False when the directory was already used'),
      },
    },
    async handler(ctx) {
      const dir = ctx.input.dir.replace(/^\.\//, '').replace(/\/+$/, '');
      if (!MODULE_DIR.test(dir) || dir.split('/').includes('..')) {
        throw new InputError(
          `dir "${ctx.input.dir}" must be a relative module directory, e.g. services/order-service`,
        );
      }
      let root: ConfinedRoot;
      let base: string;
      if (ctx.input.localPath) {
        if (ctx.isDryRun) {
          ctx.logger.info(
            `dry run: go.work of ${ctx.input.localPath} is updated when the template runs`,
          );
          ctx.output('changed', false);
          return;
        }
        const local = resolveUnderLocalRoot(
          deps.settings.localRoots,
          ctx.input.localPath,
          'localPath',
        );
        root = local.local;
        base = local.target;
      } else {
        root = workspaceResolver(ctx.workspacePath);
        base = root.entry(ctx.input.workspacePath ?? '.', {
          label: 'workspacePath',
        }).realPath;
      }
      // go.work is read and written without following a symlink: a monorepo's
      // content is not trusted to point only where it should.
      const goWork = root.entryAt(base, 'go.work', {
        label: 'go.work',
        forWrite: true,
        symlinks: 'refuse',
      });
      if (!goWork.stats)
        throw new InputError(
          `no go.work in ${
            ctx.input.localPath ?? ctx.input.workspacePath ?? '.'
          }`,
        );
      // Through the primitive: a module directory linked out is refused, not probed.
      const goMod = root.entryAt(base, `${dir}/go.mod`, { label: 'dir' });
      if (!goMod.stats?.isFile()) {
        throw new InputError(
          `${dir} holds no go.mod: publish the module before adding it to go.work`,
        );
      }
      // Other tasks, on this replica or another on the same shared root, may
      // add their module at the same time: one read-modify-write at a time.
      const changed = await withFileLock(goWork.path, () => {
        const current = readFileNoFollow(goWork.path, 'go.work');
        const added = addGoWorkUse(current.content.toString('utf8'), dir);
        if (added.changed)
          writeConfinedFile(root, goWork.path, added.text, {
            label: 'go.work',
            mode: current.mode,
          });
        return added.changed;
      });
      ctx.logger.info(
        changed ? `go.work now uses ./${dir}` : `go.work already uses ./${dir}`,
      );
      ctx.output('changed', changed);
    },
  });
}
