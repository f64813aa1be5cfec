import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '../lib/templateAction';
import path from 'node:path';
import {
  monorepoRenders,
  monorepoScope,
  readRecordedMonorepo,
} from '../lib/monorepoRenders';
import { GoldenPathSettings } from '../lib/settings';
import { shortVersion as short, VERSIONS_DIR } from '../lib/templateVersions';
import { upgradeBranch } from '../lib/upgradeBranch';
import { upgradeSkeletons } from '../lib/upgradeSkeletons';
import { workspaceOf } from '../lib/toolStep';
import { examples } from './monorepoUpgradePlan.examples';

/**
 * `golden-path:monorepo:upgrade-plan`: checks that a Go monorepo's shared
 * files can be upgraded to the current Go monorepo template (the values and
 * template version it recorded in .golden-path/values.json at its root, the
 * skeletons of that version still stored, or for a template from GitHub or
 * Gitea still in its repository at the recorded commit, a clean git
 * checkout) and lists the
 * two renders of the upgrade, and the paths they own: everything the
 * monorepo template renders, none of the services.
 */
export function createMonorepoUpgradePlanAction(deps: {
  settings: GoldenPathSettings;
  reader: UrlReaderService;
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'golden-path:monorepo:upgrade-plan',
    description: `Checks a Go monorepo for an upgrade of its shared files to the current Go monorepo template: the values and template version it recorded in .golden-path/values.json at its root, the skeletons of that version (a local template's ${VERSIONS_DIR} store, or a GitHub or Gitea template's source at the recorded commit, read from the running template's own location), and (local) a git checkout without uncommitted changes; outputs the fetch:template runs of the monorepo as it was made (base) and with the current template (next), and the paths the template owns (never services/<name>). Every refusal is one line, before anything is written`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        workingDirectory: z =>
          z
            .string()
            .optional()
            .describe(
              "Workspace directory holding the monorepo's checkout (default: the root)",
            ),
        template: z =>
          z
            .string()
            .optional()
            .describe(
              "The Go monorepo template's directory, beside the running template's file (default go-monorepo)",
            ),
        localPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The monorepo under the local publish root: its git checkout must have no uncommitted changes and no branch named like the upgrade (empty or absent: the monorepo is on a forge)',
            ),
      },
      output: {
        projectName: z => z.string().describe("The monorepo's project name"),
        from: z =>
          z
            .record(z.unknown())
            .describe('The recorded template version: name, version, revision'),
        to: z =>
          z
            .record(z.unknown())
            .describe('The current template version: name, version, revision'),
        upToDate: z =>
          z
            .boolean()
            .describe(
              'True when the monorepo is at the current revision already',
            ),
        base: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'fetch:template runs ({url, values}) of the monorepo as it was made',
            ),
        next: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'fetch:template runs of the same values with the current template',
            ),
        paths: z =>
          z
            .array(z.string())
            .describe(
              "The monorepo's shared paths the renders hold (top-level files and directories, and services/README.md): the merge's and the change's scope",
            ),
        branchName: z => z.string().describe('The branch of the upgrade'),
      },
    },
    async handler(ctx) {
      const resolver = workspaceOf(ctx);
      const root = resolver.entry(ctx.input.workingDirectory ?? '.', {
        label: 'workingDirectory',
      });
      if (!root.stats?.isDirectory())
        throw new InputError(
          `workingDirectory "${ctx.input.workingDirectory}" is not a directory of the task workspace`,
        );
      const recorded = readRecordedMonorepo(root.path);
      const { values, version: from } = recorded;
      // The paths the skeletons own, read from each skeleton directory.
      const scope = (dir: string, parts: string[]) =>
        monorepoScope(parts.map(p => path.join(dir, p)));
      const plan = await upgradeSkeletons(deps, ctx, {
        rel: ctx.input.template ?? 'go-monorepo',
        from,
        where: 'the monorepo',
        title: 'Go monorepo template',
        inspect: scope,
      });
      const { to } = plan;
      const { upToDate, branchName } = await upgradeBranch(
        deps,
        ctx,
        'monorepo',
        from,
        plan,
      );
      ctx.logger.info(
        upToDate
          ? `${values.projectName} is at ${short(
              to,
            )} already: nothing to upgrade`
          : `upgrading the shared files of ${values.projectName} from ${short(
              from,
            )} to ${short(to)}`,
      );
      ctx.output('projectName', values.projectName as string);
      ctx.output('from', { ...from });
      ctx.output('to', { ...to });
      ctx.output('upToDate', upToDate);
      ctx.output(
        'base',
        monorepoRenders(
          { ...values, templateVersion: from },
          plan.base.dir,
          plan.base.parts,
        ) as any,
      );
      ctx.output(
        'next',
        monorepoRenders(
          { ...values, templateVersion: to },
          plan.next.dir,
          plan.next.parts,
        ) as any,
      );
      ctx.output(
        'paths',
        [
          ...new Set([
            ...(plan.base.inspected ?? []),
            ...(plan.next.inspected ?? []),
          ]),
        ].sort(),
      );
      ctx.output('branchName', branchName);
    },
  });
}
