import { createTemplateAction } from '../lib/templateAction';
import { jobRenderValues, serviceNameOf } from '../lib/recordedValues';
import {
  openRecordedService,
  outputServiceLocation,
  serviceInput,
  serviceLocationOutput,
  workingDirectoryInput,
} from '../lib/recordedService';
import { planRpc, recordedRpcs, rpcFiles } from '../lib/serviceRpc';
import { updateValuesOutput } from '../lib/updateRenders';
import { serviceRenders } from '../lib/serviceRenders';
import { checkServicePkg, renderedParts } from '../lib/servicePkgCheck';
import { examples } from './rpcPlan.examples';

/** The skeleton parts templates/add-rpc.yaml renders. */
const RPC_TEMPLATE_PARTS = [
  'skeleton',
  'skeleton-statemachine',
  'skeleton-async',
  'skeleton-jobs',
  'skeleton-job',
  'skeleton-rpcs',
  'skeleton-rpc',
  'skeleton-rpc-query',
];

/**
 * `golden-path:rpc:plan`: checks an RPC to add to a service made by the Go
 * service template, against the values the service recorded and its checkout,
 * and computes the values of the two renders of the day-2 update.
 */
export function createRpcPlanAction() {
  return createTemplateAction({
    id: 'golden-path:rpc:plan',
    description:
      "Checks an RPC to add to a Go service's aggregate (a PascalCase name that is no Go keyword, no RPC of the service yet, not one differing only in a plural, and declares nothing the service's packages declare; a query or a command; required string, int, bool, uuid or enum fields of the aggregate) against the values the service recorded in .golden-path/values.json and its checkout, and outputs the values of the service before and after the RPC is added",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...serviceInput,
        rpc: z =>
          z
            .object({
              name: z.string(),
              kind: z.string(),
              fields: z.array(z.string()),
            })
            .describe(
              'The RPC: PascalCase name, kind (query or command), the names of the aggregate fields its request carries',
            ),
        ...workingDirectoryInput(
          'services/<name>-service, api/proto and pkg (its packages are checked for the pkg APIs the skeletons call)',
        ),
      },
      output: {
        ...serviceLocationOutput,
        rpc: z =>
          z
            .record(z.unknown())
            .describe(
              'The RPC as recorded: name, kind, fields, snake, camel, pkg',
            ),
        files: z =>
          z
            .array(z.string())
            .describe('The files the RPC adds, in the monorepo'),
        ...updateValuesOutput('the RPC'),
        baseJobs: z =>
          z
            .array(z.record(z.unknown()))
            .describe('Values of go-service/skeleton-job per job'),
        baseRpcs: z =>
          z
            .array(z.record(z.unknown()))
            .describe('Values of go-service/skeleton-rpc per RPC, before'),
        nextRpcs: z =>
          z
            .array(z.record(z.unknown()))
            .describe('The same with the RPC added'),
        baseQueries: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'Values of go-service/skeleton-rpc-query per query RPC, before',
            ),
        nextQueries: z =>
          z
            .array(z.record(z.unknown()))
            .describe('The same with the RPC added'),
        hadRpcs: z =>
          z
            .boolean()
            .describe('Whether the service had added RPCs (fx/rpcs.go) before'),
      },
    },
    async handler(ctx) {
      const serviceName = serviceNameOf(ctx.input.service);
      const service = openRecordedService(
        ctx,
        serviceName,
        'Add the RPC by hand: the proto, a handler method, a use case package with its di.go, and a test',
      );
      const { root, where, base, resolver } = service;
      const protoRel = `api/proto/${base.protoPkg}/v1/${base.protoPkg}_service.proto`;
      const proto = resolver.entry(`${root}/${protoRel}`, {
        label: "the service's proto",
      });
      const rpc = planRpc(
        ctx.input.rpc,
        base,
        service.dir,
        proto.path,
        where,
        resolver,
      );

      const rpcs = recordedRpcs(base);
      const next = { ...base, rpcs: [...rpcs, rpc] };
      checkServicePkg(
        ctx,
        service,
        renderedParts(serviceRenders(next, '.', RPC_TEMPLATE_PARTS)),
        'add the RPC',
      );
      const per = (v: Record<string, unknown>, list: typeof rpcs) =>
        list.map(r => ({ ...v, rpc: r }));
      const files = [
        ...rpcFiles(rpc).map(f => `${where}/${f}`),
        ...(rpcs.length ? [] : [`${where}/internal/infrastructure/fx/rpcs.go`]),
      ].sort();
      ctx.logger.info(
        `adding the ${rpc.kind} ${rpc.name}(${rpc.fields
          .map(f => f.name)
          .join(', ')}) to ${serviceName}: ${files.length} new files`,
      );
      outputServiceLocation(ctx, service);
      ctx.output('rpc', { ...rpc });
      ctx.output('files', files);
      ctx.output('base', base);
      ctx.output('next', next);
      ctx.output(
        'baseJobs',
        base.jobs.map(j => jobRenderValues(base, j)),
      );
      ctx.output('baseRpcs', per(base, rpcs));
      ctx.output('nextRpcs', per(next, next.rpcs));
      ctx.output(
        'baseQueries',
        per(
          base,
          rpcs.filter(r => r.kind === 'query'),
        ),
      );
      ctx.output(
        'nextQueries',
        per(
          next,
          next.rpcs.filter(r => r.kind === 'query'),
        ),
      );
      ctx.output('hadRpcs', rpcs.length > 0);
    },
  });
}
