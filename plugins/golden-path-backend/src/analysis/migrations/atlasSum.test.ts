import fs from 'node:fs';
import path from 'node:path';
import { readLocalSourceTree, createInsightsFileFilter } from '../sourceTree';
import {
  AtlasMigrationFile,
  computeAtlasHashFile,
  formatAtlasSum,
  isAtlasSumIgnored,
  parseAtlasSum,
  selectAtlasMigrationFiles,
  verifyAtlasSum,
} from './atlasSum';
import { analyzeMigrationDir } from './migrationStatus';

/*
 * The atlas.sum files of the fixtures were written by Atlas itself
 * (ariga.io/atlas v0.32.1-0.20250325101103-175b25e1c1b9, migrate.NewLocalDir +
 * Checksum + MarshalText), so these tests pin the TypeScript port to Atlas.
 */
const MONOREPO = path.resolve(__dirname, '../../__fixtures__/monorepo');
const MIGRATIONS = path.join(MONOREPO, 'services/order-service/db/migrations');
const CASES = path.resolve(__dirname, '../../__fixtures__/atlas-cases');

function readDir(dir: string): AtlasMigrationFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(d => d.isFile())
    .map(d => ({
      name: d.name,
      content: fs.readFileSync(path.join(dir, d.name)),
    }));
}

