/*
 * The JSON shapes of the insights API
 * (GET /api/golden-path/entities/:kind/:namespace/:name/insights[/layers|/protos|/migrations]).
 * Plain data only: no classes, no Node or React types, safe for the frontend.
 */

/**
 * How serious a finding is.
 *
 * @public
 */
export type InsightSeverity = 'error' | 'warning' | 'info';

/**
 * One finding of an analysis, with the place it refers to when there is one.
 * `path` is relative to the source root (the `backstage.io/source-location`),
 * so `source.location` + `path` points at the file; `line` and `column` start at 1.
 *
 * @public
 */
export interface InsightProblem {
  severity: InsightSeverity;
  /** Stable machine-readable code, e.g. `dependency-rule`, `proto-enum-zero`, `file-too-large`. */
  code: string;
  message: string;
  path?: string;
  line?: number;
  column?: number;
}

/**
 * Where the analysed source came from.
 *
 * @public
 */
export interface InsightsSource {
  /** The location read: `url:https://…` or `dir:/…` (from `backstage.io/source-location`). */
  location: string;
  /** The service directory inside that location (annotation `golden-path.dev/go-service`). */
  serviceDir: string;
  /** Commit or ETag of the tree read, when the reader reports one. */
  revision?: string;
  /** Files read (after skipping binaries and limits). */
  fileCount: number;
  /** Problems reading the tree: limits hit, files too large, binaries skipped. */
  problems: InsightProblem[];
}

/**
 * The four layers of the hexagonal layout, plus `cmd` (entry points) and
 * `other` for packages outside the layout.
 *
 * @public
 */
export type GoLayer =
  | 'domain'
  | 'application'
  | 'adapter'
  | 'infrastructure'
  | 'cmd'
  | 'other';

/**
 * One Go package of the service.
 *
 * @public
 */
export interface GoPackageInsight {
  /** Directory relative to the service directory, e.g. `internal/domain/entity`. */
  dir: string;
  /** Full import path (module path + dir) when go.mod was found. */
  importPath: string;
  /** The `package` clause name. */
  name: string;
  layer: GoLayer;
  /** Sub-layer, e.g. `entity`, `usecase`, `port/output`, `inbound/grpc`, `fx`; absent when unknown. */
  sublayer?: string;
  /** Non-test `.go` files. */
  files: number;
  testFiles: number;
  /** Lines of the non-test files. */
  lines: number;
  /** Whether the package has a `di.go` (the per-package Fx module). */
  hasDi: boolean;
  /** Import paths of other packages of the same service this package imports. */
  internalImports: string[];
  /** Other imports (standard library and third-party), sorted. */
  externalImports: string[];
}

/**
 * Totals of one sub-layer.
 *
 * @public
 */
export interface GoSublayerSummary {
  name: string;
  packages: number;
  files: number;
  lines: number;
}

/**
 * Totals of one layer and its sub-layers.
 *
 * @public
 */
export interface GoLayerSummary {
  layer: GoLayer;
  packages: number;
  files: number;
  lines: number;
  sublayers: GoSublayerSummary[];
}

/**
 * An import that breaks the dependency rule (inner layers must not import
 * outer ones).
 *
 * @public
 */
export interface DependencyViolation {
  /** File holding the import, relative to the source root. */
  path: string;
  line: number;
  column: number;
  fromPackage: string;
  fromLayer: GoLayer;
  fromSublayer?: string;
  /** The imported package's import path. */
  toPackage: string;
  toLayer: GoLayer;
  toSublayer?: string;
  /** The rule broken, e.g. `domain must not import adapter`. */
  rule: string;
}

/**
 * The layer analysis of a Go service.
 *
 * @public
 */
