import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SourceTree } from '../sourceTree';
import {
  analyzeMigrationDir,
  ATLAS_REVISION_TYPE,
  compareMigrations,
  isGoMigration,
} from './migrationStatus';

/*
 * Migration directories of the formats Atlas's --dir-format knows, made by
 * hand the way each tool writes them, read by the insights: the format is
 * recognised, each is checked by its own tool's rules, and atlas.sum is
 * verified only where it applies (an atlas.sum written by the real
 * `atlas migrate hash` over a golang-migrate directory is verified too).
 */
const run = promisify(execFile);
const ATLAS = path.resolve(__dirname, '../../../../../.tools/bin/atlas');
const DIR = 'svc/db/migrations';

function tree(files: Record<string, string>): SourceTree {
  return {
    files: new Map(
      Object.entries(files).map(([name, text]) => [
        `${DIR}/${name}`,
        Buffer.from(text),
      ]),
    ),
    problems: [],
  };
}

const analyze = (files: Record<string, string>) =>
  analyzeMigrationDir(tree(files), {
    serviceDir: 'svc',
    migrationsDir: 'db/migrations',
  });

/** `code path-in-dir[:line]` of each finding. */
const findings = (r: ReturnType<typeof analyze>) =>
  r.problems.map(
    p =>
      `${p.severity} ${p.code} ${p.path!.slice(DIR.length + 1)}${
        p.line ? `:${p.line}` : ''
      }`,
  );

const GOLANG_MIGRATE = {
  '000001_create_orders.up.sql': 'CREATE TABLE orders (id bigint);\n',
  '000001_create_orders.down.sql': 'DROP TABLE orders;\n',
  '000002_add_status.up.sql': 'ALTER TABLE orders ADD COLUMN status text;\n',
  '000002_add_status.down.sql': 'ALTER TABLE orders DROP COLUMN status;\n',
  '000003_seed.up.sql': "INSERT INTO orders VALUES (1, 'new');\n",
};

