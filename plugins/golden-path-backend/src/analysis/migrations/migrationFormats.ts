import {
  type InsightProblem,
  type MigrationDirFormat,
  MIGRATION_FORMAT_TOOLS,
} from '@golden-path/plugin-golden-path-common';

/*
 * The migration directory formats Atlas's `--dir-format` knows, recognised
 * from file names and markers and checked by each tool's own rules:
 *
 * - atlas: `<version>_<name>.sql`, the version up to the first `_`;
 * - golang-migrate: `<version>_<title>.up.sql` + `.down.sql`, one version per pair;
 * - goose: `<version>_<name>.sql` with `-- +goose Up` (and Down, StatementBegin/End), and Go
 *   migrations `<version>_<name>.go` registering functions with `goose.AddMigrationContext(…)`;
 * - flyway: `V<version>__<desc>.sql`, `U…` undo, `B…` baseline, `R__<desc>.sql` repeatable, in subdirectories too;
 * - liquibase: formatted SQL changelogs, `--liquibase formatted sql` and `--changeset author:id`;
 * - dbmate: `<version>_<name>.sql` with `-- migrate:up` (and `-- migrate:down`).
 */

/** A file of the migration directory: its path relative to the directory, and its bytes. */
export interface MigrationDirFile {
  name: string;
  content: Buffer;
}

/** One version as its format reads it. */
export interface MigrationFormatVersion {
  version: string;
  description: string;
  /** The file applying it. */
  file: string;
  /** The file reverting it (golang-migrate down, Flyway undo). */
  down?: string;
  /** `go` for a goose migration written in Go (its file ends in `.go`); SQL otherwise. */
  language?: 'go';
}

/** What a format check found. */
export interface MigrationFormatCheck {
  versions: MigrationFormatVersion[];
  problems: InsightProblem[];
}