describe('atlas.sum', () => {
  it.each([
    ['the service migrations (with an atlas:sum ignore file)', MIGRATIONS],
    [
      'edge cases (CRLF, UTF-8, empty file, late or space-less directives, nested dir, byte-order sorting)',
      CASES,
    ],
  ])('computes the same atlas.sum as Atlas for %s', (_label, dir) => {
    const files = selectAtlasMigrationFiles(readDir(dir));
    expect(formatAtlasSum(computeAtlasHashFile(files))).toBe(
      fs.readFileSync(path.join(dir, 'atlas.sum'), 'utf8'),
    );
  });

  it('follows Atlas on which files are hashed and in what order', () => {
    const names = selectAtlasMigrationFiles(readDir(CASES)).map(f => f.name);
    expect(names).toEqual([
      '10_sorted_after_1.sql',
      '1_crlf.sql',
      '2_unicode.sql',
      '3_empty.sql',
      '4_ignore_not_first_line.sql',
      '5_ignore_no_space.sql',
    ]);
    expect(
      isAtlasSumIgnored(Buffer.from('--atlas:sum ignore\nSELECT 1;')),
    ).toBe(true);
    expect(
      isAtlasSumIgnored(Buffer.from('SELECT 1;\n-- atlas:sum ignore\n')),
    ).toBe(false);
    expect(isAtlasSumIgnored(Buffer.from('-- atlas:sum\n'))).toBe(false);
  });

  it('validates an unchanged directory', () => {
    const sum = fs.readFileSync(path.join(MIGRATIONS, 'atlas.sum'), 'utf8');
    expect(verifyAtlasSum(readDir(MIGRATIONS), sum)).toEqual({
      status: 'ok',
      added: [],
      edited: [],
      removed: [],
    });
  });

  describe('reports changes like atlas migrate validate', () => {
    const sum = fs.readFileSync(path.join(MIGRATIONS, 'atlas.sum'), 'utf8');
    const files = readDir(MIGRATIONS);
    const edit = (name: string, content: string) =>
      files.map(f =>
        f.name === name ? { name, content: Buffer.from(content) } : f,
      );

    it('an edited file', () => {
      const r = verifyAtlasSum(
        edit(
          '20250102000000_add_status.sql',
          'ALTER TABLE orders ADD COLUMN x int;\n',
        ),
        sum,
      );
      expect(r).toMatchObject({
        status: 'mismatch',
        mismatch: {
          file: '20250102000000_add_status.sql',
          reason: 'edited',
          line: 3,
        },
        edited: ['20250102000000_add_status.sql'],
        added: [],
        removed: [],
      });
    });

    it('a file added at the end', () => {
      const r = verifyAtlasSum(
        [
          ...files,
          {
            name: '20250105000000_more.sql',
            content: Buffer.from('SELECT 1;'),
          },
        ],
        sum,
      );
      expect(r).toMatchObject({
        status: 'mismatch',
        mismatch: { file: '20250105000000_more.sql', reason: 'added', line: 5 },
        added: ['20250105000000_more.sql'],
        edited: [],
      });
    });

    it('a file added in the middle (out of order)', () => {
      const r = verifyAtlasSum(
        [
          ...files,
          {
            name: '20250101500000_between.sql',
            content: Buffer.from('SELECT 1;'),
          },
        ],
        sum,
      );
      expect(r).toMatchObject({
        mismatch: {
          file: '20250101500000_between.sql',
          reason: 'added',
          line: 3,
        },
        added: ['20250101500000_between.sql'],
        edited: [],
      });
    });

    it('a removed file', () => {
      const r = verifyAtlasSum(
        files.filter(f => f.name !== '20250101000000_create_orders.sql'),
        sum,
      );
      expect(r).toMatchObject({
        mismatch: {
          file: '20250101000000_create_orders.sql',
          reason: 'removed',
          line: 2,
        },
        removed: ['20250101000000_create_orders.sql'],
      });
    });

    it('a file that newly opts out with atlas:sum ignore', () => {
      const r = verifyAtlasSum(
        edit(
          '20250104000000_add_customer.sql',
          '-- atlas:sum ignore\nSELECT 1;\n',
        ),
        sum,
      );
      expect(r).toMatchObject({
        status: 'mismatch',
        mismatch: {
          reason: 'removed',
          file: '20250104000000_add_customer.sql',
        },
        edited: ['20250104000000_add_customer.sql'],
      });
    });

    it('a missing atlas.sum', () => {
      expect(verifyAtlasSum(files, undefined)).toMatchObject({
        status: 'missing',
      });
      // no file and no sum: nothing verified, which is no "ok"
      expect(verifyAtlasSum([], undefined)).toEqual({
        status: 'none',
        added: [],
        edited: [],
        removed: [],
        message:
          'no migration files and no atlas.sum: nothing for Atlas to check',
      });
    });

    it('an atlas.sum whose total was tampered with, or that is malformed', () => {
      expect(verifyAtlasSum(files, sum.replace(/^h1:./, 'h1:x'))).toMatchObject(
        {
          status: 'invalid',
          message: expect.stringContaining('checksum mismatch'),
        },
      );
      expect(verifyAtlasSum(files, `${sum}garbage line\n`)).toMatchObject({
        status: 'invalid',
        message: expect.stringContaining('line 5'),
      });
    });
  });

  it('parses what it formats', () => {
    const entries = computeAtlasHashFile(
      selectAtlasMigrationFiles(readDir(CASES)),
    );
    expect(parseAtlasSum(formatAtlasSum(entries)).entries).toEqual(entries);
  });

  it('analyses the migration directory of a service tree', async () => {
    const tree = await readLocalSourceTree(
      MONOREPO,
      createInsightsFileFilter('services/order-service'),
    );
    const r = analyzeMigrationDir(tree, {
      serviceDir: 'services/order-service',
    });
    expect(r.dir).toBe('services/order-service/db/migrations');
    expect(r.sum.status).toBe('ok');
    expect(r.files.map(f => [f.version, f.description, f.sumIgnored])).toEqual([
      ['20250101000000', 'create_orders', false],
      ['20250102000000', 'add_status', false],
      ['20250103000000', 'seed', true],
      ['20250104000000', 'add_customer', false],
    ]);
    expect(r.files[0].hash).toBe(
      'gnoVLiGXmXnrvnaaHcjXgHSiBFiEz3B2DXQiyiPvRSE=',
    );
  });
});
