import { InputError } from '@backstage/errors';
import { createTemplateAction } from '../lib/templateAction';
import path from 'node:path';
import { nextMigrationVersion, serviceNameOf } from '../lib/recordedValues';
import {
  openRecordedService,
  outputServiceLocation,
  serviceInput,
  serviceLocationOutput,
  workingDirectoryInput,
} from '../lib/recordedService';
import {
  aggregateProtoFile,
  aggregateServiceFiles,
  planAggregate,
  recordedAggregates,
} from '../lib/serviceAggregate';
import {
  GO_SERVICE_SKELETONS,
  outputUpdateRenders,
  updateRendersOutput,
} from '../lib/updateRenders';
import { storedParts, templateDirOf } from '../lib/templateVersions';
import { SERVICE_SKELETON_PARTS, serviceRenders } from '../lib/serviceRenders';
import { checkServicePkg, renderedParts } from '../lib/servicePkgCheck';
import { examples } from './aggregatePlan.examples';

/**
 * Refuses, in one line, a service whose recorded skeleton revision is in the
 * local template's store without skeleton-aggregate: it was made before the
 * Go service template could add aggregates. The aggregate would be rendered
 * from today's skeleton while the service records that older revision, so
 * its upgrade would render a base without the aggregate and take each of the
 * aggregate's files for a conflict (it "already exists in the service with
 * other content" once the skeleton changed). Upgrading first makes the
 * record and the aggregate's skeleton agree. A revision not in the store (or
 * a template from GitHub or Gitea) is not judged here.
 */
function checkRecordedRevision(
  templateVersion: unknown,
  baseUrl: string | undefined,
  where: string,
) {
  const t = templateVersion as
    | { name?: unknown; version?: unknown; revision?: unknown }
    | undefined;
  if (!baseUrl?.startsWith('file:') || typeof t?.revision !== 'string') return;
  if (!/^sha256-[0-9a-f]{64}$/.test(t.revision)) return;
  const dir = path.join(templateDirOf(baseUrl), GO_SERVICE_SKELETONS);
  const parts = storedParts(dir, t.revision);
  if (parts && !parts.includes('skeleton-aggregate'))
    throw new InputError(
      `${where} records ${String(t.name ?? 'go-service')} ${String(
        t.version ?? '',
      )} (${t.revision.slice(
        0,
        19,
      )}), a revision of the Go service template that could not add aggregates yet (its skeletons have no skeleton-aggregate): upgrade the service first with "Upgrade a Go service to the current golden path", then add the aggregate`,
    );
}

/**
 * `golden-path:aggregate:plan`: checks an aggregate to add to a service made
 * by the Go service template, against the values the service recorded and its
 * checkout, and computes the two renders of the day-2 update (lib/serviceRenders).
 */
export function createAggregatePlanAction() {
  return createTemplateAction({
    id: 'golden-path:aggregate:plan',
    description:
      "Checks an aggregate to add to a Go service (the Go service template's rules for its name, plural and fields; required string, int, bool, uuid or timestamp fields; not an aggregate the service has, nor one that collides with one after pluralization, nor a Go keyword or predeclared name, nor a name its proto package, Go packages or queries declare) against the values the service recorded in .golden-path/values.json and its checkout, and outputs the fetch:template runs that render the service before and after the aggregate is added",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...serviceInput,
        aggregate: z =>
          z
            .object({
              name: z.string(),
              plural: z.string().optional(),
              fields: z.array(
                z.object({
                  name: z.string(),
                  type: z.string(),
                  optional: z.boolean().optional(),
                }),
              ),
            })
            .describe(
              'The aggregate: PascalCase singular name, optional PascalCase plural (else computed), its fields (snake_case name, type)',
            ),
        ...workingDirectoryInput(
          'services/<name>-service, api/proto and pkg (its packages are checked for the pkg APIs the skeletons call)',
        ),
      },
      output: {
        ...serviceLocationOutput,
        aggregate: z =>
          z
            .record(z.unknown())
            .describe(
              'The aggregate as recorded in values.aggregates: name, plural, table, snake, lower, camel, fields, migration',
            ),
        files: z =>
          z
            .array(z.string())
            .describe(
              'The files the aggregate adds, in the monorepo (without generated code)',
            ),
        ...updateRendersOutput('the aggregate'),
      },
    },
    async handler(ctx) {
      const serviceName = serviceNameOf(ctx.input.service);
      const service = openRecordedService(
        ctx,
        serviceName,
        "Add the aggregate by hand as the Go service template's docs describe",
      );
      const { root, where, base, resolver } = service;
      checkRecordedRevision(
        base.templateVersion,
        ctx.templateInfo?.baseUrl,
        where,
      );
      const protoDir = resolver.entry(`${root}/api/proto/${base.protoPkg}/v1`, {
        label: "the service's proto package",
      }).path;
      const migration = nextMigrationVersion(
        resolver,
        `${service.dir}/db/migrations`,
        where,
      );
      const g = planAggregate(
        ctx.input.aggregate,
        base,
        service.dir,
        protoDir,
        where,
        migration,
        resolver,
      );
      const next = {
        ...base,
        aggregates: [...recordedAggregates(base), g],
      };
      checkServicePkg(
        ctx,
        service,
        renderedParts(serviceRenders(next, '.', SERVICE_SKELETON_PARTS)),
        'add the aggregate',
      );
      const files = [
        ...aggregateServiceFiles(g).map(f => `${where}/${f}`),
        aggregateProtoFile(g, base.protoPkg),
      ].sort();
      ctx.logger.info(
        `adding the aggregate ${g.name} (${g.plural}, table ${g.table}, migration ${g.migration}) to ${serviceName} as ${base.protoPkg}.v1.${g.name}Service: ${files.length} new files`,
      );
      outputServiceLocation(ctx, service);
      ctx.output('aggregate', { ...g });
      ctx.output('files', files);
      outputUpdateRenders(ctx, base, next);
    },
  });
}