// golang-migrate's source.Regex
const GOLANG_MIGRATE = /^([0-9]+)_(.*)\.(down|up)\.sql$/;
const FLYWAY_VERSIONED = /^([VUB])([^/]*?)__(.*)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.*)\.sql$/;
const GOOSE_UP = /^--\s*\+goose\s+up\b/im;
// goose.AddMigration, AddMigrationContext, AddMigrationNoTx(Context), AddNamedMigration…
const GOOSE_GO_REGISTER =
  /\b[A-Za-z_]\w*\.Add(?:Named)?Migration(?:NoTx)?(?:Context)?\s*\(/;
const DBMATE_UP = /^--\s*migrate:up\b/m;
const LIQUIBASE_HEADER = /^\s*--\s*liquibase\s+formatted\s+sql\b/i;
const LIQUIBASE_CHANGESET = /^--\s*changeset\s+([^\s:]+):(\S+)/gim;

/** Atlas's LocalFile.Version: the name up to the first `_`, without `.sql`. */
export function atlasFileVersion(name: string): string {
  return name.replace(/\.sql$/, '').split('_')[0];
}

/** Atlas's LocalFile.Desc: the part after the first `_`, without `.sql`. */
export function atlasFileDescription(name: string): string {
  const i = name.indexOf('_');
  return i < 0 ? '' : name.slice(i + 1).replace(/\.sql$/, '');
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

const text = (f: MigrationDirFile) => f.content.toString('utf8');

/** Version numbers compared as numbers: `0001` and `1` are the same version for golang-migrate, goose and dbmate. */
function numericKey(v: string): string {
  return v.replace(/^0+(?=\d)/, '');
}

/** A file of the migration directory `dir` ('' for the source root itself). */
function inDir(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

/** golang-migrate's and goose's order: the version as a number (1, 2, 10), not as text. */
function byNumericVersion(
  a: MigrationFormatVersion,
  b: MigrationFormatVersion,
): number {
  const d = BigInt(a.version) - BigInt(b.version);
  if (d === 0n) return 0;
  return d < 0n ? -1 : 1;
}

/** Flyway's version: parts split at `.` or `_`, compared as numbers, trailing zero parts ignored. */
function flywayKey(v: string): string | undefined {
  const parts = v.replace(/_/g, '.').split('.');
  if (parts.some(p => !/^\d+$/.test(p))) return undefined;
  const nums = parts.map(numericKey);
  while (nums.length > 1 && nums[nums.length - 1] === '0') nums.pop();
  return nums.join('.');
}

/**
 * Recognises the format of a migration directory from its `.sql` files
 * (names relative to the directory), or from its `goFiles` when it holds
 * only goose's Go migrations: each tool's markers (goose, dbmate and
 * Liquibase write them into every file) and naming (golang-migrate's
 * `.up.sql`/`.down.sql`, Flyway's `V…__`) are counted, and the format that
 * explains the largest share of the files wins, if it explains at least half
 * of them (a stray marker in a comment does not make a format); else it is
 * Atlas's own format.
 */
export function detectMigrationDirFormat(
  files: MigrationDirFile[],
  goFiles: MigrationDirFile[] = [],
): {
  format: MigrationDirFormat;
  reason: string;
} {
  const top = files.filter(f => !f.name.includes('/'));
  const share = (n: number, all: number, what: string) =>
    `${what} in ${n} of ${all} file${all === 1 ? '' : 's'}`;
  const count = (
    list: MigrationDirFile[],
    test: (f: MigrationDirFile) => boolean,
  ) => list.filter(test).length;
  const candidates: Array<{
    format: MigrationDirFormat;
    n: number;
    of: number;
    reason: string;
  }> = [];
  const add = (
    format: MigrationDirFormat,
    list: MigrationDirFile[],
    test: (f: MigrationDirFile) => boolean,
    what: string,
  ) => {
    const n = count(list, test);
    if (n > 0)
      candidates.push({
        format,
        n,
        of: list.length,
        reason: share(n, list.length, what),
      });
  };
  // in order of precedence on a tie: markers before names
  add('goose', top, f => GOOSE_UP.test(text(f)), '"-- +goose Up"');
  add('dbmate', top, f => DBMATE_UP.test(text(f)), '"-- migrate:up"');
  add(
    'liquibase',
    files,
    f => LIQUIBASE_HEADER.test(text(f)),
    '"--liquibase formatted sql"',
  );
  add(
    'golang-migrate',
    top,
    f => GOLANG_MIGRATE.test(f.name),
    'names <version>_<title>.up.sql / .down.sql',
  );
  add(
    'flyway',
    files,
    f => {
      const b = baseName(f.name);
      return FLYWAY_VERSIONED.test(b) || FLYWAY_REPEATABLE.test(b);
    },
    'names V<version>__<description>.sql (or U, B, R__)',
  );
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) {
    if (c.n * 2 < c.of) continue;
    if (!best || c.n / c.of > best.n / best.of) best = c;
  }
  if (best) return { format: best.format, reason: best.reason };
  // only Go migrations: goose's
  const goose = goFiles.filter(
    f =>
      /^\d+_.*\.go$/.test(f.name) &&
      !f.name.endsWith('_test.go') &&
      GOOSE_GO_REGISTER.test(text(f)),
  ).length;
  if (files.length === 0 && goose > 0)
    return {
      format: 'goose',
      reason: `Go migrations registered with goose.AddMigration… in ${goose} file${
        goose === 1 ? '' : 's'
      }`,
    };
  return {
    format: 'atlas',
    reason: 'no other tool’s file names or markers: Atlas’s own format',
  };
}

/**
 * Checks a directory by its format's rules and lists its versions in the
 * order the tool applies them. `dir` (relative to the source root) prefixes
 * the paths of the findings. `goFiles` are the directory's `.go` files:
 * goose's Go migrations among them are listed with the SQL ones.
 */
export function checkMigrationDir(
  format: MigrationDirFormat,
  files: MigrationDirFile[],
  dir: string,
  goFiles: MigrationDirFile[] = [],
): MigrationFormatCheck {
  const problems: InsightProblem[] = [];
  const tool = MIGRATION_FORMAT_TOOLS[format];
  const problem = (
    severity: InsightProblem['severity'],
    code: string,
    message: string,
    file: string,
    line?: number,
  ) => problems.push({ severity, code, message, path: inDir(dir, file), line });
  const top = files
    .filter(f => !f.name.includes('/'))
    .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const versions: MigrationFormatVersion[] = [];
  /** Reports a second file for a version already taken (by key). */
  const seen = new Map<string, string>();
  const claim = (key: string, version: string, file: string) => {
    const prior = seen.get(key);
    if (prior) {
      problem(
        'error',
        'migrations-duplicate-version',
        `version ${version} is used by ${prior} and ${file}; ${tool} refuses two migrations with one version`,
        file,
      );
      return false;
    }
    seen.set(key, file);
    return true;
  };

  /**
   * goose's Go migrations: `<version>_<name>.go` files of the directory (not
   * tests), version from the name like goose's NumericComponent. goose runs
   * those registered with goose.AddMigration… and refuses one that is not.
   */
  const gooseGoMigrations = (): MigrationFormatVersion[] => {
    const out: MigrationFormatVersion[] = [];
    const sorted = goFiles
      .filter(f => !f.name.includes('/') && !f.name.endsWith('_test.go'))
      .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    for (const f of sorted) {
      const m = /^(\d+)_(.*)\.go$/.exec(f.name);
      if (!m) continue; // goose skips files without a version prefix (e.g. an embedding main.go)
      const [, version, description] = m;
      if (BigInt(version) < 1n) continue;
      if (!GOOSE_GO_REGISTER.test(text(f)))
        problem(
          'warning',
          'migrations-go-unregistered',
          `${f.name} registers no migration (goose.AddMigrationContext or AddNamedMigrationContext…); goose refuses an unregistered Go migration`,
          f.name,
        );
      if (!claim(numericKey(version), version, f.name)) continue;
      out.push({ version, description, file: f.name, language: 'go' });
    }
    return out;
  };

  switch (format) {
    case 'atlas':
    case 'liquibase': {
      for (const f of top) {
        const version = atlasFileVersion(f.name);
        if (format === 'atlas') claim(version, version, f.name);
        versions.push({
          version,
          description: atlasFileDescription(f.name),
          file: f.name,
        });
      }
      if (format === 'liquibase') problems.push(...checkLiquibase(files, dir));
      break;
    }
    case 'golang-migrate': {
      const downs = new Map<string, string>();
      for (const f of top) {
        const m = GOLANG_MIGRATE.exec(f.name);
        if (!m) {
          problem(
            'warning',
            'migrations-format-name',
            `golang-migrate reads only <version>_<title>.up.sql and .down.sql; it ignores ${f.name}`,
            f.name,
          );
          continue;
        }
        const [, version, title, direction] = m;
        if (direction === 'down') {
          if (downs.has(numericKey(version)))
            problem(
              'error',
              'migrations-duplicate-version',
              `version ${version} has two down files, ${downs.get(
                numericKey(version),
              )} and ${
                f.name
              }; golang-migrate refuses a duplicate migration file`,
              f.name,
            );
          else downs.set(numericKey(version), f.name);
          continue;
        }
        claim(numericKey(version), version, f.name);
        versions.push({ version, description: title, file: f.name });
      }
      for (const v of versions) {
        const down = downs.get(numericKey(v.version));
        if (down) {
          v.down = down;
          downs.delete(numericKey(v.version));
        }
      }
      versions.sort(byNumericVersion);
      for (const down of downs.values())
        problem(
          'warning',
          'migrations-down-without-up',
          `${down} has no .up.sql file of the same version: golang-migrate has nothing to apply for it`,
          down,
        );
      break;
    }
    case 'goose':
    case 'dbmate': {
      for (const f of top) {
        // goose: <version>_<name>.sql; dbmate: any name starting with digits
        const m =
          format === 'goose'
            ? /^(\d+)_(.*)\.sql$/.exec(f.name)
            : /^(\d+)[_-]?(.*)\.sql$/.exec(f.name);
        if (!m) {
          problem(
            'warning',
            'migrations-format-name',
            `${tool} reads versions from names like 20240101120000_create_orders.sql; ${f.name} has none`,
            f.name,
          );
          continue;
        }
        const [, version, description] = m;
        if (format === 'goose' && BigInt(version) < 1n) {
          problem(
            'error',
            'migrations-format-name',
            `goose versions start at 1; it refuses ${f.name}`,
            f.name,
          );
          continue;
        }
        claim(numericKey(version), version, f.name);
        versions.push({ version, description, file: f.name });
        const markers =
          format === 'goose'
            ? checkGooseMarkers(text(f))
            : checkDbmate(text(f));
        if (markers)
          problem(
            'error',
            'migrations-format-marker',
            markers.message,
            f.name,
            markers.line,
          );
      }
      if (format === 'goose') versions.push(...gooseGoMigrations());
      // goose orders by the version's number, SQL and Go alike (dbmate by the file name)
      if (format === 'goose') versions.sort(byNumericVersion);
      break;
    }
    case 'flyway': {
      const undos = new Map<string, string>();
      const repeatable = new Map<string, string>();
      const baselines: MigrationFormatVersion[] = [];
      for (const f of [...files].sort((a, b) =>
        Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
      )) {
        const b = baseName(f.name);
        const r = FLYWAY_REPEATABLE.exec(b);
        if (r) {
          const prior = repeatable.get(r[1]);
          if (prior)
            problem(
              'error',
              'migrations-duplicate-version',
              `repeatable migrations ${prior} and ${f.name} have the same description; Flyway refuses them`,
              f.name,
            );
          else repeatable.set(r[1], f.name);
          continue;
        }
        const m = FLYWAY_VERSIONED.exec(b);
        const key = m ? flywayKey(m[2]) : undefined;
        if (!m || !key) {
          problem(
            'warning',
            'migrations-format-name',
            `Flyway reads V<version>__<description>.sql (U for undo, R__ for repeatable); it ignores ${f.name}`,
            f.name,
          );
          continue;
        }
        const [, prefix, version, description] = m;
        if (prefix === 'U') {
          undos.set(key, f.name);
          continue;
        }
        if (prefix === 'B') {
          baselines.push({ version, description, file: f.name });
          continue;
        }
        claim(key, version, f.name);
        versions.push({ version, description, file: f.name });
      }
      for (const v of versions) {
        const key = flywayKey(v.version)!;
        if (undos.has(key)) {
          v.down = undos.get(key);
          undos.delete(key);
        }
      }
      for (const undo of undos.values())
        problem(
          'warning',
          'migrations-down-without-up',
          `${undo} undoes a version no V file has: Flyway has nothing to undo with it`,
          undo,
        );
      const order = (a: MigrationFormatVersion, b: MigrationFormatVersion) => {
        const pa = flywayKey(a.version)!.split('.').map(BigInt);
        const pb = flywayKey(b.version)!.split('.').map(BigInt);
        for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
          const d = (pa[i] ?? 0n) - (pb[i] ?? 0n);
          if (d !== 0n) return d < 0n ? -1 : 1;
        }
        return 0;
      };
      versions.sort(order);
      // a baseline migration (B…) replaces the versions up to it: Flyway (and
      // Atlas's flyway format) start from the latest baseline
      const baseline = baselines.sort(order).pop();
      if (baseline) {
        const kept = versions.filter(v => order(v, baseline) > 0);
        versions.splice(0, versions.length, baseline, ...kept);
      }
      for (const [description, file] of repeatable)
        versions.push({ version: 'R', description, file });
      break;
    }
    default:
      break;
  }
  return { versions, problems };
}

/** goose's pragma order (Up first, Down after it, StatementBegin/End in pairs), as `goose` and Atlas's GooseFile parse it. */
function checkGooseMarkers(
  source: string,
): { message: string; line: number } | undefined {
  let section: 'none' | 'up' | 'down' = 'none';
  let open: number | undefined;
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^--\s*\+goose\s+(\w+)/i.exec(lines[i]);
    if (!m) continue;
    const cmd = m[1].toLowerCase();
    const line = i + 1;
    if (cmd === 'up') {
      if (section !== 'none')
        return {
          message:
            'a second "-- +goose Up": goose reads one Up section per file',
          line,
        };
      section = 'up';
    } else if (cmd === 'down') {
      if (section !== 'up')
        return {
          message:
            '"-- +goose Down" before "-- +goose Up": goose applies the Up section, which must come first',
          line,
        };
      if (open !== undefined)
        return {
          message: `"-- +goose StatementBegin" on line ${open} is not closed before Down`,
          line: open,
        };
      section = 'down';
    } else if (cmd === 'statementbegin') {
      if (section === 'none' || open !== undefined)
        return {
          message:
            '"-- +goose StatementBegin" outside an Up or Down section, or inside another one',
          line,
        };
      open = line;
    } else if (cmd === 'statementend') {
      if (open === undefined)
        return {
          message: '"-- +goose StatementEnd" without a StatementBegin',
          line,
        };
      open = undefined;
    }
  }
  if (section === 'none')
    return {
      message:
        'no "-- +goose Up" line: goose refuses a migration without an Up section',
      line: 1,
    };
  if (open !== undefined)
    return {
      message: '"-- +goose StatementBegin" is never closed with StatementEnd',
      line: open,
    };
  return undefined;
}

