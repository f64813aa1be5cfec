import type {
  FleetMigrationStatus,
  FleetTemplateVersion,
  GoServiceInsights,
  InsightProblem,
} from '@golden-path/plugin-golden-path-common';

/**
 * What the fleet keeps of one service's analysis: counts, not findings (a few
 * hundred bytes, where the insights are tens of kilobytes).
 */
export interface FleetAnalysisSummary {
  analysedAt: string;
  dependencyViolations: number;
  layoutProblems: number;
  protoProblems: number;
  migrationProblems: number;
  atlasSum?: 'ok' | 'missing' | 'mismatch' | 'invalid' | 'none';
  migrations: FleetMigrationStatus[];
}

/** The version a service recorded in `.golden-path/values.json` (`templateVersion`). */
export interface RecordedTemplateVersion {
  name: string;
  version: string;
  revision?: string;
}

const serious = (problems: InsightProblem[] | undefined) =>
  (problems ?? []).filter(p => p.severity !== 'info').length;

/** Counts of one service's insights: what the fleet table shows. */
export function summarizeInsights(
  insights: GoServiceInsights,
): FleetAnalysisSummary {
  const { layers, protos, migrations } = insights;
  return {
    analysedAt: insights.generatedAt,
    dependencyViolations: layers.violations.length,
    layoutProblems: serious(layers.problems),
    protoProblems:
      serious(protos.problems) +
      protos.files.reduce((n, f) => n + serious(f.problems), 0),
    migrationProblems: serious(migrations.problems),
    atlasSum: migrations.sum?.status,
    migrations: migrations.environments.map(env => ({
      name: env.name,
      status: env.status,
      pending: env.versions.filter(
        v => v.state === 'pending' || v.state === 'partial',
      ).length,
      failed: env.versions.filter(
        v => v.state === 'failed' || v.state === 'drift',
      ).length,
      ...(env.currentVersion ? { currentVersion: env.currentVersion } : {}),
    })),
  };
}

/**
 * The `templateVersion` of a service's `.golden-path/values.json` (its
 * text), or undefined when the file records none. Throws one line when the
 * file is not the JSON the template writes.
 */
export function parseRecordedTemplateVersion(
  text: string,
): RecordedTemplateVersion | undefined {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `.golden-path/values.json is not JSON (${(e as Error).message})`,
    );
  }
  const v = doc?.templateVersion;
  if (v === undefined || v === null) return undefined;
  if (
    typeof v !== 'object' ||
    typeof v.name !== 'string' ||
    !v.name ||
    typeof v.version !== 'string'
  )
    throw new Error(
      '.golden-path/values.json: templateVersion is not { name, version, revision } as the Go service template records it',
    );
  return {
    name: v.name.slice(0, 200),
    version: v.version.slice(0, 100),
    ...(typeof v.revision === 'string' && v.revision
      ? { revision: v.revision.slice(0, 80) }
      : {}),
  };
}

/** The recorded version against the current one (from the template entity in the catalog). */
export function compareTemplateVersion(
  recorded: RecordedTemplateVersion,
  current: string | undefined,
): FleetTemplateVersion {
  return {
    name: recorded.name,
    recorded: recorded.version,
    ...(recorded.revision ? { revision: recorded.revision } : {}),
    ...(current === undefined
      ? {}
      : { current, behind: current !== recorded.version }),
  };
}
