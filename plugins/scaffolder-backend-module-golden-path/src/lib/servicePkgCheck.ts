import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { checkMonorepoPkg } from './pkgApis';
import { RecordedService } from './recordedService';

/**
 * The pkg check of a day-2 change (docs/template-versions.md, "A monorepo
 * older than the service template"): the change renders the service again
 * from the current skeletons `parts` (the skeleton directory names), so the
 * pkg checked out beside the service must have what they call. Refuses in
 * one line naming the service, each missing API and upgrade-monorepo; `then`
 * is what to do after it ("add the job"). A dry run reads nothing: the answer
 * would tell whoever may upload a template what the monorepo has.
 */
export function checkServicePkg(
  ctx: ActionContext<any, any>,
  service: RecordedService,
  parts: Iterable<string>,
  then: string,
): void {
  const { where } = service;
  if (ctx.isDryRun) {
    ctx.logger.info(
      `dry run: the pkg APIs ${where} calls are checked against the monorepo's pkg when the template runs`,
    );
    return;
  }
  checkMonorepoPkg({
    root: service.resolver,
    monorepo: service.resolver.entry(service.root, {
      label: 'workingDirectory',
    }).path,
    monorepoName: 'the monorepo',
    parts,
    where,
    then,
    log: line => ctx.logger.info(line),
  });
}

/** The skeleton directory names of fetch:template runs (`./go-service/skeleton-job` → `skeleton-job`). */
export function renderedParts(renders: { url: string }[]): string[] {
  return [
    ...new Set(renders.map(r => r.url.slice(r.url.lastIndexOf('/') + 1))),
  ];
}
