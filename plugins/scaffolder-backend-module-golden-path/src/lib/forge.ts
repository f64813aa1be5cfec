import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

/** An owner's or a repository's name on GitHub and Gitea. */
const FORGE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A repository on a Git forge the integrations config knows. */
export interface ForgeRepo {
  kind: 'github' | 'gitea';
  host: string;
  owner: string;
  repo: string;
  /** Where the forge's web pages and API are (integrations.<kind>.baseUrl). */
  baseUrl: string;
}

/**
 * The forge of `repoUrl` (`host?owner=o&repo=r`, as RepoUrlPicker writes it):
 * GitHub or Gitea, from the integrations config. What differs between the two
 * is here and in {@link forgeTreeUrl}; the templates' steps around them are
 * the same for both.
 */
export function resolveForgeRepo(
  integrations: ScmIntegrationRegistry,
  repoUrl: string,
): ForgeRepo {
  let named: string;
  try {
    named = new URL(`https://${repoUrl}`).host;
  } catch {
    throw new InputError(
      `repoUrl "${repoUrl}" is not <host>?owner=<owner>&repo=<name>`,
    );
  }
  if (!integrations.gitea.byHost(named) && !integrations.github.byHost(named))
    throw new InputError(
      `repoUrl "${repoUrl}": host ${named} is neither a GitHub nor a Gitea integration; add it under integrations.github or integrations.gitea in app-config`,
    );
  const { host, owner, repo } = parseRepoUrl(repoUrl, integrations);
  if (!owner || !repo)
    throw new InputError(
      `repoUrl "${repoUrl}" names no owner and repository; expected <host>?owner=<owner>&repo=<name>`,
    );
  // Both go into the forge's API and clone URLs with the integration's
  // credentials: ".." there (not escaped by encodeURIComponent, resolved by
  // fetch) would reach another API route than the repository's.
  for (const [label, value] of [
    ['owner', owner],
    ['repo', repo],
  ])
    if (!FORGE_NAME.test(value) || /^\.+$/.test(value))
      throw new InputError(
        `repoUrl "${repoUrl.slice(0, 200)}": ${label} ${JSON.stringify(
          value.slice(0, 80),
        )} is not a forge ${label} name (letters, digits, "-", "_", ".", not only dots)`,
      );
  const gitea = integrations.gitea.byHost(host);
  if (gitea)
    return {
      kind: 'gitea',
      host,
      owner,
      repo,
      baseUrl: gitea.config.baseUrl ?? `https://${host}`,
    };
  const github = integrations.github.byHost(host);
  if (github)
    return {
      kind: 'github',
      host,
      owner,
      repo,
      baseUrl: `https://${host}`,
    };
  throw new InputError(
    `repoUrl "${repoUrl}": host ${host} is neither a GitHub nor a Gitea integration`,
  );
}

/**
 * The URL of `branch`'s tree (a directory) on the forge, as Backstage's URL
 * readers read it: GitHub's /tree/<branch>, Gitea's /src/branch/<branch>.
 * Files live under the same URL on Gitea; GitHub names them /blob/<branch>.
 */
export function forgeTreeUrl(
  r: ForgeRepo,
  branch: string,
): { tree: string; blob: string } {
  // A git branch name: the URL is read with the integration's credentials,
  // and "..", "%2e%2e", "?" or "#" would make it another page than the branch's.
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(branch) ||
    branch.includes('..') ||
    branch.includes('//') ||
    branch.endsWith('/') ||
    branch.endsWith('.lock')
  )
    throw new InputError(
      `branch ${JSON.stringify(
        String(branch).slice(0, 80),
      )} is not a branch name (letters, digits, ".", "_", "-", "/")`,
    );
  const repoPage = `${r.baseUrl}/${r.owner}/${r.repo}`;
  if (r.kind === 'gitea') {
    const src = `${repoPage}/src/branch/${branch}`;
    return { tree: src, blob: src };
  }
  return {
    tree: `${repoPage}/tree/${branch}`,
    blob: `${repoPage}/blob/${branch}`,
  };
}
