import type {
  InsightProblem,
  MigrationEnvironmentInsight,
  MigrationFileInsight,
  MigrationsInsight,
  MigrationVersionInsight,
} from '@golden-path/plugin-golden-path-common';
import {
  compareStrings,
  normalizeServiceDir,
  SourceTree,
} from '../analysis/sourceTree';
import {
  AtlasMigrationFile,
  computeAtlasHashFile,
  isAtlasSumIgnored,
  selectAtlasMigrationFiles,
  verifyAtlasSum,
} from './atlasSum';

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

/** Atlas's LocalFile.Version: the name up to the first `_`, without `.sql`. */
export function atlasFileVersion(name: string): string {
  return name.replace(/\.sql$/, '').split('_')[0];
}

/** Atlas's LocalFile.Desc: the part after the first `_`, without `.sql`. */
export function atlasFileDescription(name: string): string {
  const i = name.indexOf('_');
  return i < 0 ? '' : name.slice(i + 1).replace(/\.sql$/, '');
}

/**
 * Reads a service's Atlas migration directory from the tree: the files with
 * their running hashes, and the atlas.sum check.
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
  const prefix = `${dir}/`;
  const problems: InsightProblem[] = [];
  const raw: AtlasMigrationFile[] = [];
  for (const [path, content] of tree.files) {
    if (!path.startsWith(prefix)) continue;
    const name = path.slice(prefix.length);
    if (name.includes('/')) continue; // Atlas reads the top level only
    if (name.endsWith('.sql')) raw.push({ name, content });
  }
  // a file over the size limit is not in the tree, so its hash cannot be checked
  for (const p of tree.problems) {
    if (p.path?.startsWith(prefix) && p.path.endsWith('.sql')) {
      problems.push({
        ...p,
        severity: 'error',
        message: `${p.message}; the atlas.sum check below is incomplete`,
      });
    }
  }
  const sqlFiles = selectAtlasMigrationFiles(raw);
  const sumContent = tree.files.get(`${prefix}atlas.sum`);
  const sum = verifyAtlasSum(sqlFiles, sumContent?.toString('utf8'));
  const hashes = new Map(
    computeAtlasHashFile(sqlFiles).map(e => [e.name, e.hash]),
  );
  const files: MigrationFileInsight[] = sqlFiles.map(f => ({
    name: f.name,
    version: atlasFileVersion(f.name),
    description: atlasFileDescription(f.name),
    hash: hashes.get(f.name) ?? '',
    sumIgnored: isAtlasSumIgnored(f.content),
  }));
  if (sqlFiles.length === 0) {
    problems.push({
      severity: 'info',
      code: 'migrations-none',
      message: `no migration files in ${dir}`,
      path: dir,
    });
  }
  const versions = new Map<string, string>();
  for (const f of files) {
    const prior = versions.get(f.version);
    if (prior) {
      problems.push({
        severity: 'error',
        code: 'migrations-duplicate-version',
        message: `version ${f.version} is used by ${prior} and ${f.name}`,
        path: `${prefix}${f.name}`,
      });
    }
    versions.set(f.version, f.name);
  }
  return { dir, files, sum, problems, sqlFiles };
}

function typeNames(type: number): MigrationVersionInsight['types'] {
  const out: MigrationVersionInsight['types'] = [];
  if (type & ATLAS_REVISION_TYPE.baseline) out.push('baseline');
  if (type & ATLAS_REVISION_TYPE.execute) out.push('execute');
  if (type & ATLAS_REVISION_TYPE.resolved) out.push('resolved');
  return out;
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
      types: typeNames(r.type),
      applied: r.applied,
      total: r.total,
      executedAt: r.executedAt?.toISOString(),
      executionTimeMs: Math.round(r.executionTimeNs / 1e6),
      error: r.error || undefined,
      errorStatement: r.errorStmt || undefined,
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
      types: typeNames(r.type),
      applied: r.applied,
      total: r.total,
      executedAt: r.executedAt?.toISOString(),
      executionTimeMs: Math.round(r.executionTimeNs / 1e6),
      error: r.error || undefined,
      errorStatement: r.errorStmt || undefined,
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
