import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listTreeFiles } from '../lib/fileTree';
import {
  checkNewBranch,
  cleanRepoState,
  commitToNewBranch,
} from '../lib/localGit';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { workspaceOf } from '../lib/toolStep';
import { examples } from './publishLocalBranch.examples';

const PATH = /^[A-Za-z0-9_.][A-Za-z0-9._-]*(\/[A-Za-z0-9_.][A-Za-z0-9._-]*)*$/;

/**
 * `golden-path:publish:local-branch`: a change to a monorepo under the local
 * publish root, landed as one commit on a new branch of its git repository,
 * the way a pull request's branch is: the working tree, the index and the
 * checked-out branch stay as they are.
 */
export function createPublishLocalBranchAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'golden-path:publish:local-branch',
    description:
      'Commits files of the workspace (added or replaced) and removals to a monorepo under the local publish root as one commit on a new branch on top of its checked-out commit, without touching its working tree; refuses a monorepo that is not a git repository, has uncommitted changes, or already has the branch. Nothing to commit: no branch',
    examples,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe(
              'The monorepo directory, relative to the local publish root (e.g. shop)',
            ),
        sourcePath: z =>
          z
            .string()
            .describe(
              'Workspace directory holding the files to commit, laid out like the monorepo',
            ),
        remove: z =>
          z
            .array(z.string())
            .optional()
            .describe('Files of the monorepo to delete in the commit'),
        branchName: z => z.string().describe('The new branch'),
        message: z => z.string().min(1).describe('The commit message'),
      },
      output: {
        committed: z =>
          z
            .boolean()
            .describe('False when there was nothing to commit (no branch)'),
        branch: z => z.string().describe('The new branch'),
        commit: z => z.string().describe('The commit'),
        url: z => z.string().describe('file:// URL of the monorepo'),
        filesWritten: z =>
          z.array(z.string()).describe('Files added or replaced'),
        filesRemoved: z => z.array(z.string()).describe('Files deleted'),
      },
    },
    async handler(ctx) {
      const { target: repo } = resolveUnderLocalRoot(
        deps.settings.localRoots,
        ctx.input.path,
      );
      const resolver = workspaceOf(ctx);
      const source = resolver.entry(ctx.input.sourcePath, {
        label: 'sourcePath',
      });
      if (!source.stats?.isDirectory())
        throw new InputError(
          `sourcePath "${ctx.input.sourcePath}" is not a directory in the task workspace`,
        );
      const files = listTreeFiles(source.path, source.path, 'sourcePath');
      const remove = [...new Set(ctx.input.remove ?? [])].sort();
      for (const p of [...files, ...remove]) {
        if (
          !PATH.test(p) ||
          p.split('/').some(s => s === '..' || s === '.' || s === '.git')
        )
          throw new InputError(
            `"${p.slice(
              0,
              120,
            )}" is not a path of the monorepo (directory names separated by "/", no .., no .git)`,
          );
      }
      const both = remove.find(p => files.includes(p));
      if (both) throw new InputError(`${both} is both written and removed`);
      const git = {
        settings: deps.settings,
        signal: ctx.signal,
        label: `${ctx.input.path} (under the local publish root)`,
      };
      const state = await cleanRepoState(repo, git);
      const url = pathToFileURL(repo).href;
      ctx.output('url', url);
      ctx.output('filesWritten', files);
      ctx.output('filesRemoved', remove);
      if (!files.length && !remove.length) {
        ctx.logger.info(
          `nothing to commit to ${ctx.input.path}: no branch was created`,
        );
        ctx.output('committed', false);
        ctx.output('branch', '');
        ctx.output('commit', state.head);
        return;
      }
      await checkNewBranch(repo, ctx.input.branchName, git);
      const commit = await commitToNewBranch(
        repo,
        {
          parent: state.head,
          branch: ctx.input.branchName,
          message: ctx.input.message,
          files: files.map(f => ({
            path: f,
            source: path.join(source.path, ...f.split('/')),
          })),
          remove,
          sourceRoot: source.path,
        },
        git,
      );
      ctx.logger.info(
        `committed ${files.length} file(s) and ${remove.length} removal(s) to ${
          ctx.input.path
        } as ${commit.slice(0, 12)} on the new branch ${
          ctx.input.branchName
        } (from ${
          state.branch || state.head.slice(0, 12)
        }); its working tree is unchanged`,
      );
      ctx.output('committed', true);
      ctx.output('branch', ctx.input.branchName);
      ctx.output('commit', commit);
    },
  });
}
