import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { RecordedServiceValues } from './recordedValues';
import { SERVICE_SKELETON_PARTS, serviceRenders } from './serviceRenders';

type Z = typeof zod;

/** The Go service template's skeletons, relative to the day-2 templates (templates/add-*.yaml). */
export const GO_SERVICE_SKELETONS = './go-service';

/**
 * The `base` and `next` outputs of a day-2 plan action that renders the
 * service itself: its fetch:template runs before and after `added` (e.g.
 * "the aggregate").
 */
export function updateRendersOutput(added: string) {
  return {
    base: (z: Z) =>
      z
        .array(z.record(z.unknown()))
        .describe(
          "The fetch:template runs (url: a skeleton directory of ./go-service, values) that make the service from its recorded values, in the Go service template's order",
        ),
    next: (z: Z) =>
      z.array(z.record(z.unknown())).describe(`The same with ${added} added`),
  };
}

/** Outputs `base` and `next` as updateRendersOutput describes them. */
export function outputUpdateRenders(
  ctx: ActionContext<any, any>,
  before: RecordedServiceValues,
  next: RecordedServiceValues,
): void {
  ctx.output(
    'base',
    serviceRenders(before, GO_SERVICE_SKELETONS, SERVICE_SKELETON_PARTS) as any,
  );
  ctx.output(
    'next',
    serviceRenders(next, GO_SERVICE_SKELETONS, SERVICE_SKELETON_PARTS) as any,
  );
}

/**
 * The `base` and `next` outputs of a day-2 plan action whose template renders
 * the skeletons itself: the service's values before and after `added`.
 */
export function updateValuesOutput(added: string) {
  return {
    base: (z: Z) =>
      z
        .record(z.unknown())
        .describe(
          'The values the service was rendered with (go-service/skeleton*)',
        ),
    next: (z: Z) =>
      z.record(z.unknown()).describe(`The same with ${added} added`),
  };
}
