import {
  ANNOTATION_MIGRATIONS_DIR,
  type InsightProblem,
  MIGRATION_FORMAT_TOOLS,
  type MigrationEnvironmentInsight,
  type MigrationDirFormat,
  type MigrationFileInsight,
  type MigrationsInsight,
  type MigrationVersionInsight,
} from '@golden-path/plugin-golden-path-common';
import { compareStrings, normalizeServiceDir, SourceTree } from '../sourceTree';
import {
  AtlasMigrationFile,
  computeAtlasHashFile,
  isAtlasSumIgnored,
  selectAtlasMigrationFiles,
  verifyAtlasSum,
} from './atlasSum';
import {
  atlasFileDescription,
  atlasFileVersion,
  checkMigrationDir,
  detectMigrationDirFormat,
  MigrationDirFile,
} from './migrationFormats';

/** Revision type flags of Atlas (sql/migrate RevisionType). */
export const ATLAS_REVISION_TYPE = {
  baseline: 1,
  execute: 2,
  resolved: 4,
} as const;

/** A row of Atlas's `atlas_schema_revisions` table. */
export interface AtlasRevision {
  version: string;
  description: string;
  /** Bit flags, see {@link ATLAS_REVISION_TYPE}. */
  type: number;
  applied: number;
  total: number;
  executedAt?: Date;
  /** Nanoseconds (a Go time.Duration). */
  executionTimeNs: number;
  error?: string;
  errorStmt?: string;
  hash: string;
  operatorVersion?: string;
}

export { atlasFileDescription, atlasFileVersion };

/**
 * Reads a service's migration directory from the tree: recognises its format
 * (Atlas, golang-migrate, goose, Flyway, Liquibase, dbmate), checks it by
 * that format's rules, lists its versions with their running hashes, and
 * verifies atlas.sum where it applies (always for Atlas's format; for the
 * others when the team hashes the directory with `atlas migrate hash` too).
 */
