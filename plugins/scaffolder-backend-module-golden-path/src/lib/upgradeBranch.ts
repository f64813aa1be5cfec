import { checkUpgradeCheckout } from './localGit';
import { resolveUnderLocalRoot } from './localRoots';
import { GoldenPathSettings } from './settings';
import { UpgradeSkeletons } from './templateSource';
import { TemplateVersion } from './templateVersions';

/**
 * The branch of the upgrade of `name` (a service, or monorepo) from `from`
 * to plan.to, and whether there is nothing to upgrade. With `localPath` (the
 * monorepo under the local publish root), its checkout is checked for the
 * branch first; the plan's skeletons are stored only after (never in a dry
 * run), so a refusal writes nothing.
 */
export async function upgradeBranch(
  deps: { settings: GoldenPathSettings },
  ctx: {
    input: { localPath?: string };
    signal?: AbortSignal;
    isDryRun?: boolean;
    logger: { info(message: string): void };
  },
  name: string,
  from: TemplateVersion,
  plan: UpgradeSkeletons,
): Promise<{ upToDate: boolean; branchName: string }> {
  const upToDate = from.revision === plan.to.revision;
  const branchName = `golden-path/upgrade-${name}-${plan.to.revision.slice(
    7,
    19,
  )}`;
  if (ctx.input.localPath) {
    const { target } = resolveUnderLocalRoot(
      deps.settings.localRoots,
      ctx.input.localPath,
      'localPath',
    );
    await checkUpgradeCheckout(target, upToDate ? undefined : branchName, {
      settings: deps.settings,
      signal: ctx.signal,
      label: `${ctx.input.localPath} (under the local publish root)`,
      isDryRun: ctx.isDryRun,
      logger: ctx.logger,
    });
  }
  if (!ctx.isDryRun) plan.store?.();
  return { upToDate, branchName };
}
