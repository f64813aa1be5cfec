import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import {
  confinedRoot,
  copyConfinedFile,
  resolveWorkspacePath,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listTreeFiles } from '../lib/fileTree';
import { checkBranchName, initRepository } from '../lib/localGit';
import { resolveUnderLocalRoot } from '../lib/localRoots';
import { GoldenPathSettings } from '../lib/settings';
import { filesOutput } from '../lib/schemas';
import { examples } from './publishLocal.examples';

/** `golden-path:publish:local`: writes the workspace to a directory under an allow-listed root. */
export function createPublishLocalAction(deps: {
  settings: GoldenPathSettings;
}) {
  return createTemplateAction({
    id: 'golden-path:publish:local',
    description:
      'Publishes the workspace to a local directory under the root allow-listed in goldenPath.publish.local.allowedRoots (for local use and tests); plans every write before writing anything. With gitCommitMessage (create mode) the directory becomes a git repository with one initial commit, as a forge repository starts',
    examples,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe(
              'Target directory, relative to the local publish root (e.g. shop-platform)',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('Part of the workspace to publish (default: all of it)'),
        mode: z =>
          z
            .enum(['create', 'merge'])
            .optional()
            .describe(
              'create (default): the target must not exist or be empty; merge: add to an existing directory',
            ),
        allowOverwrite: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'In merge mode, existing files (relative paths) that may be replaced',
            ),
        gitCommitMessage: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              'In create mode: make the new directory a git repository with every published file in one initial commit with this message (as publish:github does)',
            ),
        defaultBranch: z =>
          z
            .string()
            .optional()
            .describe('The branch of that initial commit (default: main)'),
      },
      output: {
        targetPath: z =>
          z.string().describe('Absolute path of the published directory'),
        url: z => z.string().describe('file:// URL of the published directory'),
        catalogInfoUrl: z =>
          z.string().describe('file:// URL of its catalog-info.yaml'),
        filesWritten: filesOutput,
        commit: z =>
          z
            .string()
            .optional()
            .describe('The initial commit, with gitCommitMessage'),
      },
    },
    async handler(ctx) {
      const { target } = resolveUnderLocalRoot(
        deps.settings.localRoots,
        ctx.input.path,
      );
      const source = resolveWorkspacePath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
        { label: 'sourcePath' },
      );
      const mode = ctx.input.mode ?? 'create';
      const commitMessage = ctx.input.gitCommitMessage;
      if (mode === 'merge' && (commitMessage || ctx.input.defaultBranch))
        throw new InputError(
          'gitCommitMessage and defaultBranch start a new repository: they go with mode create, not merge',
        );
      if (!commitMessage && ctx.input.defaultBranch)
        throw new InputError(
          'defaultBranch names the branch of the initial commit: give gitCommitMessage too',
        );
      if (commitMessage) checkBranchName(ctx.input.defaultBranch ?? 'main');
      const files = listTreeFiles(source, source, 'the workspace');
      const exists = fs.existsSync(target);
      if (mode === 'create' && exists && fs.readdirSync(target).length) {
        throw new InputError(
          `${ctx.input.path} already exists under the local publish root and is not empty; choose another directory name`,
        );
      }
      if (mode === 'merge') {
        if (!exists)
          throw new InputError(
            `${ctx.input.path} does not exist under the local publish root: nothing to merge into`,
          );
        const allowed = new Set(ctx.input.allowOverwrite ?? []);
        // lstat: a dangling symlink is something there too.
        const clash = files.find(
          f =>
            fs.lstatSync(path.join(target, f), { throwIfNoEntry: false }) &&
            !allowed.has(f),
        );
        if (clash)
          throw new InputError(
            `${clash} already exists in ${ctx.input.path} (under the local publish root); refusing to overwrite it: list it in allowOverwrite to replace it`,
          );
      }
      // Every destination is checked before the first write: no symlink
      // anywhere below the target (lstat), then each write opens with O_NOFOLLOW.
      const created = !exists;
      fs.mkdirSync(target, { recursive: true });
      const dest = confinedRoot(target, {
        name: `${ctx.input.path} under the local publish root`,
      });
      const label = `destination in ${ctx.input.path}`;
      for (const f of files)
        dest.entry(f, { label, forWrite: true, symlinks: 'refuse' });
      for (const f of files) {
        copyConfinedFile(
          dest,
          path.join(source, ...f.split('/')),
          path.join(dest.root, ...f.split('/')),
          label,
        );
      }
      ctx.logger.info(`published ${files.length} file(s) to ${target}`);
      if (commitMessage) {
        const branch = ctx.input.defaultBranch ?? 'main';
        let commit: string;
        try {
          commit = await initRepository(
            target,
            { branch, message: commitMessage },
            {
              settings: deps.settings,
              signal: ctx.signal,
              label: `${ctx.input.path} (under the local publish root)`,
            },
          );
        } catch (e) {
          // A repository or nothing: the directory was new or empty.
          if (created) fs.rmSync(target, { recursive: true, force: true });
          else
            for (const entry of fs.readdirSync(target))
              fs.rmSync(path.join(target, entry), {
                recursive: true,
                force: true,
              });
          throw e;
        }
        ctx.logger.info(
          `${ctx.input.path} is a git repository: ${
            files.length
          } file(s) in the initial commit ${commit.slice(0, 12)} on ${branch}`,
        );
        ctx.output('commit', commit);
      }
      ctx.output('targetPath', target);
      ctx.output('url', pathToFileURL(target).href);
      ctx.output(
        'catalogInfoUrl',
        pathToFileURL(path.join(target, 'catalog-info.yaml')).href,
      );
      ctx.output('filesWritten', files);
    },
  });
}