export function analyzeMigrationDir(
  tree: SourceTree,
  options: { serviceDir: string; migrationsDir?: string },
): Omit<MigrationsInsight, 'environments'> & {
  sqlFiles: AtlasMigrationFile[];
} {
  const serviceDir = normalizeServiceDir(options.serviceDir);
  const dir = normalizeServiceDir(
    [serviceDir, options.migrationsDir ?? 'db/migrations']
      .filter(Boolean)
      .join('/'),
  );
  // the source root itself ('' once `.` is normalized) holds the files directly
  const prefix = dir ? `${dir}/` : '';
  const problems: InsightProblem[] = [];
  const all: MigrationDirFile[] = [];
  // goose's Go migrations sit beside its SQL ones (top level only, like goose reads them)
  const goFiles: MigrationDirFile[] = [];
  for (const [path, content] of tree.files) {
    if (!path.startsWith(prefix)) continue;
    const name = path.slice(prefix.length);
    if (path.endsWith('.sql')) all.push({ name, content });
    else if (path.endsWith('.go') && !name.includes('/'))
      goFiles.push({ name, content });
  }
  // Atlas hashes the top level only (whatever the format); Flyway also reads subdirectories
  const raw: AtlasMigrationFile[] = all.filter(f => !f.name.includes('/'));
  const detected = detectMigrationDirFormat(all, goFiles);
  const sumContent = tree.files.get(`${prefix}atlas.sum`);
  // No migration file, atlas.sum nor SQL file left out for its size: there
  // is no migration directory to have a format (Atlas's is only the default
  // of a directory that has files).
  const exists =
    all.length > 0 ||
    sumContent !== undefined ||
    detected.format === 'goose' ||
    tree.problems.some(
      p => p.path?.startsWith(prefix) && p.path.endsWith('.sql'),
    );
  const format = exists ? detected.format : undefined;
  const reason = exists
    ? detected.reason
    : `no migration files in ${dir || 'the source root'}`;
  const sumApplies = format === 'atlas' || sumContent !== undefined;
  // a file over the size limit is not in the tree, so its hash cannot be checked
  for (const p of tree.problems) {
    if (p.path?.startsWith(prefix) && p.path.endsWith('.sql')) {
      problems.push({
        ...p,
        severity: sumApplies ? 'error' : 'warning',
        message: sumApplies
          ? `${p.message}; the atlas.sum check below is incomplete`
          : `${p.message}; the ${
              MIGRATION_FORMAT_TOOLS[format!]
            } checks below are incomplete`,
      });
    }
  }
  const sqlFiles = selectAtlasMigrationFiles(raw);
  const sum: MigrationsInsight['sum'] = sumApplies
    ? verifyAtlasSum(sqlFiles, sumContent?.toString('utf8'))
    : {
        status: 'none',
        added: [],
        edited: [],
        removed: [],
        message: format
          ? `no atlas.sum: ${MIGRATION_FORMAT_TOOLS[format]} does not use one (run atlas migrate hash to have Atlas check the files too)`
          : 'no atlas.sum: there are no migration files to check',
      };
  const hashes = new Map(
    computeAtlasHashFile(sqlFiles).map(e => [e.name, e.hash]),
  );
  const contents = new Map(all.map(f => [f.name, f.content]));
  const checked = format
    ? checkMigrationDir(format, all, dir, goFiles)
    : { problems: [], versions: [] };
  problems.push(...checked.problems);
  // a Go migration (name `….go`) has no Atlas hash: Atlas reads and hashes .sql files only
  const files: MigrationFileInsight[] = checked.versions.map(v => ({
    name: v.file,
    version: v.version,
    description: v.description,
    ...(v.down ? { down: v.down } : {}),
    hash: hashes.get(v.file) ?? '',
    sumIgnored: v.language !== 'go' && isAtlasSumIgnored(contents.get(v.file)!),
  }));
  if (files.length === 0 && all.length === 0) {
    const elsewhere = migrationDirsElsewhere(tree, serviceDir, dir);
    const rel = (d: string) => d.slice(serviceDir.length).replace(/^\//, '');
    problems.push(
      elsewhere.length === 0
        ? {
            severity: 'info',
            code: 'migrations-none',
            message: `no migration files in ${dir || 'the source root'}`,
            path: dir || '.',
          }
        : {
            severity: 'warning',
            code: 'migrations-elsewhere',
            message: `no migration files in ${
              dir || 'the source root'
            }, but ${elsewhere
              .map(
                e =>
                  `${e.dir} holds ${e.versions} ${
                    MIGRATION_FORMAT_TOOLS[e.format]
                  } version${e.versions === 1 ? '' : 's'}`,
              )
              .join(
                ', ',
              )}: set the entity's ${ANNOTATION_MIGRATIONS_DIR} annotation to ${
              rel(elsewhere[0].dir) || '.'
            }${elsewhere.length > 1 ? ' (or another of them)' : ''}`,
            path: elsewhere[0].dir,
          },
    );
  }
  return {
    dir,
    ...(format ? { format } : {}),
    formatReason: reason,
    files,
    sum,
    problems,
    sqlFiles,
  };
}

/**
 * The other directories of the service that hold a migration directory: SQL
 * files at their top, each a version of the format they are read as that
 * starts with a digit (sqlc's queries/users.sql is none), fewest levels down
 * first. Go files are not looked at: a directory of goose Go migrations
 * alone is not told from any package.
 */
function migrationDirsElsewhere(
  tree: SourceTree,
  serviceDir: string,
  dir: string,
): Array<{ dir: string; format: MigrationDirFormat; versions: number }> {
  const prefix = serviceDir ? `${serviceDir}/` : '';
  const byDir = new Map<string, MigrationDirFile[]>();
  for (const [path, content] of tree.files) {
    if (!path.endsWith('.sql') || !path.startsWith(prefix)) continue;
    const at = path.lastIndexOf('/');
    const parent = at < 0 ? '' : path.slice(0, at);
    if (parent === dir || parent.length < serviceDir.length) continue;
    const list = byDir.get(parent) ?? [];
    list.push({ name: path.slice(at + 1), content });
    byDir.set(parent, list);
  }
  const found: Array<{
    dir: string;
    format: MigrationDirFormat;
    versions: number;
  }> = [];
  for (const [at, files] of byDir) {
    const { format } = detectMigrationDirFormat(files);
    const { versions } = checkMigrationDir(format, files, at);
    const numbered = versions.filter(v => /^\d/.test(v.version));
    const named = new Set(versions.flatMap(v => [v.file, v.down ?? '']));
    if (
      numbered.length > 0 &&
      numbered.length === versions.length &&
      files.every(f => named.has(f.name))
    )
      found.push({ dir: at, format, versions: versions.length });
  }
  return found.sort(
    (a, b) =>
      a.dir.split('/').length - b.dir.split('/').length ||
      compareStrings(a.dir, b.dir),
  );
}

/** A goose migration written in Go (listed by its `.go` file). */
export function isGoMigration(f: MigrationFileInsight): boolean {
  return f.name.endsWith('.go');
}

function typeNames(type: number): MigrationVersionInsight['types'] {
  const out: MigrationVersionInsight['types'] = [];
  if (type & ATLAS_REVISION_TYPE.baseline) out.push('baseline');
  if (type & ATLAS_REVISION_TYPE.execute) out.push('execute');
  if (type & ATLAS_REVISION_TYPE.resolved) out.push('resolved');
  return out;
}

/** What a version's insight shows of its revision row. */
function revisionFields(
  r: AtlasRevision,
): Pick<
  MigrationVersionInsight,
  | 'types'
  | 'applied'
  | 'total'
  | 'executedAt'
  | 'executionTimeMs'
  | 'error'
  | 'errorStatement'
> {
  return {
    types: typeNames(r.type),
    applied: r.applied,
    total: r.total,
    executedAt: r.executedAt?.toISOString(),
    executionTimeMs: Math.round(r.executionTimeNs / 1e6),
    error: r.error || undefined,
    errorStatement: r.errorStmt || undefined,
  };
}

/**
 * Compares the directory with the revisions read from one database: for each
 * version whether it is applied, pending, partial, failed, a baseline, or
 * drifted (applied but the file changed since, or applied with no file).
 * `revisions` undefined means the revisions table does not exist yet.
 */
export function compareMigrations(
  name: string,
  revisionsSchema: string,
  files: MigrationFileInsight[],
  revisions: AtlasRevision[] | undefined,
): MigrationEnvironmentInsight {
  const revs = [...(revisions ?? [])].sort((a, b) =>
    compareStrings(a.version, b.version),
  );
  const byVersion = new Map(revs.map(r => [r.version, r]));
  const fileVersions = new Set(files.map(f => f.version));
  const versions: MigrationVersionInsight[] = [];
  // the latest baseline: files at or below it count as covered by it
  const baseline = [...revs]
    .reverse()
    .find(r => r.type & ATLAS_REVISION_TYPE.baseline);
  let firstHashMismatch = true;

  for (const f of files) {
    const r = byVersion.get(f.version);
    // Atlas applies a goose directory's SQL files only: a Go migration is run
    // by the service's own goose binary and never recorded as Atlas's revision
    if (!r && isGoMigration(f)) continue;
    if (!r) {
      const covered = baseline && f.version <= baseline.version;
      versions.push({
        version: f.version,
        description: f.description,
        file: f.name,
        state: covered ? 'baseline' : 'pending',
        types: [],
        note: covered
          ? `below the baseline ${baseline!.version}; not executed here`
          : undefined,
      });
      continue;
    }
    const v: MigrationVersionInsight = {
      version: r.version,
      description: r.description,
      file: f.name,
      state: 'applied',
      ...revisionFields(r),
    };
    if (
      r.type & ATLAS_REVISION_TYPE.baseline &&
      !(r.type & ATLAS_REVISION_TYPE.execute)
    ) {
      v.state = 'baseline';
      v.note =
        'marked as baseline (atlas migrate apply --baseline or set); not executed';
    } else if (r.error) {
      v.state = 'failed';
      v.note = `failed after ${r.applied} of ${r.total} statements`;
    } else if (r.applied < r.total) {
      v.state = 'partial';
      v.note = `${r.applied} of ${r.total} statements applied`;
    }
    if (r.hash && f.hash) {
      v.hashMatches = r.hash === f.hash;
      if (!v.hashMatches && v.state === 'applied') {
        if (firstHashMismatch) {
          v.state = 'drift';
          v.note =
            'the file (or one before it) changed after it was applied: its hash differs from the one recorded';
          firstHashMismatch = false;
        } else {
          v.note =
            'recorded hash differs, following an earlier change (Atlas hashes are cumulative)';
        }
      }
    }
    if (r.type & ATLAS_REVISION_TYPE.resolved) {
      v.note = [v.note, 'resolved manually (atlas migrate set)']
        .filter(Boolean)
        .join('; ');
    }
    versions.push(v);
  }
  for (const r of revs) {
    if (fileVersions.has(r.version)) continue;
    versions.push({
      version: r.version,
      description: r.description,
      state:
        r.type & ATLAS_REVISION_TYPE.baseline &&
        !(r.type & ATLAS_REVISION_TYPE.execute)
          ? 'baseline'
          : 'drift',
      ...revisionFields(r),
      note: 'applied in the database but no migration file has this version',
    });
  }
  versions.sort((a, b) => compareStrings(a.version, b.version));
  // a pending file older than the latest applied one was added out of order
  const lastApplied = [...revs]
    .reverse()
    .find(r => r.type & ATLAS_REVISION_TYPE.execute)?.version;
  for (const v of versions) {
    if (v.state === 'pending' && lastApplied && v.version < lastApplied) {
      v.note = `older than the applied ${lastApplied}: added out of order; atlas migrate apply refuses it without --exec-order`;
    }
  }
  const states = new Set(versions.map(v => v.state));
  let status: MigrationEnvironmentInsight['status'] = 'ok';
  if (states.has('failed') || states.has('partial')) status = 'failed';
  else if (states.has('drift')) status = 'drift';
  else if (states.has('pending')) status = 'pending';
  return {
    name,
    status,
    revisionsSchema,
    currentVersion: revs.length ? revs[revs.length - 1].version : undefined,
    versions,
    message:
      revisions === undefined
        ? 'no revisions table yet: nothing has been applied'
        : undefined,
  };
}