/** dbmate's rule: an up block is required; down, if present, comes after it. */
function checkDbmate(
  source: string,
): { message: string; line: number } | undefined {
  const lines = source.split('\n');
  const up = lines.findIndex(l => /^--\s*migrate:up\b/.test(l));
  const down = lines.findIndex(l => /^--\s*migrate:down\b/.test(l));
  if (up < 0)
    return {
      message:
        'no "-- migrate:up" line: dbmate requires every migration to define an up block',
      line: 1,
    };
  if (down >= 0 && down < up)
    return {
      message:
        '"-- migrate:down" before "-- migrate:up": dbmate reads the up block first',
      line: down + 1,
    };
  return undefined;
}

/** Formatted SQL changelogs: the header, at least one changeset, and no author:id twice in a file. */
function checkLiquibase(
  files: MigrationDirFile[],
  dir: string,
): InsightProblem[] {
  const problems: InsightProblem[] = [];
  for (const f of files) {
    const source = text(f);
    const path = inDir(dir, f.name);
    if (!LIQUIBASE_HEADER.test(source)) {
      problems.push({
        severity: 'warning',
        code: 'migrations-format-marker',
        message: `${f.name} is not a formatted SQL changelog (no "--liquibase formatted sql" first line): Liquibase runs it only through a changelog's sqlFile`,
        path,
        line: 1,
      });
      continue;
    }
    const ids = new Map<string, number>();
    let count = 0;
    for (const m of source.matchAll(LIQUIBASE_CHANGESET)) {
      count++;
      const id = `${m[1]}:${m[2]}`;
      const line = source.slice(0, m.index).split('\n').length;
      const prior = ids.get(id);
      if (prior !== undefined)
        problems.push({
          severity: 'error',
          code: 'migrations-duplicate-version',
          message: `changeset ${id} is declared twice (lines ${prior} and ${line}); Liquibase refuses duplicate changeset identifiers`,
          path,
          line,
        });
      else ids.set(id, line);
    }
    if (count === 0)
      problems.push({
        severity: 'warning',
        code: 'migrations-format-marker',
        message: `${f.name} has no "--changeset author:id" line: Liquibase has nothing to run in it`,
        path,
        line: 1,
      });
  }
  return problems;
}
