import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '../lib/templateAction';
import { ForgeRepo, forgeTreeUrl, resolveForgeRepo } from '../lib/forge';
import { giteaApi } from '../lib/giteaApi';
import { examples } from './forgeLocate.examples';

/**
 * `golden-path:forge:locate`: where a repository's branch is read from, on
 * GitHub or Gitea, so that the templates' fetch steps are the same for both
 * forges (Gitea's URLs start at its baseUrl and name a branch /src/branch/).
 * With `repository`, it asks a Gitea forge first whether the integration's
 * token is accepted and the repository is new (to create) or exists and may
 * be pushed to, failing with the forge's message before anything is written.
 */
export function createForgeLocateAction(deps: {
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'golden-path:forge:locate',
    description:
      'Names the forge (GitHub or Gitea, from the integrations config) of a repoUrl and the URLs its branch is read from by fetch:plain and fetch:plain:file',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              '<host>?owner=<owner>&repo=<name>, as RepoUrlPicker writes it',
            ),
        branch: z =>
          z.string().optional().describe('The branch (default: main)'),
        repository: z =>
          z
            .enum(['new', 'existing'])
            .optional()
            .describe(
              'On Gitea, check with the forge that the repository is new (it will be created) or exists and the token may push to it',
            ),
      },
      output: {
        forge: z => z.enum(['github', 'gitea']).describe('The kind of forge'),
        treeUrl: z =>
          z
            .string()
            .describe("URL of the branch's root directory, for fetch:plain"),
        blobUrl: z =>
          z
            .string()
            .describe("URL prefix of the branch's files, for fetch:plain:file"),
        imageRepository: z =>
          z
            .string()
            .describe(
              'The container registry repository of the forge (ghcr.io/<owner>/<repo>, <gitea host>/<owner>/<repo>), lowercase',
            ),
      },
    },
    async handler(ctx) {
      const repo = resolveForgeRepo(deps.integrations, ctx.input.repoUrl);
      if (repo.kind === 'gitea' && ctx.input.repository)
        await checkGiteaAccess(
          deps.integrations,
          repo,
          ctx.input.repository,
          ctx.signal,
        );
      const { tree, blob } = forgeTreeUrl(repo, ctx.input.branch ?? 'main');
      ctx.output('forge', repo.kind);
      ctx.output('treeUrl', tree);
      ctx.output('blobUrl', blob);
      ctx.output(
        'imageRepository',
        `${repo.kind === 'github' ? 'ghcr.io' : repo.host}/${repo.owner}/${
          repo.repo
        }`.toLowerCase(),
      );
    },
  });
}

/** Asks Gitea whether the token is good and the repository as expected. */
async function checkGiteaAccess(
  integrations: ScmIntegrationRegistry,
  repo: ForgeRepo,
  expect: 'new' | 'existing',
  signal?: AbortSignal,
) {
  const api = giteaApi(integrations.gitea.byHost(repo.host)!.config, signal);
  const name = `${repo.owner}/${repo.repo}`;
  const user = await api.call('GET', '/user');
  if (!user.ok)
    throw new InputError(
      `Gitea at ${repo.host} refused the credentials of integrations.gitea: ${user.message}; fix the username and access token in app-config`,
    );
  const found = await api.call(
    'GET',
    `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}`,
  );
  if (expect === 'new') {
    if (found.ok)
      throw new InputError(
        `repository ${name} already exists on ${repo.host}; choose another name`,
      );
    const org = await api.call(
      'GET',
      `/orgs/${encodeURIComponent(repo.owner)}`,
    );
    if (!org.ok)
      throw new InputError(
        `organisation ${repo.owner} on ${repo.host}: ${org.message}; create it on the forge or pick an existing one`,
      );
    return;
  }
  if (!found.ok)
    throw new InputError(
      `repository ${name} on ${repo.host}: ${found.message}; check the repository and that ${user.body?.login} may read it`,
    );
  if (!found.body?.permissions?.push)
    throw new InputError(
      `${user.body?.login} may not push to ${name} on ${repo.host}; give it write access on the forge`,
    );
}
