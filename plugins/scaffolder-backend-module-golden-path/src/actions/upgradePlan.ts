import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '../lib/templateAction';
import { serviceNameOf } from '../lib/recordedValues';
import {
  openRecordedService,
  outputServiceLocation,
  serviceInput,
  serviceLocationOutput,
} from '../lib/recordedService';
import { serviceRenders } from '../lib/serviceRenders';
import { checkServicePkg, renderedParts } from '../lib/servicePkgCheck';
import { GoldenPathSettings } from '../lib/settings';
import {
  shortVersion as short,
  TemplateVersion,
  VERSIONS_DIR,
} from '../lib/templateVersions';
import {
  recordedSource,
  SourcedVersion,
  TemplateSource,
} from '../lib/templateSource';
import { upgradeBranch } from '../lib/upgradeBranch';
import { upgradeSkeletons } from '../lib/upgradeSkeletons';
import { examples } from './upgradePlan.examples';

/**
 * The templateVersion a service recorded, checked; one line when it has
 * none. Of a recorded git source only the commit is kept (40 hex digits):
 * the file is the team's to edit, so its URL is never read from
 * (docs/template-versions.md, Security).
 */
function recordedVersion(v: unknown, where: string): SourcedVersion {
  const t = v as
    | (Partial<TemplateVersion> & { source?: Partial<TemplateSource> })
    | undefined;
  if (
    t &&
    typeof t === 'object' &&
    typeof t.name === 'string' &&
    t.revision === ''
  ) {
    throw new InputError(
      `${where}/.golden-path/values.json records ${t.name} ${
        t.version ?? ''
      } without a skeleton revision (the template was not read from a local directory), so the skeleton it was made from cannot be retrieved; upgrade it by hand (docs/template-versions.md)`,
    );
  }
  if (
    !t ||
    typeof t !== 'object' ||
    ![t.name, t.version, t.revision].every(x => typeof x === 'string' && x)
  ) {
    throw new InputError(
      `${where}/.golden-path/values.json records no template version (templateVersion: name, version, revision): it was made before template versions were recorded, so the skeleton it was made from is unknown; upgrade it by hand (docs/template-versions.md)`,
    );
  }
  const version = { name: t.name!, version: t.version!, revision: t.revision! };
  const source = recordedSource(
    t.source,
    `${where}/.golden-path/values.json`,
    "the monorepo's history",
  );
  return source ? { ...version, source } : version;
}

/**
 * `golden-path:upgrade:plan`: checks that a Go service can be upgraded to the
 * current Go service template (recorded values and template version, the
 * skeletons of that version still stored, a clean git checkout) and lists
 * the two renders of the upgrade: the service as it was made, and the same
 * values with the template as it is.
 */
export function createUpgradePlanAction(deps: {
  settings: GoldenPathSettings;
  reader: UrlReaderService;
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'golden-path:upgrade:plan',
    description: `Checks a Go service for an upgrade to the current Go service template: the values and template version it recorded in .golden-path/values.json, the skeletons of that version (a local template's ${VERSIONS_DIR} store, or a GitHub or Gitea template's source at the recorded commit, read from the running template's own location), and (local) a monorepo git checkout without uncommitted changes; outputs the fetch:template runs of the service as it was made (base) and with the current template (next). Every refusal is one line, before anything is written`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...serviceInput,
        workingDirectory: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory laid out like the monorepo, holding services/<name>-service and pkg (its packages are checked for the pkg APIs the skeletons call; default: the root)',
            ),
        template: z =>
          z
            .string()
            .optional()
            .describe(
              "The Go service template's directory, beside the running template's file (default go-service); for a template from GitHub or Gitea, that directory of the same repository and branch",
            ),
        localPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The monorepo under the local publish root: its git checkout must have no uncommitted changes and no branch named like the upgrade (empty or absent: the service is on a forge, and the pull request is checked there)',
            ),
      },
      output: {
        ...serviceLocationOutput,
        from: z =>
          z
            .record(z.unknown())
            .describe(
              'The recorded template version: name, version, revision (and source: url, commit)',
            ),
        to: z =>
          z
            .record(z.unknown())
            .describe(
              'The current template version: name, version, revision (and source: url, commit)',
            ),
        upToDate: z =>
          z
            .boolean()
            .describe(
              'True when the service is at the current revision already',
            ),
        base: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'fetch:template runs ({url, values}) of the service as it was made',
            ),
        next: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'fetch:template runs of the same values with the current template',
            ),
        branchName: z => z.string().describe('The branch of the upgrade'),
      },
    },
    async handler(ctx) {
      const serviceName = serviceNameOf(ctx.input.service);
      const service = openRecordedService(
        ctx,
        serviceName,
        'Upgrade it by hand (docs/template-versions.md)',
      );
      const { where, base: values } = service;
      const from = recordedVersion(values.templateVersion, where);
      const rel = ctx.input.template ?? 'go-service';
      const plan = await upgradeSkeletons(deps, ctx, {
        rel,
        from,
        where,
        title: 'Go service template',
      });
      const { to } = plan;
      const next = { ...values, templateVersion: to };
      const nextRenders = serviceRenders(next, plan.next.dir, plan.next.parts);
      // Before anything is stored: the upgraded service is what the
      // template's skeletons make now, and the manifest of what they call is
      // the Go service template's.
      if (from.revision !== to.revision && rel === 'go-service')
        checkServicePkg(
          ctx,
          service,
          renderedParts(nextRenders),
          'upgrade the service',
        );
      const { upToDate, branchName } = await upgradeBranch(
        deps,
        ctx,
        serviceName,
        from,
        plan,
      );
      ctx.logger.info(
        upToDate
          ? `${where} is at ${short(to)} already: nothing to upgrade`
          : `upgrading ${where} from ${short(from)} to ${short(to)}`,
      );
      outputServiceLocation(ctx, service);
      ctx.output('from', { ...from });
      ctx.output('to', { ...to });
      ctx.output('upToDate', upToDate);
      ctx.output(
        'base',
        serviceRenders(values, plan.base.dir, plan.base.parts) as any,
      );
      ctx.output('next', nextRenders as any);
      ctx.output('branchName', branchName);
    },
  });
}
