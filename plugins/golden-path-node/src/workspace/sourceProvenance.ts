import { isChildPath } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { realPathUnderRoots } from './confinePath';
import { formatSourceLocation, SourceLocation } from './sourceLocation';

const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/**
 * The repository part of a forge URL: host and the path up to the
 * repository (`owner/repo` on GitHub and Gitea, everything before `/-/` on
 * GitLab with its subgroups, up to `_git/<repo>` on Azure DevOps, up to
 * `repos/<repo>` on Bitbucket Server).
 *
 * @public
 */
export function repositoryOfUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return undefined;
  const segments = parsed.pathname.split('/').filter(Boolean);
  let end = segments.indexOf('-');
  if (end < 0) {
    const git = segments.indexOf('_git');
    const repos = segments.indexOf('repos');
    if (git >= 0) end = git + 2;
    else if (repos >= 0 && segments[0] === 'projects') end = repos + 2;
    else end = 2;
  }
  if (end < 2 || segments.length < end) return undefined;
  return `${parsed.protocol}//${parsed.host}/${segments
    .slice(0, end)
    .join('/')}`;
}

/**
 * The monorepo a catalog file on this machine belongs to: the nearest
 * directory holding `.git` between the file and the monorepo directory
 * right under its local root (what local publish and discovery create),
 * else that directory; the local root itself when the file is in the root's
 * own `services/` or at the root. Undefined outside the roots.
 */
async function monorepoOfFile(
  file: string,
  localRoots: string[],
): Promise<string | undefined> {
  let dir: string;
  try {
    dir = await fs.promises.realpath(path.dirname(path.resolve(file)));
  } catch {
    return undefined;
  }
  for (const root of localRoots) {
    const realRoot = await fs.promises.realpath(root).catch(() => undefined);
    if (!realRoot || !isChildPath(realRoot, dir)) continue;
    const [first] = path.relative(realRoot, dir).split(path.sep);
    const top =
      !first || first === 'services' ? realRoot : path.join(realRoot, first);
    for (let d = dir; isChildPath(top, d) && d !== top; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, '.git'))) return d;
    }
    return top;
  }
  return undefined;
}

/**
 * The one provenance rule of the bundle (insights, fleet, local:checkout):
 * an entity's source is read only in the repository the catalog read the
 * entity from. `backstage.io/source-location` is the entity author's to
 * write; `backstage.io/managed-by-location` is the catalog's own. A `dir:`
 * source must exist under `localRoots` and be inside the monorepo holding
 * the catalog file (`file:`, the nearest git repository: a repository nested
 * in another directory cannot claim its parent); a `url:` source must be in
 * the same repository (host, owner, repository) as the catalog file
 * (`url:`). Without that, anyone who may register a location could have the
 * backend read another team's monorepo, or a private repository with the
 * backend's integration token, by claiming it. Throws a NotAllowedError
 * naming only the two annotations (never a server path it looked at).
 *
 * @public
 */
export async function checkSourceProvenance(
  entity: { metadata: { annotations?: Record<string, string> } },
  location: SourceLocation,
  localRoots: string[],
): Promise<void> {
  const managed = entity.metadata.annotations?.[MANAGED_BY_LOCATION]?.trim();
  const m = managed ? /^(url|file):(.+)$/.exec(managed) : null;
  const refuse = (): never => {
    throw new NotAllowedError(
      `source-location ${formatSourceLocation(
        location,
      )} is outside the location the entity was registered from (${
        managed || `no ${MANAGED_BY_LOCATION}`
      }): register it from the catalog-info.yaml of the repository that holds its source`,
    );
  };
  if (location.type === 'dir') {
    const source = await realPathUnderRoots(location.target, localRoots);
    if (!source || m?.[1] !== 'file') return refuse();
    const monorepo = await monorepoOfFile(m[2], localRoots);
    if (!monorepo || !isChildPath(monorepo, source)) return refuse();
    return undefined;
  }
  if (m?.[1] !== 'url') return refuse();
  const repository = repositoryOfUrl(location.target);
  if (!repository || repository !== repositoryOfUrl(m[2])) return refuse();
  return undefined;
}