describe('golang-migrate directories', () => {
  it('reads each up/down pair as one version, with no duplicate-version finding and no atlas.sum required', () => {
    const r = analyze(GOLANG_MIGRATE);
    expect(r.format).toBe('golang-migrate');
    expect(r.formatReason).toBe(
      'names <version>_<title>.up.sql / .down.sql in 5 of 5 files',
    );
    expect(
      r.files.map(f => `${f.version} ${f.description} ${f.down ?? '-'}`),
    ).toEqual([
      '000001 create_orders 000001_create_orders.down.sql',
      '000002 add_status 000002_add_status.down.sql',
      '000003 seed -',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.sum.status).toBe('none');
  });

  it('orders unpadded versions as golang-migrate applies them: 1, 2, 9, 10, 11', () => {
    const r = analyze(
      Object.fromEntries(
        [10, 11, 1, 2, 9].flatMap(v => [
          [`${v}_m${v}.up.sql`, 'SELECT 1;\n'],
          [`${v}_m${v}.down.sql`, 'SELECT 1;\n'],
        ]),
      ),
    );
    expect(r.format).toBe('golang-migrate');
    expect(r.files.map(f => f.name)).toEqual([
      '1_m1.up.sql',
      '2_m2.up.sql',
      '9_m9.up.sql',
      '10_m10.up.sql',
      '11_m11.up.sql',
    ]);
  });

  it('reports what golang-migrate itself refuses or ignores', () => {
    const r = analyze({
      ...GOLANG_MIGRATE,
      '1_again.up.sql': 'SELECT 1;\n',
      '000004_orphan.down.sql': 'SELECT 1;\n',
      'notes.sql': '-- scratch\n',
    });
    expect(r.format).toBe('golang-migrate');
    expect(findings(r)).toEqual([
      'error migrations-duplicate-version 1_again.up.sql',
      'warning migrations-format-name notes.sql',
      'warning migrations-down-without-up 000004_orphan.down.sql',
    ]);
  });

  describe('hashed with atlas migrate hash', () => {
    let dir: string;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-golang-migrate-'));
      for (const [name, text] of Object.entries(GOLANG_MIGRATE))
        fs.writeFileSync(path.join(dir, name), text);
      await run(ATLAS, ['migrate', 'hash', '--dir', `file://${dir}`]);
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const withSum = (files: Record<string, string>) =>
      analyze({
        ...files,
        'atlas.sum': fs.readFileSync(path.join(dir, 'atlas.sum'), 'utf8'),
      });

    it('verifies the atlas.sum Atlas wrote (it hashes every .sql file, down files included)', () => {
      const r = withSum(GOLANG_MIGRATE);
      expect(r.format).toBe('golang-migrate');
      expect(r.sum.status).toBe('ok');
      expect(r.files.every(f => f.hash.length > 0)).toBe(true);
    });

    it('names a down file edited since hashing', () => {
      const r = withSum({
        ...GOLANG_MIGRATE,
        '000001_create_orders.down.sql': 'DROP TABLE orders CASCADE;\n',
      });
      expect(r.sum).toMatchObject({
        status: 'mismatch',
        edited: ['000001_create_orders.down.sql'],
      });
    });
  });
});

describe('a migration directory at the source root', () => {
  it('reads the files of the root itself (migrationsDir ".", no service directory)', () => {
    const at = (files: Record<string, string>) =>
      analyzeMigrationDir(
        {
          files: new Map(
            Object.entries(files).map(([n, t]) => [n, Buffer.from(t)]),
          ),
          problems: [],
        },
        { serviceDir: '', migrationsDir: '.' },
      );
    const r = at({
      '1_init.up.sql': 'CREATE TABLE a (id int);\n',
      '1_init.down.sql': 'DROP TABLE a;\n',
      'notes.sql.txt': 'x',
      '2_b.sql': 'SELECT 1;\n',
    });
    expect(r.dir).toBe('');
    expect(r.files.map(f => f.name)).toEqual(['1_init.up.sql']);
    expect(r.problems.map(p => p.path)).toEqual(['2_b.sql']);
    expect(at({}).problems).toEqual([
      expect.objectContaining({
        code: 'migrations-none',
        message: 'no migration files in the source root',
        path: '.',
      }),
    ]);
  });
});

describe('migrations in another directory than the one read', () => {
  const at = (files: Record<string, string>) =>
    analyzeMigrationDir(
      {
        files: new Map(
          Object.entries(files).map(([n, t]) => [n, Buffer.from(t)]),
        ),
        problems: [],
      },
      { serviceDir: 'svc' },
    );

  it('names the directory that holds them and the annotation that points at it', () => {
    const r = at({
      'svc/migrations/20210221023242_init.up.sql': 'CREATE TABLE a (id int);\n',
      'svc/migrations/20210221023242_init.down.sql': 'DROP TABLE a;\n',
      'svc/migrations/20210301000000_b.up.sql': 'CREATE TABLE b (id int);\n',
      'svc/migrations/20210301000000_b.down.sql': 'DROP TABLE b;\n',
      // sqlc's queries and a schema dump are no migration directory
      'svc/internal/store/queries/users.sql': 'SELECT 1;\n',
      'svc/schema.sql': 'CREATE TABLE a (id int);\n',
      'other/migrations/1_x.sql': 'SELECT 1;\n',
    });
    expect(r.files).toEqual([]);
    expect(r.problems).toEqual([
      {
        severity: 'warning',
        code: 'migrations-elsewhere',
        message:
          "no migration files in svc/db/migrations, but svc/migrations holds 2 golang-migrate versions: set the entity's golden-path.dev/migrations-dir annotation to migrations",
        path: 'svc/migrations',
      },
    ]);
  });

  it('says only that there are none when no directory of the service holds versions', () => {
    const r = at({
      'svc/queries/users.sql': 'SELECT 1;\n',
      'svc/schema.sql': 'CREATE TABLE a (id int);\n',
    });
    expect(r.problems.map(p => `${p.code} ${p.message}`)).toEqual([
      'migrations-none no migration files in svc/db/migrations',
    ]);
  });
});

describe('goose directories', () => {
  const GOOSE = {
    '20240101120000_create_orders.sql': `-- +goose Up
CREATE TABLE orders (id bigint);
-- +goose Down
DROP TABLE orders;
`,
    '20240102120000_add_trigger.sql': `-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION touch();
`,
  };

  it('orders unpadded versions as goose applies them: 1, 2, 9, 10', () => {
    const r = analyze(
      Object.fromEntries(
        [10, 1, 2, 9].map(v => [
          `${v}_m${v}.sql`,
          '-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 1;\n',
        ]),
      ),
    );
    expect(r.format).toBe('goose');
    expect(r.files.map(f => f.version)).toEqual(['1', '2', '9', '10']);
  });

  it('recognises the goose markers and finds nothing wrong in a valid directory', () => {
    const r = analyze(GOOSE);
    expect(r.format).toBe('goose');
    expect(r.formatReason).toBe('"-- +goose Up" in 2 of 2 files');
    expect(r.files.map(f => f.version)).toEqual([
      '20240101120000',
      '20240102120000',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.sum.status).toBe('none');
  });

  it('reports a file without an Up section, an unclosed statement and a reused version', () => {
    const r = analyze({
      ...GOOSE,
      '20240103120000_no_up.sql': 'CREATE INDEX i ON orders (id);\n',
      '20240104120000_open.sql':
        '-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n',
      '20240101120000_again.sql': '-- +goose Up\nSELECT 1;\n',
    });
    expect(findings(r)).toEqual([
      'error migrations-duplicate-version 20240101120000_create_orders.sql',
      'error migrations-format-marker 20240103120000_no_up.sql:1',
      'error migrations-format-marker 20240104120000_open.sql:2',
    ]);
    expect(r.problems[1].message).toBe(
      'no "-- +goose Up" line: goose refuses a migration without an Up section',
    );
  });
});

describe('goose directories with Go migrations', () => {
  const goMigration = (up: string, register = 'goose.AddMigrationContext') =>
    `package migrations

import (
\t"context"
\t"database/sql"

\t"github.com/pressly/goose/v3"
)

func init() {
\t${register}(${up}, down${up[0].toUpperCase()}${up.slice(1)})
}

func ${up}(ctx context.Context, tx *sql.Tx) error { return nil }

func down${up[0].toUpperCase()}${up.slice(
      1,
    )}(ctx context.Context, tx *sql.Tx) error { return nil }
`;
  const MIXED = {
    '00001_create_users.sql':
      '-- +goose Up\nCREATE TABLE users (id bigint);\n-- +goose Down\nDROP TABLE users;\n',
    '00002_backfill_users.go': goMigration('upBackfill'),
    '00003_add_index.sql':
      '-- +goose Up\nCREATE INDEX users_id ON users (id);\n-- +goose Down\nDROP INDEX users_id;\n',
    '00010_split_names.go': goMigration(
      'upSplitNames',
      'goose.AddNamedMigrationNoTxContext("00010_split_names.go",',
    ).replace('(00010_split_names.go",(', '("00010_split_names.go", ('),
    '00004_rename.go': goMigration('upRename', 'goose.AddMigration'),
    // not migrations: goose skips files without a version, and tests
    'main.go':
      'package migrations\n\nimport "embed"\n\n//go:embed *.sql\nvar FS embed.FS\n',
    '00002_backfill_users_test.go': 'package migrations\n',
  };

  it("lists them with the SQL ones in goose's order, marked by their .go file and without an Atlas hash", () => {
    const r = analyze(MIXED);
    expect(r.format).toBe('goose');
    expect(r.formatReason).toBe('"-- +goose Up" in 2 of 2 files');
    expect(r.files.map(f => [f.version, f.name, f.description])).toEqual([
      ['00001', '00001_create_users.sql', 'create_users'],
      ['00002', '00002_backfill_users.go', 'backfill_users'],
      ['00003', '00003_add_index.sql', 'add_index'],
      ['00004', '00004_rename.go', 'rename'],
      ['00010', '00010_split_names.go', 'split_names'],
    ]);
    expect(r.files.filter(isGoMigration).map(f => f.hash)).toEqual([
      '',
      '',
      '',
    ]);
    expect(r.files.filter(f => !isGoMigration(f)).every(f => f.hash)).toBe(
      true,
    );
    expect(r.problems).toEqual([]);
    expect(r.sum.status).toBe('none');
  });

  it('reads a directory of Go migrations only as goose', () => {
    const r = analyze({
      '20240101120000_seed.go': goMigration('upSeed'),
      'main.go': 'package main\n\nfunc main() {}\n',
    });
    expect(r.format).toBe('goose');
    expect(r.formatReason).toBe(
      'Go migrations registered with goose.AddMigration… in 1 file',
    );
    expect(r.files.map(f => f.name)).toEqual(['20240101120000_seed.go']);
    expect(r.problems).toEqual([]);
  });

  it('reports a version used by an SQL and a Go migration, and a Go file that registers nothing', () => {
    const r = analyze({
      ...MIXED,
      '00003_add_index_again.go': goMigration('upAgain'),
      '00005_helpers.go': 'package migrations\n\nfunc helper() {}\n',
    });
    expect(findings(r)).toEqual([
      'error migrations-duplicate-version 00003_add_index_again.go',
      'warning migrations-go-unregistered 00005_helpers.go',
    ]);
  });

  it('verifies the atlas.sum Atlas wrote over the SQL files only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-goose-'));
    try {
      for (const [name, text] of Object.entries(MIXED))
        fs.writeFileSync(path.join(dir, name), text);
      // Atlas's directory reads *.sql only, whatever the format (this build knows only its own)
      await run(ATLAS, ['migrate', 'hash', '--dir', `file://${dir}`]);
      const sum = fs.readFileSync(path.join(dir, 'atlas.sum'), 'utf8');
      expect(sum).not.toContain('.go');
      const r = analyze({ ...MIXED, 'atlas.sum': sum });
      expect(r.sum.status).toBe('ok');
      expect(r.sqlFiles.map(f => f.name)).toEqual([
        '00001_create_users.sql',
        '00003_add_index.sql',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not hold an environment pending on Go migrations, which Atlas never records', () => {
    const r = analyze(MIXED);
    const applied = (version: string, hash: string) => ({
      version,
      description: '',
      type: ATLAS_REVISION_TYPE.execute,
      applied: 1,
      total: 1,
      executionTimeNs: 0,
      hash,
    });
    const sql = r.files.filter(f => !isGoMigration(f));
    const env = compareMigrations(
      'dev',
      'atlas_schema_revisions',
      r.files,
      sql.map(f => applied(f.version, f.hash)),
    );
    expect(env.status).toBe('ok');
    expect(env.versions.map(v => [v.version, v.state])).toEqual([
      ['00001', 'applied'],
      ['00003', 'applied'],
    ]);
    // an SQL migration not applied yet is still pending
    const pending = compareMigrations(
      'dev',
      'atlas_schema_revisions',
      r.files,
      [applied(sql[0].version, sql[0].hash)],
    );
    expect(pending.status).toBe('pending');
    expect(pending.versions.map(v => [v.version, v.state])).toEqual([
      ['00001', 'applied'],
      ['00003', 'pending'],
    ]);
  });
});

describe('Flyway directories', () => {
  it('orders versions numerically, pairs undo files, reads subdirectories and lists repeatables last', () => {
    const r = analyze({
      'V1__create_orders.sql': 'CREATE TABLE orders (id bigint);\n',
      'V1.1__add_status.sql': 'ALTER TABLE orders ADD COLUMN s text;\n',
      'V10__late.sql': 'SELECT 1;\n',
      'V2__add_index.sql': 'CREATE INDEX i ON orders (id);\n',
      'U2__add_index.sql': 'DROP INDEX i;\n',
      'R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 1;\n',
      'archive/V3__from_subdir.sql': 'SELECT 1;\n',
    });
    expect(r.format).toBe('flyway');
    expect(r.files.map(f => `${f.version}:${f.name}:${f.down ?? '-'}`)).toEqual(
      [
        '1:V1__create_orders.sql:-',
        '1.1:V1.1__add_status.sql:-',
        '2:V2__add_index.sql:U2__add_index.sql',
        '3:archive/V3__from_subdir.sql:-',
        '10:V10__late.sql:-',
        'R:R__views.sql:-',
      ],
    );
    expect(r.problems).toEqual([]);
    expect(r.sum.status).toBe('none');
  });

  it("reads Atlas's own flyway test directory as Atlas does: the latest baseline, the versions after it, the repeatables", () => {
    // the files of ariga.io/atlas sql/sqltool testdata/flyway, in the order Atlas's FlywayDir.Files gives
    const r = analyze({
      'U1__initial.sql': 'DROP TABLE post;\n',
      'V1__initial.sql': 'CREATE TABLE post (id int);\n',
      'R__views.sql': 'CREATE VIEW v AS SELECT 1;\n',
      'B2__baseline.sql': 'CREATE TABLE post (id int);\n',
      'V2__second_migration.sql': 'ALTER TABLE post ADD c int;\n',
      'V3__third_migration.sql': 'ALTER TABLE post ADD d int;\n',
      'v3/V3_1__fourth_migration.sql': 'ALTER TABLE post ADD e int;\n',
    });
    expect(r.format).toBe('flyway');
    expect(r.files.map(f => f.name)).toEqual([
      'B2__baseline.sql',
      'V3__third_migration.sql',
      'v3/V3_1__fourth_migration.sql',
      'R__views.sql',
    ]);
    expect(r.problems).toEqual([]);
  });

  it('orders semantic versions as Flyway does', () => {
    const names = [
      'V11.11.11__.sql',
      'V2.1.0__.sql',
      'V1__.sql',
      'V11__.sql',
      'V1.1.1__.sql',
      'V3__.sql',
      'V1_1_0__.sql',
      'V2__.sql',
    ];
    const r = analyze(Object.fromEntries(names.map(n => [n, 'SELECT 1;\n'])));
    expect(r.files.map(f => f.name)).toEqual([
      'V1__.sql',
      'V1_1_0__.sql',
      'V1.1.1__.sql',
      'V2__.sql',
      'V2.1.0__.sql',
      'V3__.sql',
      'V11__.sql',
      'V11.11.11__.sql',
    ]);
  });

  it('is not mistaken for dbmate by a "-- migrate:up" in one file (as in Atlas\'s own test directory)', () => {
    const r = analyze({
      'V1__initial.sql': 'CREATE TABLE post (id int);\n',
      'V2__second_migration.sql':
        '-- a comment about dbmate:\n-- migrate:up\nALTER TABLE post ADD c int;\n',
      'V3__third_migration.sql': 'ALTER TABLE post ADD d int;\n',
    });
    expect(r.format).toBe('flyway');
    expect(r.problems).toEqual([]);
  });

  it('reports the versions Flyway refuses and the files it ignores', () => {
    const r = analyze({
      'V1__create_orders.sql': 'SELECT 1;\n',
      'V1.1__a.sql': 'SELECT 1;\n',
      'V1_1__b.sql': 'SELECT 1;\n',
      'U7__nothing.sql': 'SELECT 1;\n',
      'V2_missing_separator.sql': 'SELECT 1;\n',
    });
    expect(r.format).toBe('flyway');
    expect(findings(r)).toEqual([
      'error migrations-duplicate-version V1_1__b.sql',
      'warning migrations-format-name V2_missing_separator.sql',
      'warning migrations-down-without-up U7__nothing.sql',
    ]);
  });
});

describe('dbmate and Liquibase directories', () => {
  it('checks dbmate up blocks', () => {
    const r = analyze({
      '20240101120000_create_orders.sql':
        '-- migrate:up\nCREATE TABLE orders (id bigint);\n\n-- migrate:down\nDROP TABLE orders;\n',
      '20240102120000_no_up.sql': 'CREATE INDEX i ON orders (id);\n',
    });
    expect(r.format).toBe('dbmate');
    expect(findings(r)).toEqual([
      'error migrations-format-marker 20240102120000_no_up.sql:1',
    ]);
  });

  it('checks Liquibase formatted SQL changelogs: changeset identifiers unique in a file', () => {
    const r = analyze({
      '001_orders.sql':
        '--liquibase formatted sql\n\n--changeset ana:1\nCREATE TABLE orders (id bigint);\n--rollback DROP TABLE orders;\n\n--changeset ana:2\nCREATE INDEX i ON orders (id);\n',
      '002_more.sql':
        '--liquibase formatted sql\n--changeset bo:1\nSELECT 1;\n--changeset bo:1\nSELECT 2;\n',
    });
    expect(r.format).toBe('liquibase');
    expect(findings(r)).toEqual([
      'error migrations-duplicate-version 002_more.sql:4',
    ]);
  });
});

describe("Atlas's own format", () => {
  it('stays the format of plain <version>_<name>.sql files, with duplicate versions and a missing atlas.sum reported', () => {
    const r = analyze({
      '20240101120000_init.sql': 'CREATE TABLE orders (id bigint);\n',
      '20240101120000_again.sql': 'SELECT 1;\n',
    });
    expect(r.format).toBe('atlas');
    expect(findings(r)).toEqual([
      'error migrations-duplicate-version 20240101120000_init.sql',
    ]);
    expect(r.sum.status).toBe('missing');
  });
});
