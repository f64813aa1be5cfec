/*
 * The JSON shapes of the fleet API (GET /api/golden-path/fleet?team=&system=):
 * one small summary row per golden-path Go service the caller may see and
 * read the insights of. Plain data only.
 */

/**
 * The migration status of one service in one environment, counted.
 *
 * @public
 */
export interface FleetMigrationStatus {
  /** The environment's name (`goldenPath.insights.migrations.environments`). */
  name: string;
  /** The environment's status, as the insights report it. */
  status: 'ok' | 'pending' | 'drift' | 'failed' | 'error';
  /** Versions not applied yet (pending or partial). */
  pending: number;
  /** Versions that failed or drifted. */
  failed: number;
  /** The latest version applied, if any. */
  currentVersion?: string;
}

/**
 * The template version a service recorded, against the template's current one.
 *
 * @public
 */
export interface FleetTemplateVersion {
  /** The template's metadata.name (`go-service`). */
  name: string;
  /** The version the service was made or last upgraded with. */
  recorded: string;
  /** The skeleton revision recorded (`sha256-…`), when there is one. */
  revision?: string;
  /** The template's current version (its `golden-path.dev/template-version` annotation in the catalog), when the caller may see the template. */
  current?: string;
  /** Whether recorded and current differ (an upgrade is available). Absent when the current version is unknown. */
  behind?: boolean;
}

/**
 * One service of the fleet.
 *
 * @public
 */
export interface FleetServiceSummary {
  /** e.g. `component:default/order-service`. */
  entityRef: string;
  /** The entity's namespace. */
  namespace: string;
  /** The entity's name (`order-service`). */
  name: string;
  /** The entity's title, when it has one. */
  title?: string;
  /** The owner (`group:default/platform-team`), from the entity's ownedBy relation. */
  owner?: string;
  /** The system (`system:default/shop`), from the entity's partOf relation. */
  system?: string;
  /**
   * `analysed`: the counts below are from the analysis of `analysedAt`;
   * `pending`: not analysed yet (an analysis is running; ask again);
   * `error`: the analysis failed (see `error`).
   */
  status: 'analysed' | 'pending' | 'error';
  /** Why the analysis failed, in one line. */
  error?: string;
  /** When the analysis summarised here ran (ISO time). */
  analysedAt?: string;
  /** Whether a newer analysis is running (the row is older than the insights' cache TTL). */
  refreshing?: boolean;
  /** The monorepo's directory under the local publish root (the upgrade template's `localPath`), for a monorepo there. */
  localPath?: string;
  /** Absent when the service recorded no template version (made before versions were recorded, or by hand). */
  template?: FleetTemplateVersion;
  /** Branches of the monorepo holding an upgrade of this service not merged yet (`golden-path/upgrade-<service>-<revision>`); local monorepos only. */
  upgradeBranches: string[];
  /** Imports breaking the dependency rule. */
  dependencyViolations: number;
  /** Layout findings (missing layers, files that do not parse). */
  layoutProblems: number;
  /** Proto convention findings (errors and warnings). */
  protoProblems: number;
  /** Migration directory findings (atlas.sum, names). */
  migrationProblems: number;
  /** The atlas.sum check. */
  atlasSum?: 'ok' | 'missing' | 'mismatch' | 'invalid' | 'none';
  /** Per configured environment. */
  migrations: FleetMigrationStatus[];
}

/**
 * The answer of `GET /api/golden-path/fleet`.
 *
 * @public
 */
export interface FleetResponse {
  /** When this answer was made (ISO time). */
  generatedAt: string;
  /** Services listed (the caller may see and read them). */
  total: number;
  /** Services whose analysis is still running: ask again to get them. */
  pending: number;
  /** The migration environments configured, in order (the columns). */
  environments: string[];
  /** One row per service, in the catalog's order. */
  items: FleetServiceSummary[];
}
