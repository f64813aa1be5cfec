import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { resolveWorkspacePath } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { filesOutput } from '../lib/schemas';
import { examples } from './publishLocal.examples';

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const abs = path.join(dir, e.name);
      if (e.isSymbolicLink()) {
        throw new InputError(`the workspace holds a symlink (${path.relative(root, abs)}); local publish copies files only`);
      }
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push(path.relative(root, abs));
    }
  };
  walk(root);
  return out.sort();
}

/** `golden-path:publish:local`: writes the workspace to a directory under an allow-listed root. */
export function createPublishLocalAction(deps: { settings: GoldenPathSettings }) {
  return createTemplateAction({
    id: 'golden-path:publish:local',
    description:
      'Publishes the workspace to a local directory under the root allow-listed in goldenPath.publish.local.allowedRoots (for local use and tests); plans every write before writing anything',
    examples,
    schema: {
      input: {
        path: z => z.string().describe('Target directory, relative to the local publish root (e.g. shop-platform)'),
        sourcePath: z => z.string().optional().describe('Part of the workspace to publish (default: all of it)'),
        mode: z =>
          z
            .enum(['create', 'merge'])
            .optional()
            .describe('create (default): the target must not exist or be empty; merge: add to an existing directory'),
        allowOverwrite: z =>
          z.array(z.string()).optional().describe('In merge mode, existing files (relative paths) that may be replaced'),
      },
      output: {
        targetPath: z => z.string().describe('Absolute path of the published directory'),
        url: z => z.string().describe('file:// URL of the published directory'),
        catalogInfoUrl: z => z.string().describe('file:// URL of its catalog-info.yaml'),
        filesWritten: filesOutput,
      },
    },
    async handler(ctx) {
      const { root, target } = resolveUnderLocalRoot(deps.settings.localRoots, ctx.input.path);
      const source = resolveWorkspacePath(ctx.workspacePath, ctx.input.sourcePath ?? '.', { label: 'sourcePath' });
      const mode = ctx.input.mode ?? 'create';
      const files = listFiles(source);
      const exists = fs.existsSync(target);
      if (mode === 'create' && exists && fs.readdirSync(target).length) {
        throw new InputError(`${target} already exists and is not empty; choose another directory name`);
      }
      if (mode === 'merge') {
        if (!exists) throw new InputError(`${target} does not exist: nothing to merge into`);
        const allowed = new Set(ctx.input.allowOverwrite ?? []);
        const clash = files.find(f => fs.existsSync(path.join(target, f)) && !allowed.has(f));
        if (clash) throw new InputError(`${clash} already exists in ${target}; refusing to overwrite it`);
      }
      for (const f of files) {
        const dest = path.join(target, f);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        const realDir = fs.realpathSync(path.dirname(dest));
        if (realDir !== root && !realDir.startsWith(root + path.sep)) {
          throw new InputError(`${f} would be written outside the local publish root through a symlink`);
        }
        const destStat = fs.existsSync(dest) ? fs.lstatSync(dest) : undefined;
        if (destStat?.isSymbolicLink()) throw new InputError(`${f} is a symlink in ${target}; refusing to write through it`);
        fs.copyFileSync(path.join(source, f), dest);
        fs.chmodSync(dest, fs.statSync(path.join(source, f)).mode & 0o777);
      }
      ctx.logger.info(`published ${files.length} file(s) to ${target}`);
      ctx.output('targetPath', target);
      ctx.output('url', `file://${target}`);
      ctx.output('catalogInfoUrl', `file://${path.join(target, 'catalog-info.yaml')}`);
      ctx.output('filesWritten', files);
    },
  });
}
