import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { createAtlasMigrateDiffAction } from '../actions/atlasMigrateDiff';
import { createAtlasMigrateHashAction } from '../actions/atlasMigrateHash';
import { createAtlasMigrateValidateAction } from '../actions/atlasMigrateValidate';
import { fileUrl } from './atlasDir';

/**
 * Percent-encoded paths: atlas decodes the `file://` URL it is given, so the
 * URL must encode the checked path exactly (issue 14). The workspace's
 * working directory is `svc/db`; `outside/` lies three levels up from it.
 * Each case runs with the sandbox off too: the fix holds without it (in the
 * sandbox, outside/ is not even visible to atlas).
 */
const SANDBOXES = [
  ['in the sandbox', testSettings()],
  [
    'without the sandbox',
    testSettings({ sandbox: { ...testSettings().sandbox, mode: 'off' } }),
  ],
] as const;
const UP = '%2e%2e/%2e%2e/%2e%2e/outside';
const NOT_A_DIR =
  /^dir "%2e%2e\/%2e%2e\/%2e%2e\/outside" is not a directory in svc\/db: give the migration directory relative to workingDirectory \(it is read literally, %-sequences included\)$/;
const USERS = 'CREATE TABLE users (id bigint PRIMARY KEY);\n';

let sandboxes: ReturnType<typeof makeSandbox>[] = [];
const sandbox = (files: Record<string, string>) => {
  const s = makeSandbox(files);
  sandboxes.push(s);
  return s;
};
afterEach(() => {
  sandboxes.forEach(s => s.cleanup());
  sandboxes = [];
});

/** Everything under a directory, recursively, relative to it. */
const listing = (dir: string) =>
  (fs.readdirSync(dir, { recursive: true }) as string[]).sort();

describe('fileUrl', () => {
  it.each([
    ['/w/db/migrations', 'file:///w/db/migrations'],
    ['/w/db/%2e%2e/%2e%2e', 'file:///w/db/%252e%252e/%252e%252e'],
    ['/w/db/a b#c?d', 'file:///w/db/a%20b%23c%3Fd'],
  ])('encodes %s so that it decodes to itself', (p, url) => {
    expect(fileUrl(p)).toBe(url);
    expect(decodeURIComponent(new URL(url).pathname)).toBe(p);
  });
});

describe.each(SANDBOXES)(
  'atlas actions with a percent-encoded dir, %s',
  (_name, settings) => {
    const deps = { settings };
    it('atlas:migrate:hash writes no atlas.sum outside the workspace', async () => {
      const s = sandbox({
        'svc/db/migrations/1_users.sql': USERS,
        '../outside/1_users.sql': USERS,
      });
      const before = listing(s.outside);
      const { ctx } = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
        dir: UP,
      });
      await expect(
        createAtlasMigrateHashAction(deps).handler(ctx),
      ).rejects.toThrow(NOT_A_DIR);
      expect(listing(s.outside)).toEqual(before);
      expect(
        fs.readFileSync(path.join(s.outside, 'sentinel.txt'), 'utf8'),
      ).toBe('untouched');
    });

    it('atlas:migrate:validate lists no directory outside the workspace', async () => {
      // A hashed directory outside with one file added since: atlas would name that file.
      const s = sandbox({
        'svc/db/migrations/1_users.sql': USERS,
        '../outside/20990101000000_secret_name.sql':
          'CREATE TABLE u (id int);\n',
        '../outside/atlas.sum':
          'h1:qdrLFDd/tLvnkbDjR8CSdbXdaT2i32+AdGMMyvmhZKQ=\n20990101000000_secret_name.sql h1:jDDQdUAyS+x0/ZoLKhA652J9SiD9vq2hkx3LFGh6jjg=\n',
        '../outside/20990102000000_other_secret.sql': USERS,
      });
      const { ctx, outputs } = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
        dir: UP,
        failOnViolations: false,
      });
      await expect(
        createAtlasMigrateValidateAction(deps).handler(ctx),
      ).rejects.toThrow(NOT_A_DIR);
      const seen = JSON.stringify([
        outputs,
        (ctx.logger.info as jest.Mock).mock.calls,
        (ctx.logger.error as jest.Mock).mock.calls,
      ]);
      expect(seen).not.toContain('secret');
    });

    it('atlas:migrate:diff creates no migration outside the workspace', async () => {
      const s = sandbox({ 'svc/db/schema.sql': USERS });
      const before = listing(s.outside);
      const { ctx, outputs } = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
        dir: UP,
        to: 'schema.sql',
        name: 'init',
      });
      await createAtlasMigrateDiffAction(deps).handler(ctx);
      expect(listing(s.outside)).toEqual(before);
      // The migration is where the dir says, read literally: a directory named %2e%2e in the workspace.
      expect(outputs.files).toEqual([
        expect.stringMatching(
          /^svc\/db\/%2e%2e\/%2e%2e\/%2e%2e\/outside\/\d{14}_init\.sql$/,
        ),
        'svc/db/%2e%2e/%2e%2e/%2e%2e/outside/atlas.sum',
      ]);
    });

    it('atlas:migrate:hash and validate work on a directory whose name holds a space, %, # and ?', async () => {
      const dir = 'mig rations%41#1?x';
      const s = sandbox({ [`svc/db/${dir}/20240101000000_users.sql`]: USERS });
      const hash = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
        dir,
      });
      await createAtlasMigrateHashAction(deps).handler(hash.ctx);
      expect(hash.outputs.versions).toEqual(['20240101000000']);
      expect(
        fs.readFileSync(
          path.join(s.workspace, 'svc/db', dir, 'atlas.sum'),
          'utf8',
        ),
      ).toMatch(/^h1:/);
      expect(fs.readdirSync(path.join(s.workspace, 'svc/db')).sort()).toEqual([
        dir,
      ]);
      const validate = actionContext(s.workspace, {
        workingDirectory: 'svc/db',
        dir,
      });
      await createAtlasMigrateValidateAction(deps).handler(validate.ctx);
      expect(validate.outputs).toEqual({
        versions: ['20240101000000'],
        ok: true,
        violations: [],
      });
    });
  },
);
