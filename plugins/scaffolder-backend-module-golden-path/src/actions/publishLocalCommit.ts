import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listTreeFiles } from '../lib/fileTree';
import { commitOnCheckedOutBranch } from '../lib/localGit';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { examples } from './publishLocalCommit.examples';

const PATH = /^[A-Za-z0-9_.][A-Za-z0-9._-]*(\/[A-Za-z0-9_.][A-Za-z0-9._-]*)*$/;

/**
 * `golden-path:publish:local-commit`: what a template has just written to a
 * monorepo under the local publish root (a new service, its API, its go.work
 * line), committed as one commit on the branch checked out there, so that it
 * is never left as loose files in the working tree. Only these files are
 * staged and committed; other uncommitted changes of the team stay as they were.
 */
export function createPublishLocalCommitAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'golden-path:publish:local-commit',
    description:
      "Commits files and directories a template wrote to a monorepo under the local publish root (a new service and its go.work line) as one commit on the monorepo's checked-out branch, staging exactly those files (other uncommitted changes stay as they were); refuses a monorepo that is not a git repository or has no branch checked out",
    examples,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe(
              'The monorepo directory, relative to the local publish root (e.g. shop)',
            ),
        paths: z =>
          z
            .array(z.string())
            .min(1)
            .max(50)
            .describe(
              'Files and directories of the monorepo to commit, e.g. services/order-service, go.work',
            ),
        message: z => z.string().min(1).describe('The commit message'),
      },
      output: {
        commit: z => z.string().describe('The commit'),
        branch: z => z.string().describe('The branch it is on'),
        url: z => z.string().describe('file:// URL of the monorepo'),
        filesCommitted: z =>
          z.array(z.string()).describe('The files of the commit'),
      },
    },
    async handler(ctx) {
      const { target: repo } = resolveUnderLocalRoot(
        deps.settings.localRoots,
        ctx.input.path,
      );
      const files = new Set<string>();
      for (const raw of [...new Set(ctx.input.paths)]) {
        const p = raw.replace(/\/+$/, '');
        if (
          !PATH.test(p) ||
          p.split('/').some(s => s === '..' || s === '.' || s === '.git')
        )
          throw new InputError(
            `"${raw.slice(
              0,
              120,
            )}" is not a path of the monorepo (directory names separated by "/", no .., no .git)`,
          );
        const { target: source } = resolveUnderLocalRoot(
          deps.settings.localRoots,
          `${ctx.input.path}/${p}`,
          'paths',
        );
        if (source !== path.join(repo, ...p.split('/')))
          throw new InputError(
            `paths: ${p} goes through a symlink in ${ctx.input.path}; only regular files and directories are committed`,
          );
        if (!fs.existsSync(source))
          throw new InputError(
            `${p} was not found in ${ctx.input.path} (under the local publish root): nothing to commit there`,
          );
        for (const f of listTreeFiles(source, repo, `${ctx.input.path}/${p}`))
          files.add(f);
      }
      const sorted = [...files].sort();
      const { head: commit, branch } = await commitOnCheckedOutBranch(
        repo,
        {
          message: ctx.input.message,
          files: sorted.map(f => ({
            path: f,
            source: path.join(repo, ...f.split('/')),
          })),
          sourceRoot: repo,
        },
        {
          settings: deps.settings,
          signal: ctx.signal,
          label: `${ctx.input.path} (under the local publish root)`,
        },
      );
      ctx.logger.info(
        `committed ${sorted.length} file(s) to ${
          ctx.input.path
        } as ${commit.slice(0, 12)} on ${branch}`,
      );
      ctx.output('commit', commit);
      ctx.output('branch', branch);
      ctx.output('url', pathToFileURL(repo).href);
      ctx.output('filesCommitted', sorted);
    },
  });
}
