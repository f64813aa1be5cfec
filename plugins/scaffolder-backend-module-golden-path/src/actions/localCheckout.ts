import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import { copyConfinedFile } from '@golden-path/plugin-golden-path-node';
import { DEFAULT_TREE_LIMITS, listTreeFiles } from '../lib/fileTree';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { filesOutput } from '../lib/schemas';
import { workspaceOf } from '../lib/toolStep';
import { examples } from './localCheckout.examples';

/**
 * `golden-path:local:checkout`: copies parts of a monorepo published under the
 * local root into the task workspace, the local counterpart of fetch:plain
 * for day-2 templates. Reads only below the allow-listed roots.
 */
export function createLocalCheckoutAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'golden-path:local:checkout',
    description:
      'Copies files and directories of a monorepo published under the local root (goldenPath.publish.local.allowedRoots) into the task workspace, for templates that change an existing service; refuses symlinks and anything outside the root',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        localPath: z =>
          z
            .string()
            .describe(
              'The monorepo directory under the local publish root, e.g. shop',
            ),
        paths: z =>
          z
            .array(z.string())
            .min(1)
            .max(50)
            .describe(
              'Files or directories of the monorepo to copy, e.g. services/order-service, api/proto',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory to copy them into, keeping their paths (default: the root)',
            ),
      },
      output: {
        sourcePath: z =>
          z.string().describe('Absolute path of the monorepo directory read'),
        files: filesOutput,
      },
    },
    async handler(ctx) {
      const { target: monorepo } = resolveUnderLocalRoot(
        deps.settings.localRoots,
        ctx.input.localPath,
        'localPath',
      );
      if (!fs.statSync(monorepo, { throwIfNoEntry: false })?.isDirectory()) {
        throw new InputError(
          `localPath "${ctx.input.localPath}" does not exist under the local publish root`,
        );
      }
      const resolver = workspaceOf(ctx);
      const targetRel = ctx.input.targetPath ?? '.';
      const target = resolver.entry(targetRel, {
        label: 'targetPath',
        forWrite: true,
      }).path;

      // Plan every copy (reads and path checks) before writing one.
      const copies: { from: string; to: string; file: string }[] = [];
      let total = 0;
      for (const p of [...new Set(ctx.input.paths)]) {
        const { target: source } = resolveUnderLocalRoot(
          deps.settings.localRoots,
          `${ctx.input.localPath}/${p.replace(/\/+$/, '')}`,
          'paths',
        );
        if (!fs.existsSync(source)) {
          throw new InputError(
            `${p} was not found in ${ctx.input.localPath} (under the local publish root)`,
          );
        }
        if (
          source !== path.join(monorepo, ...p.replace(/\/+$/, '').split('/'))
        ) {
          throw new InputError(
            `paths: ${p} goes through a symlink in ${ctx.input.localPath}; only regular files and directories are copied`,
          );
        }
        const found = listTreeFiles(
          source,
          monorepo,
          `${ctx.input.localPath}/${p}`,
        );
        total += found.length;
        if (total > DEFAULT_TREE_LIMITS.maxFiles) {
          throw new InputError(
            `paths hold more than ${DEFAULT_TREE_LIMITS.maxFiles} files; refusing to copy them`,
          );
        }
        for (const file of found) {
          copies.push({
            from: path.join(monorepo, ...file.split('/')),
            to: resolver.entryAt(target, file, { label: file, forWrite: true })
              .path,
            file,
          });
        }
      }
      for (const c of copies) {
        if (fs.lstatSync(c.to, { throwIfNoEntry: false })) {
          throw new InputError(
            `${path.relative(
              resolver.root,
              c.to,
            )} already exists in the workspace; check out into an empty directory`,
          );
        }
      }
      for (const c of copies)
        copyConfinedFile(resolver, c.from, c.to, 'checkout destination');
      ctx.logger.info(
        `copied ${copies.length} file(s) of ${ctx.input.localPath} into ${targetRel}`,
      );
      ctx.output('sourcePath', monorepo);
      ctx.output(
        'files',
        copies.map(c =>
          path.relative(resolver.root, c.to).split(path.sep).join('/'),
        ),
      );
    },
  });
}
