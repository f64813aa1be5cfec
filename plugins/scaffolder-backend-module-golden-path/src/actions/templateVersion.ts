import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { realPathUnderRoots } from '@golden-path/plugin-golden-path-node';
import { createTemplateAction } from '../lib/templateAction';
import fs from 'node:fs';
import path from 'node:path';
import {
  currentTemplateVersion,
  skeletonRevision,
  storeSnapshot,
  templateDirOf,
  VERSION_ANNOTATION,
  VERSIONS_DIR,
} from '../lib/templateVersions';
import {
  childTemplateUrl,
  readGitTemplateAtHead,
  templateLocationOf,
} from '../lib/templateSource';
import { examples } from './templateVersion.examples';

/**
 * `golden-path:template:version`: the version of the running template (name,
 * human version, skeleton revision), with what an upgrade needs to render a
 * service again as it was made: a local template's skeletons are stored
 * under that revision; a template from GitHub or Gitea records the commit
 * its skeletons were read at.
 */
export function createTemplateVersionAction(deps: {
  reader: UrlReaderService;
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'golden-path:template:version',
    description: `Outputs the running template's name, version (annotation golden-path.dev/template-version) and skeleton revision (sha256 of its skeleton* directories). A local template stores a copy of the skeletons under ${VERSIONS_DIR}/<revision> in its directory (once per revision); a template read from GitHub or Gitea records its source: the template directory's URL and the commit its branch is at, and templateUrl is that directory at the commit, for the fetch:template steps to render exactly what is recorded; see docs/template-versions.md`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        template: z =>
          z
            .string()
            .optional()
            .describe(
              "Another template's directory, relative to the running template's (./go-service when a template renders that template's skeletons): its version is the one output and stored. Default: the running template",
            ),
      },
      output: {
        name: z => z.string().describe("The template's metadata.name"),
        version: z =>
          z
            .string()
            .describe(
              'The golden-path.dev/template-version annotation ("0" when missing)',
            ),
        revision: z =>
          z.string().describe('sha256-<hex> of the skeleton directories'),
        source: z =>
          z
            .object({ url: z.string(), commit: z.string() })
            .optional()
            .describe(
              "A template read from GitHub or Gitea: its directory's URL at the branch it is registered from, and the commit that branch was at",
            ),
        templateUrl: z =>
          z
            .string()
            .describe(
              "The template's directory to render its skeletons from (fetch:template url <templateUrl>/skeleton): . or ./<template> for a local template, the directory's URL at the recorded commit for a git source",
            ),
        record: z =>
          z
            .object({
              name: z.string(),
              version: z.string(),
              revision: z.string(),
              source: z
                .object({ url: z.string(), commit: z.string() })
                .optional(),
            })
            .describe(
              'name, version, revision and (git) source together, as a service records them',
            ),
      },
    },
    async handler(ctx) {
      const baseUrl = ctx.templateInfo?.baseUrl;
      const entity = ctx.templateInfo?.entity?.metadata;
      const fromEntity = (revision: string) => ({
        name: entity?.name ?? 'unknown',
        version: String(entity?.annotations?.[VERSION_ANNOTATION] ?? '0'),
        revision,
      });
      const location = templateLocationOf(baseUrl, deps.integrations);
      if (!location) {
        // Neither a local directory nor a GitHub or Gitea integration's URL:
        // the skeletons cannot be retrieved later, so the service can be made
        // but not upgraded by the upgrade template.
        const version = fromEntity('');
        ctx.logger.warn(
          `${
            version.name
          } is not read from a local directory nor from a GitHub or Gitea integration (${
            baseUrl ?? 'no location'
          }): its version is recorded without a skeleton revision, and services made with it cannot be upgraded with the "Upgrade a Go service" template`,
        );
        ctx.output('name', version.name);
        ctx.output('version', version.version);
        ctx.output('revision', '');
        ctx.output('templateUrl', ctx.input.template ?? '.');
        ctx.output('record', version);
        return;
      }
      if (location.kind === 'git') {
        const url = ctx.input.template
          ? childTemplateUrl(location.url, ctx.input.template)
          : location.url;
        let read;
        try {
          read = await readGitTemplateAtHead(
            deps.reader,
            deps.integrations,
            url,
            ctx.signal,
          );
        } catch (e) {
          throw new InputError(
            `the template ${url} cannot be read from its ${
              location.type
            } source to record its version: ${
              String((e as Error).message).split('\n')[0]
            }`,
          );
        }
        const meta =
          read.metadata ??
          (!ctx.input.template && entity?.name ? fromEntity('') : undefined);
        if (!meta)
          throw new InputError(
            `${url} has no template.yaml at ${read.commit}: template "${ctx.input.template}" is not a template directory`,
          );
        const source = { url, commit: read.commit };
        const version = {
          name: meta.name,
          version: meta.version,
          revision: read.revision,
          source,
        };
        ctx.logger.info(
          `${version.name} version ${version.version}, skeleton revision ${version.revision}, from ${url} at ${read.commit}`,
        );
        ctx.output('name', version.name);
        ctx.output('version', version.version);
        ctx.output('revision', version.revision);
        ctx.output('source', source);
        ctx.output('templateUrl', read.pinned);
        ctx.output('record', version);
        return;
      }
      const runningDir = templateDirOf(baseUrl);
      const dir = ctx.input.template
        ? await otherTemplateDir(runningDir, ctx.input.template)
        : runningDir;
      const rel = path.relative(runningDir, dir).split(path.sep).join('/');
      // A dry-run of a template given without its template.yaml (the editor's) names it from the entity.
      const version =
        !ctx.input.template &&
        !fs.existsSync(path.join(dir, 'template.yaml')) &&
        entity?.name
          ? fromEntity(skeletonRevision(dir))
          : currentTemplateVersion(dir);
      if (!ctx.isDryRun) {
        try {
          if (storeSnapshot(dir, version.revision))
            ctx.logger.info(
              `stored the skeletons of ${version.name} ${version.version} as ${VERSIONS_DIR}/${version.revision}`,
            );
        } catch (e) {
          // The service is still made; an upgrade from this revision will be refused.
          ctx.logger.warn(
            `the skeletons of ${version.name} ${version.version} (${
              version.revision
            }) could not be stored in ${dir}/${VERSIONS_DIR}: ${
              (e as Error).message
            }; services made now cannot be upgraded with the "Upgrade a Go service" template until it is stored`,
          );
        }
      }
      ctx.logger.info(
        `${version.name} version ${version.version}, skeleton revision ${version.revision}`,
      );
      ctx.output('name', version.name);
      ctx.output('version', version.version);
      ctx.output('revision', version.revision);
      ctx.output('templateUrl', rel ? `./${rel}` : '.');
      ctx.output('record', version);
    },
  });
}

/** `template`: a directory holding a template.yaml, inside the running template's directory. */
async function otherTemplateDir(
  runningDir: string,
  template: string,
): Promise<string> {
  const candidate = path.resolve(runningDir, template);
  const real = await realPathUnderRoots(candidate, [runningDir]);
  if (!real || !fs.existsSync(path.join(real, 'template.yaml')))
    throw new InputError(
      `template: "${template}" is not a template directory (with a template.yaml) inside ${runningDir}; name one relative to the running template, like ./go-service`,
    );
  return real;
}