export interface LayersInsight {
  /** Module path from go.mod (the nearest go.mod at or above the service directory). */
  modulePath?: string;
  /** Import path of the service directory itself. */
  serviceImportPath?: string;
  layers: GoLayerSummary[];
  packages: GoPackageInsight[];
  violations: DependencyViolation[];
  /** Layout findings: missing layers, constructors without di.go, Go files that do not parse. */
  problems: InsightProblem[];
  totals: { packages: number; files: number; testFiles: number; lines: number };
  /**
   * Whether the service follows the golden-path layout (two or more of internal/domain, application, adapter,
   * infrastructure). `false`: another layout, whose layers were recognised from folder names; nothing is missing
   * from a layout it never claimed. Absent in answers of older backends: read as `true`.
   */
  followsGoldenPath?: boolean;
  /**
   * Where the dependency rule checked came from: the depguard rules of the service's golangci-lint config
   * (the file its architecture test and `make lint` read too), or the golden path's default rule when the
   * service has none. Absent in answers of older backends.
   */
  dependencyRule?: DependencyRuleInsight;
}

/**
 * The dependency rule an analysis checked, as data.
 *
 * @public
 */
export interface DependencyRuleInsight {
  /** `service`: read from {@link DependencyRuleInsight.path}; `default`: the golden path's built-in rule. */
  source: 'service' | 'default';
  /** The golangci-lint config read, relative to the source root (source `service`). */
  path?: string;
  /** The rules (depguard lists) by name, as read. */
  rules: Array<{
    name: string;
    /** File globs the rule applies to (`!` excludes). */
    files: string[];
    /** Import path prefixes refused (`$` at the end: exact). */
    deny: string[];
    /** Import path prefixes let through. */
    allow: string[];
  }>;
}

/**
 * One RPC of a proto service.
 *
 * @public
 */
export interface ProtoRpcInsight {
  name: string;
  requestType: string;
  responseType: string;
  clientStreaming: boolean;
  serverStreaming: boolean;
  line: number;
}

/**
 * One proto service.
 *
 * @public
 */
export interface ProtoServiceInsight {
  name: string;
  line: number;
  rpcs: ProtoRpcInsight[];
}

/**
 * One field of a proto message (map fields and oneof members too).
 *
 * @public
 */
export interface ProtoFieldInsight {
  name: string;
  /** Type as written, e.g. `string`, `google.protobuf.Timestamp`. */
  type: string;
  number: number;
  label?: 'repeated' | 'optional' | 'required';
  /** Set for `map<K, V>` fields. */
  map?: { keyType: string; valueType: string };
  /** The oneof the field belongs to. */
  oneof?: string;
  line?: number;
}

/**
 * One proto message with its fields.
 *
 * @public
 */
export interface ProtoMessageInsight {
  /** Fully-qualified name, e.g. `order.v1.CreateOrderRequest`. */
  fullName: string;
  line?: number;
  fields: ProtoFieldInsight[];
}

/**
 * One `.proto` file.
 *
 * @public
 */
export interface ProtoFileInsight {
  /** Path relative to the source root: inside the service directory or under the monorepo's `api/proto/<service>/`. */
  path: string;
  syntax?: string;
  package?: string;
  imports: string[];
  services: ProtoServiceInsight[];
  /** Fully-qualified names of the messages declared (nested ones too). */
  messages: string[];
  /** The messages declared (nested ones too, flattened) with their fields. */
  messageDetails?: ProtoMessageInsight[];
  /** Fully-qualified names of the enums declared. */
  enums: string[];
  /** Set when the file does not parse; then the lists above are empty. */
  parseError?: { message: string; line: number; column: number };
  /** Convention findings (package `<service>.v1`, `<Name>Service`, request/response names, enum zero values, timestamps). */
  problems: InsightProblem[];
}

/**
 * The proto analysis of a Go service.
 *
 * @public
 */
export interface ProtosInsight {
  files: ProtoFileInsight[];
  problems: InsightProblem[];
}

/**
 * The format of a migration directory, as Atlas's `--dir-format` names it.
 *
 * @public
 */
export type MigrationDirFormat =
  | 'atlas'
  | 'golang-migrate'
  | 'goose'
  | 'flyway'
  | 'liquibase'
  | 'dbmate';

/**
 * One migration version of the directory, as its format reads it (a
 * golang-migrate `.up.sql`/`.down.sql` pair is one version).
 *
 * @public
 */
