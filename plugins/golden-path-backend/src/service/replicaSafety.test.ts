import { ConfigReader } from '@backstage/config';
import { replicaSafetyProblem } from './replicaSafety';

const shared = {
  backend: {
    database: { client: 'pg', connection: 'postgres://db' },
    cache: { store: 'redis', connection: 'redis://127.0.0.1:6379' },
  },
};

const problem = (data: object) =>
  replicaSafetyProblem(new ConfigReader(data as any));

describe('replicaSafetyProblem', () => {
  it('accepts one process with local settings, and replicas with shared ones', () => {
    expect(
      problem({
        backend: { database: { client: 'better-sqlite3' } },
        goldenPath: { publish: { local: { allowedRoots: ['/srv/repos'] } } },
      }),
    ).toBeUndefined();
    expect(problem({ ...shared, goldenPath: { replicated: true } })).toBe(
      undefined,
    );
    expect(
      problem({
        ...shared,
        goldenPath: {
          replicated: true,
          localRootsShared: true,
          publish: { local: { allowedRoots: ['/mnt/shared/repos'] } },
        },
      }),
    ).toBeUndefined();
  });
});

describe('bad input: local-only settings on replicas', () => {
  it.each([
    [
      'SQLite',
      {
        backend: { ...shared.backend, database: { client: 'better-sqlite3' } },
      },
      /backend\.database\.client is better-sqlite3, so each replica would keep its own catalog and scaffolder task queue; set backend\.database\.client: pg/,
    ],
    [
      'the memory cache',
      { backend: { database: shared.backend.database } },
      /backend\.cache\.store is memory, so each replica would keep its own insights cache; set backend\.cache\.store: redis/,
    ],
    [
      'a store without its connection',
      {
        backend: {
          database: shared.backend.database,
          cache: { store: 'redis' },
        },
      },
      /backend\.cache\.connection is not set/,
    ],
    [
      'local publish roots',
      {
        ...shared,
        goldenPath: { publish: { local: { allowedRoots: ['/srv/repos'] } } },
      },
      /goldenPath\.publish\.local\.allowedRoots names \/srv\/repos on this machine's disk, which the other replicas do not see; .* set goldenPath\.localRootsShared: true/,
    ],
    [
      'local insights roots',
      { ...shared, goldenPath: { insights: { localRoots: ['/srv/repos'] } } },
      /goldenPath\.insights\.localRoots names \/srv\/repos/,
    ],
  ])('refuses %s in one line', (_, data, message) => {
    const data2 = data as { goldenPath?: object };
    const found = problem({
      ...data,
      goldenPath: { ...data2.goldenPath, replicated: true },
    });
    expect(found).toMatch(
      /^Golden Path refuses to start with goldenPath\.replicated: true: /,
    );
    expect(found).toMatch(message);
    expect(found).not.toContain('\n');
  });
});
