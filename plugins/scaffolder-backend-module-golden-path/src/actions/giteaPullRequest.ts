import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  addFiles,
  cloneRepo,
  commitAndPushBranch,
  removeFiles,
} from '@backstage/plugin-scaffolder-node';
import { createTemplateAction } from '../lib/templateAction';
import { resolveWorkspacePath } from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listTreeFiles } from '../lib/fileTree';
import { resolveForgeRepo } from '../lib/forge';
import { giteaApi } from '../lib/giteaApi';
import { layFilesOver, removeFileUnder } from '../lib/layFiles';
import { examples } from './giteaPullRequest.examples';

const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

/**
 * `golden-path:gitea:pull-request`: opens a pull request on a Gitea
 * repository with the files of the workspace (or its sourcePath) laid over the
 * target branch; Backstage has a pull-request action for GitHub
 * (publish:github:pull-request) but none for Gitea. The branch is created
 * through Gitea's API (so an existing branch is refused by Gitea itself), the
 * commit is pushed over HTTP, and the pull request opened through the API;
 * when the push or the pull request fails, the branch is deleted again.
 */
export function createGiteaPullRequestAction(deps: {
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'golden-path:gitea:pull-request',
    description:
      "Opens a pull request on a Gitea repository (integrations.gitea) with the files of the workspace laid over the target branch; fails with Gitea's message and leaves no branch behind when the forge refuses",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'The repository, as RepoUrlPicker writes it: <host>?owner=<owner>&repo=<name>',
            ),
        branchName: z =>
          z.string().describe('The new branch the change is pushed to'),
        targetBranchName: z =>
          z
            .string()
            .optional()
            .describe(
              'The branch the pull request merges into (default: main)',
            ),
        title: z => z.string().describe('Title of the pull request'),
        description: z =>
          z.string().optional().describe('Body of the pull request (Markdown)'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Part of the workspace whose files are laid over the repository root (default: all of it)',
            ),
        gitCommitMessage: z =>
          z.string().optional().describe('Commit message (default: the title)'),
        filesToDelete: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              "Files of the repository the commit deletes (publish:github:pull-request's input of the same name), e.g. the files an upgrade removed",
            ),
      },
      output: {
        remoteUrl: z => z.string().describe("The pull request's page"),
        pullRequestNumber: z => z.number().describe('Its number'),
        branchName: z => z.string().describe('The branch it was pushed to'),
      },
    },
    async handler(ctx) {
      const { repoUrl, branchName, title } = ctx.input;
      const target = ctx.input.targetBranchName ?? 'main';
      for (const [label, value] of [
        ['branchName', branchName],
        ['targetBranchName', target],
      ]) {
        if (
          !BRANCH.test(value) ||
          value.includes('..') ||
          value.endsWith('.lock')
        )
          throw new InputError(
            `${label} "${value}" is not a branch name: letters, digits, ".", "_", "-" and "/", starting with a letter or digit, at most 100 characters`,
          );
      }
      const forge = resolveForgeRepo(deps.integrations, repoUrl);
      if (forge.kind !== 'gitea')
        throw new InputError(
          `repoUrl "${repoUrl}" is on ${forge.host}, a GitHub host: use publish:github:pull-request there`,
        );
      const integration = deps.integrations.gitea.byHost(forge.host)!;
      const { username, password } = integration.config;
      if (!username || !password)
        throw new InputError(
          `integrations.gitea for ${forge.host} has no username and password (an access token); add them to app-config`,
        );
      const source = resolveWorkspacePath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
        { label: 'sourcePath' },
      );
      const files = listTreeFiles(source, source, 'the workspace');
      const toDelete = [...new Set(ctx.input.filesToDelete ?? [])];
      for (const f of toDelete) {
        const normal = path.posix.normalize(f);
        if (
          !f ||
          f.includes('\\') ||
          path.posix.isAbsolute(f) ||
          normal !== f ||
          normal === '.' ||
          normal === '..' ||
          normal.startsWith('../') ||
          normal === '.git' ||
          normal.startsWith('.git/')
        )
          throw new InputError(
            `filesToDelete: "${f.slice(
              0,
              120,
            )}" is not a plain relative path of a file in the repository (like services/orders-service/Makefile)`,
          );
        if (files.includes(f))
          throw new InputError(
            `filesToDelete: ${f} is also one of the files to push; a file is either changed or deleted`,
          );
      }
      const api = giteaApi(integration.config, ctx.signal);
      const repoPath = `/repos/${encodeURIComponent(
        forge.owner,
      )}/${encodeURIComponent(forge.repo)}`;
      const where = `${forge.owner}/${forge.repo} on ${forge.host}`;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would push ${files.length} file(s)${
            toDelete.length ? ` and delete ${toDelete.length}` : ''
          } to branch ${branchName} of ${where} and open a pull request into ${target}`,
        );
        ctx.output(
          'remoteUrl',
          `${forge.baseUrl}/${forge.owner}/${forge.repo}/pulls`,
        );
        ctx.output('pullRequestNumber', 0);
        ctx.output('branchName', branchName);
        return;
      }

      // The branch, from the target branch, by Gitea: it refuses an existing
      // branch, a wrong token or a missing target with its own message.
      const created = await api.call('POST', `${repoPath}/branches`, {
        new_branch_name: branchName,
        old_branch_name: target,
      });
      if (!created.ok)
        throw new Error(
          `Gitea refused to create branch ${branchName} from ${target} in ${where}: ${created.message}`,
        );
      const deleteBranch = async (why: string) => {
        const deleted = await api
          .call(
            'DELETE',
            `${repoPath}/branches/${encodeURIComponent(branchName)}`,
          )
          .catch(e => ({ ok: false, message: (e as Error).message }));
        return deleted.ok
          ? `${why}; branch ${branchName} was deleted again`
          : `${why}; deleting branch ${branchName} failed too (${deleted.message}): delete it on the forge`;
      };

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-gitea-pr-'));
      const auth = { username, password };
      let commitHash: string;
      try {
        try {
          await cloneRepo({
            url: `${forge.baseUrl}/${forge.owner}/${forge.repo}.git`,
            dir,
            auth,
            ref: branchName,
            depth: 1,
          });
          // The clone may hold symlinks to anywhere (committed to the forge).
          layFilesOver(source, files, dir, `the clone of ${where}`);
          for (const rel of toDelete) {
            // Never through a symlinked directory of the clone.
            removeFileUnder(dir, rel, `branch ${target} of ${where}`);
            await removeFiles({ dir, filepath: rel, auth });
          }
          await addFiles({ dir, filepath: '.', auth });
          ({ commitHash } = await commitAndPushBranch({
            dir,
            auth,
            commitMessage: ctx.input.gitCommitMessage ?? title,
            gitAuthorInfo: {
              name: 'Golden Path',
              email: 'golden-path@backstage.invalid',
            },
            branch: branchName,
            remoteRef: `refs/heads/${branchName}`,
          }));
        } catch (e) {
          throw new Error(
            await deleteBranch(
              `pushing ${
                files.length
              } file(s) to branch ${branchName} of ${where} failed: ${
                (e as Error).message
              }`,
            ),
          );
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      ctx.logger.info(
        `Pushed ${files.length} file(s)${
          toDelete.length ? ` and ${toDelete.length} deletion(s)` : ''
        } to ${branchName} (${commitHash})`,
      );

      const pr = await api.call('POST', `${repoPath}/pulls`, {
        head: branchName,
        base: target,
        title,
        body: ctx.input.description ?? '',
      });
      if (!pr.ok)
        throw new Error(
          await deleteBranch(
            `Gitea refused the pull request from ${branchName} into ${target} in ${where}: ${pr.message}`,
          ),
        );
      ctx.logger.info(
        `Opened pull request #${pr.body.number}: ${pr.body.html_url}`,
      );
      ctx.output('remoteUrl', pr.body.html_url);
      ctx.output('pullRequestNumber', pr.body.number);
      ctx.output('branchName', branchName);
    },
  });
}