export interface MigrationFileInsight {
  /** The file applying the version (for golang-migrate the `.up.sql` file), relative to the directory. */
  name: string;
  version: string;
  description: string;
  /** The file reverting it, when the format has one: golang-migrate `.down.sql`, Flyway `U…` undo. */
  down?: string;
  /** Running hash of this file as Atlas computes it (`h1:` entry of atlas.sum). */
  hash: string;
  /** Whether the file opts out of the sum with `-- atlas:sum ignore`. */
  sumIgnored: boolean;
}

/**
 * The atlas.sum check, as `atlas migrate validate` would judge it.
 *
 * @public
 */
export interface AtlasSumInsight {
  /**
   * `ok`: matches; `missing`: no atlas.sum although the directory is in Atlas's format; `mismatch`: files changed
   * since hashing; `invalid`: the sum file is malformed or its own total is wrong; `none`: no atlas.sum, and the
   * directory's format (golang-migrate, goose…) does not use one.
   */
  status: 'ok' | 'missing' | 'mismatch' | 'invalid' | 'none';
  /** The first difference Atlas would report (it reports one). */
  mismatch?: {
    file: string;
    reason: 'added' | 'edited' | 'removed';
    line: number;
  };
  /** Every difference found comparing entry by entry. */
  added: string[];
  edited: string[];
  removed: string[];
  message?: string;
}

/**
 * Where one migration version stands in one environment.
 * `applied`: fully applied; `pending`: not applied yet; `partial`: some statements applied;
 * `failed`: applying it failed (see `error`); `baseline`: marked as baseline, not executed;
 * `drift`: applied but the file was edited afterwards, or applied with no file in the directory.
 *
 * @public
 */
export type MigrationVersionState =
  | 'applied'
  | 'pending'
  | 'partial'
  | 'failed'
  | 'baseline'
  | 'drift';

/**
 * One version in one environment.
 *
 * @public
 */
export interface MigrationVersionInsight {
  version: string;
  description: string;
  /** The migration file, absent when the database has a version the directory lacks. */
  file?: string;
  state: MigrationVersionState;
  /** Revision type flags of Atlas: baseline (1), execute (2), resolved (4). */
  types: Array<'baseline' | 'execute' | 'resolved'>;
  applied?: number;
  total?: number;
  executedAt?: string;
  /** Execution time in milliseconds. */
  executionTimeMs?: number;
  error?: string;
  errorStatement?: string;
  /** Whether the hash recorded when applying equals the file's current hash. */
  hashMatches?: boolean;
  /** Why the state is what it is, in words. */
  note?: string;
}

/**
 * The migration status of one configured environment.
 *
 * @public
 */
export interface MigrationEnvironmentInsight {
  name: string;
  /** `ok`: all applied; `pending`: some to apply; `drift`/`failed`: needs a human; `error`: could not read the database (see `message`). */
  status: 'ok' | 'pending' | 'drift' | 'failed' | 'error';
  message?: string;
  /** Schema of the revisions table read. */
  revisionsSchema: string;
  /** The latest version applied, if any. */
  currentVersion?: string;
  versions: MigrationVersionInsight[];
}

/**
 * The migration analysis of a Go service.
 *
 * @public
 */
export interface MigrationsInsight {
  /** The migration directory, relative to the source root. */
  dir: string;
  /**
   * The directory's format, recognised from its file names and markers.
   * Absent when there is no migration directory (no migration file and no
   * atlas.sum where the migrations are read): `formatReason` then says so.
   */
  format?: MigrationDirFormat;
  /**
   * What the format was recognised by, e.g. `names <version>_<title>.up.sql / .down.sql in 3 of 3 files`,
   * or why there is none (`no migration files in services/x/db/migrations`).
   */
  formatReason: string;
  /** The migration versions, in the order the format applies them. */
  files: MigrationFileInsight[];
  sum: AtlasSumInsight;
  environments: MigrationEnvironmentInsight[];
  problems: InsightProblem[];
}

/**
 * Everything the insights API returns for one entity.
 *
 * @public
 */
export interface GoServiceInsights {
  /** e.g. `component:default/order-service`. */
  entityRef: string;
  /** ISO time the analysis ran (cached results keep their original time). */
  generatedAt: string;
  source: InsightsSource;
  layers: LayersInsight;
  protos: ProtosInsight;
  migrations: MigrationsInsight;
}
