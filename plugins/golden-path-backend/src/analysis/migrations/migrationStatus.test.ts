import type { SourceTree } from '../sourceTree';
import { analyzeMigrationDir } from './migrationStatus';

const tree = (
  files: Record<string, string>,
  problems: SourceTree['problems'] = [],
): SourceTree => ({
  files: new Map(Object.entries(files).map(([n, t]) => [n, Buffer.from(t)])),
  problems,
});

/*
 * Atlas's format is only the default of a directory that has files: where
 * there is no migration directory at all there is no format to report.
 */
describe('the format of a service without a migration directory', () => {
  it('is none, with the reason, no versions and no atlas.sum to check', () => {
    const r = analyzeMigrationDir(
      tree({ 'svc/internal/domain/order.go': 'package domain\n' }),
      { serviceDir: 'svc' },
    );
    expect(r.format).toBeUndefined();
    expect('format' in r).toBe(false);
    expect(r.formatReason).toBe('no migration files in svc/db/migrations');
    expect(r.files).toEqual([]);
    expect(r.sum).toEqual({
      status: 'none',
      added: [],
      edited: [],
      removed: [],
      message: 'no atlas.sum: there are no migration files to check',
    });
    expect(r.problems.map(p => p.code)).toEqual(['migrations-none']);
  });

  it('is none for Go files that are no goose migrations', () => {
    const r = analyzeMigrationDir(
      tree({ 'svc/db/migrations/embed.go': 'package migrations\n' }),
      { serviceDir: 'svc' },
    );
    expect(r.format).toBeUndefined();
  });

  it.each([
    ['an atlas.sum alone', { 'svc/db/migrations/atlas.sum': 'h1:x=\n' }, []],
    [
      'a migration file left out for its size',
      {},
      [
        {
          severity: 'warning' as const,
          code: 'file-too-large',
          message: 'svc/db/migrations/1_big.sql is too large',
          path: 'svc/db/migrations/1_big.sql',
        },
      ],
    ],
    [
      'a migration file',
      {
        'svc/db/migrations/20240101000000_init.sql':
          'CREATE TABLE a (id int);\n',
      },
      [],
    ],
  ])('is Atlas’s for a directory with %s', (_what, files, problems) => {
    const r = analyzeMigrationDir(tree(files, problems), { serviceDir: 'svc' });
    expect(r.format).toBe('atlas');
  });
});
