import { jobRenderValues, RecordedServiceValues } from './recordedValues';
import { recordedAggregates } from './serviceAggregate';
import { recordedRpcs } from './serviceRpc';

/** One fetch:template run: a skeleton directory and its values. */
export interface SkeletonRender {
  /** The skeleton directory, relative to the template that renders it. */
  url: string;
  values: Record<string, unknown>;
}

/** Every skeleton part of the Go service template a service's values can ask for, in render order. */
export const SERVICE_SKELETON_PARTS = [
  'skeleton',
  'skeleton-statemachine',
  'skeleton-async',
  'skeleton-jobs',
  'skeleton-job',
  'skeleton-dependencies',
  'skeleton-dependency',
  'skeleton-rpcs',
  'skeleton-rpc',
  'skeleton-rpc-query',
  'skeleton-aggregate',
];

/**
 * The fetch:template runs that make a service from its values, in the Go
 * service template's order (then the day-2 parts: added RPCs): skeleton,
 * state machine, async, jobs and each job, the clients of the services it
 * calls and each client, the RPC registry, each RPC and each query RPC's
 * repository method, each added aggregate. `dir` is where the skeleton directories are (e.g.
 * ./go-service, or a stored revision ./go-service/.versions/<revision>);
 * a part `parts` lacks is left out (that revision did not have it).
 */
export function serviceRenders(
  v: RecordedServiceValues,
  dir: string,
  parts: string[],
): SkeletonRender[] {
  const out: SkeletonRender[] = [];
  const add = (part: string, values: Record<string, unknown>) => {
    if (parts.includes(part)) out.push({ url: `${dir}/${part}`, values });
  };
  const dependencies = Array.isArray(v.dependencies)
    ? (v.dependencies as Record<string, unknown>[])
    : [];
  const rpcs = recordedRpcs(v);
  add('skeleton', v);
  if (v.hasStateMachine) add('skeleton-statemachine', v);
  if (v.stage === 'async') add('skeleton-async', v);
  if (v.jobs.length) add('skeleton-jobs', v);
  for (const job of v.jobs) add('skeleton-job', jobRenderValues(v, job));
  if (dependencies.length) add('skeleton-dependencies', v);
  for (const dep of dependencies)
    add('skeleton-dependency', {
      name: v.name,
      serviceName: v.serviceName,
      module: v.module,
      pkgModule: v.pkgModule,
      dep,
    });
  if (rpcs.length) add('skeleton-rpcs', v);
  for (const rpc of rpcs) add('skeleton-rpc', { ...v, rpc });
  for (const rpc of rpcs.filter(r => r.kind === 'query'))
    add('skeleton-rpc-query', { ...v, rpc });
  for (const agg of recordedAggregates(v))
    add('skeleton-aggregate', { ...v, agg });
  return out;
}
