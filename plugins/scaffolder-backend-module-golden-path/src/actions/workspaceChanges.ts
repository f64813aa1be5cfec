import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import fs from 'node:fs';
import {
  copyConfinedFile,
  isUnder,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import { listTreeFiles } from '../lib/fileTree';
import { workspaceOf } from '../lib/toolStep';
import { examples } from './workspaceChanges.examples';

// Directory names, a dotfile among them (a monorepo's .github), never .git.
const PATH =
  /^\.?[A-Za-z0-9_][A-Za-z0-9._-]*(\/\.?[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

/**
 * `golden-path:workspace:changes`: the files that differ between two trees of
 * the workspace (a checkout and the result of a day-2 change), optionally
 * copied into a directory of their own so that only they are published.
 */
export function createWorkspaceChangesAction() {
  return createTemplateAction({
    id: 'golden-path:workspace:changes',
    description:
      'Lists the files added or changed (by content) between two directories of the workspace, within the given paths, and copies them into outputPath: publish that directory to write only what changed',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        before: z =>
          z
            .string()
            .describe(
              'Workspace directory holding the files as they were (e.g. a checkout)',
            ),
        after: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory holding them now (default: the root)',
            ),
        paths: z =>
          z
            .array(z.string())
            .min(1)
            .max(50)
            .describe(
              'Files or directories to compare, relative to both, e.g. services/order-service',
            ),
        outputPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Empty or new workspace directory to copy the added and changed files into, keeping their paths',
            ),
      },
      output: {
        added: z => z.array(z.string()).describe('Files only after has'),
        changed: z =>
          z
            .array(z.string())
            .describe('Files both have, with different content'),
        removed: z =>
          z
            .array(z.string())
            .describe(
              'Files only before has (not deleted anywhere by this action)',
            ),
        files: z => z.array(z.string()).describe('added and changed, sorted'),
      },
    },
    async handler(ctx) {
      const resolver = workspaceOf(ctx);
      const dir = (rel: string, label: string) => {
        const entry = resolver.entry(rel, { label });
        if (!entry.stats?.isDirectory())
          throw new InputError(
            `${label} "${rel}" is not a directory in the task workspace`,
          );
        return entry.path;
      };
      const before = dir(ctx.input.before, 'before');
      const after = dir(ctx.input.after ?? '.', 'after');
      const list = (root: string, p: string, label: string) => {
        const entry = resolver.entryAt(root, p, { label });
        return entry.stats
          ? listTreeFiles(entry.path, root, `${label} ${p}`)
          : [];
      };
      // A listed file read again through the confinement: the listing refused
      // symlinks, and a link put there since is refused too, never followed.
      const content = (root: string, f: string, label: string) => {
        const entry = resolver.entryAt(root, f, { label: `${label} file` });
        return readFileNoFollow(entry.realPath, `${label} file "${f}"`).content;
      };
      const [added, changed, removed]: string[][] = [[], [], []];
      for (const p of [
        ...new Set(ctx.input.paths.map(x => x.replace(/\/+$/, ''))),
      ]) {
        if (
          !PATH.test(p) ||
          p.split('/').some(s => s === '..' || s === '.' || s === '.git')
        ) {
          throw new InputError(
            `paths: "${p}" must be a relative path of directory names separated by "/"`,
          );
        }
        const was = new Set(list(before, p, 'before'));
        const now = list(after, p, 'after');
        for (const f of now) {
          if (!was.has(f)) added.push(f);
          else if (
            !content(after, f, 'after').equals(content(before, f, 'before'))
          )
            changed.push(f);
          was.delete(f);
        }
        removed.push(...was);
      }
      const files = [...added, ...changed].sort();

      if (ctx.input.outputPath !== undefined) {
        const out = resolver.entry(ctx.input.outputPath, {
          label: 'outputPath',
          forWrite: true,
        });
        if (
          out.stats &&
          (!out.stats.isDirectory() || fs.readdirSync(out.path).length)
        ) {
          throw new InputError(
            `outputPath "${ctx.input.outputPath}" must be a new or empty directory`,
          );
        }
        if (out.path === after || isUnder(before, out.path)) {
          throw new InputError(
            `outputPath "${ctx.input.outputPath}" must not be before, after or inside before`,
          );
        }
        const copies = files.map(f => ({
          from: resolver.entryAt(after, f, { label: 'after file' }).realPath,
          to: resolver.entryAt(out.path, f, { label: f, forWrite: true }).path,
          file: f,
        }));
        fs.mkdirSync(out.path, { recursive: true });
        for (const c of copies)
          copyConfinedFile(resolver, c.from, c.to, 'outputPath file');
      }
      ctx.logger.info(
        files.length
          ? `${added.length} added, ${changed.length} changed: ${files.join(
              ', ',
            )}`
          : 'no file added or changed',
      );
      if (removed.length)
        ctx.logger.warn(`only before has: ${removed.sort().join(', ')}`);
      ctx.output('added', added.sort());
      ctx.output('changed', changed.sort());
      ctx.output('removed', removed.sort());
      ctx.output('files', files);
    },
  });
}
