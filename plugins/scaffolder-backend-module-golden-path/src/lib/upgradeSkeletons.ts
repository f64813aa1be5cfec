import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import fs from 'node:fs';
import path from 'node:path';
import {
  checkTemplateName,
  childTemplateUrl,
  gitUpgradeSkeletons,
  SourcedVersion,
  templateLocationOf,
  UpgradeSkeletons,
} from './templateSource';
import {
  currentTemplateVersion,
  shortVersion as short,
  skeletonParts,
  storedParts,
  storeSnapshot,
  templateDirOf,
  VERSIONS_DIR,
} from './templateVersions';

const TEMPLATE_DIR = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The skeletons of an upgrade from `from` to the template directory `rel`
 * beside the running template: read from GitHub or Gitea when the running
 * template was (gitUpgradeSkeletons), else from the local directory, whose
 * `.versions` store must still hold `from`'s skeletons. `where` names what is
 * upgraded, `title` the template, `inspect` reads more of each skeleton
 * directory (base.inspected, next.inspected). Every refusal is one
 * InputError line; nothing is stored until the plan's store() is called.
 */
export async function upgradeSkeletons(
  deps: { reader: UrlReaderService; integrations: ScmIntegrationRegistry },
  ctx: {
    templateInfo?: { baseUrl?: string };
    signal?: AbortSignal;
    logger: { info(message: string): void };
  },
  options: {
    rel: string;
    from: SourcedVersion;
    where: string;
    title: string;
    inspect?: (dir: string, parts: string[]) => string[];
  },
): Promise<UpgradeSkeletons> {
  const { rel, from, where, inspect } = options;
  if (!TEMPLATE_DIR.test(rel))
    throw new InputError(
      `template "${rel.slice(
        0,
        80,
      )}" must be a directory name beside the running template`,
    );
  const location = templateLocationOf(
    ctx.templateInfo?.baseUrl,
    deps.integrations,
  );
  if (location?.kind === 'git')
    return gitUpgradeSkeletons(deps, childTemplateUrl(location.url, rel), {
      ...options,
      signal: ctx.signal,
    });
  const dir = path.join(templateDirOf(ctx.templateInfo?.baseUrl), rel);
  if (!fs.existsSync(path.join(dir, 'template.yaml')))
    throw new InputError(
      `${rel}/template.yaml was not found beside the running template`,
    );
  const current = currentTemplateVersion(dir);
  checkTemplateName(from, current, where);
  const baseParts = storedParts(dir, from.revision);
  if (!baseParts)
    throw new InputError(
      `the skeletons of ${short(
        from,
      )} that made ${where} can no longer be retrieved: ${rel}/${VERSIONS_DIR}/${
        from.revision
      } is missing or altered; restore it from a backup of the template's store, or upgrade by hand (docs/template-versions.md)`,
    );
  const nextParts = skeletonParts(dir);
  const snapshot = path.join(dir, VERSIONS_DIR, from.revision);
  return {
    to: current,
    base: {
      dir: `./${rel}/${VERSIONS_DIR}/${from.revision}`,
      parts: baseParts,
      inspected: inspect?.(snapshot, baseParts),
    },
    next: {
      dir: `./${rel}`,
      parts: nextParts,
      inspected: inspect?.(dir, nextParts),
    },
    // The revision upgraded to is stored too: the next upgrade starts from it.
    store: () => {
      if (storeSnapshot(dir, current.revision))
        ctx.logger.info(`stored the skeletons of ${short(current)}`);
    },
  };
}
