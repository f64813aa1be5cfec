// A real Git forge for the suites: Gitea (tools/versions.env GITEA_VERSION),
// built once per machine into the per-user cache by scripts/lib.sh
// build_gitea, started on 127.0.0.1 on a free port with SQLite in a temporary
// directory, with an admin, an access token and an organisation; stopped and
// removed after the suite.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  cpSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { ROOT, RESULTS_DIR } from './processes.mjs';
import { freePort } from './ports.mjs';

/** The system user Gitea runs as when the suite runs as root (Gitea refuses root). */
export const FORGE_USER = 'golden-path-forge';

/**
 * The built Gitea's directory (binary `gitea`, and options/, templates/,
 * public/ for STATIC_ROOT_PATH): builds it when the cache has none, or waits
 * for the build set-up started in the background.
 */
export function giteaBuild() {
  const out = execFileSync(
    'bash',
    [
      '-c',
      '. scripts/lib.sh && activate_toolchain && build_gitea >&2 && gitea_dir',
    ],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return out.trim().split('\n').pop();
}

/** uid and gid Gitea runs with: the forge user when root (created once), else ours. */
function forgeIdentity() {
  if (process.getuid() !== 0)
    return {
      user: process.env.USER || execFileSync('id', ['-un']).toString().trim(),
    };
  const id = flag => {
    try {
      return Number(execFileSync('id', [flag, FORGE_USER], { stdio: 'pipe' }));
    } catch {
      return undefined;
    }
  };
  if (id('-u') === undefined) {
    try {
      execFileSync(
        'useradd',
        [
          '--system',
          '--no-create-home',
          '--home-dir',
          '/nonexistent',
          '--shell',
          '/usr/sbin/nologin',
          FORGE_USER,
        ],
        { stdio: 'pipe' },
      );
    } catch (e) {
      throw new Error(
        `Gitea refuses to run as root and the system user ${FORGE_USER} could not be created (${String(
          e.stderr ?? e.message,
        ).trim()}): create it (useradd --system ${FORGE_USER}) or run the suite as a non-root user`,
      );
    }
  }
  return { user: FORGE_USER, uid: id('-u'), gid: id('-g') };
}

/**
 * Starts Gitea and returns the forge: its baseUrl and host, the admin's
 * username and access token, the organisation `org`, `api(method, path, body,
 * token?)` for its REST API, `appConfig(token?)` (integrations.gitea for the
 * backend) and `stop()`.
 */
export async function startForge({ org = 'platform', name = 'forge' } = {}) {
  const built = giteaBuild();
  const who = forgeIdentity();
  const dir = mkdtempSync(join(tmpdir(), 'gp-forge-'));
  // The cache is under the suite user's home, which the forge user may not
  // read: Gitea runs from a copy in its own directory.
  const t0 = Date.now();
  for (const part of ['gitea', 'options', 'templates', 'public'])
    cpSync(join(built, part), join(dir, part), { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'app.ini'),
    `APP_NAME = Golden Path forge
RUN_USER = ${who.user}
RUN_MODE = prod
WORK_PATH = ${dir}

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = ${port}
ROOT_URL = ${baseUrl}/
DISABLE_SSH = true
START_SSH_SERVER = false
OFFLINE_MODE = true
LFS_START_SERVER = false
STATIC_ROOT_PATH = ${dir}
APP_DATA_PATH = ${dir}/data

[database]
DB_TYPE = sqlite3
PATH = ${dir}/data/gitea.db
SQLITE_JOURNAL_MODE = WAL

[repository]
ROOT = ${dir}/repos
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = ${randomBytes(24).toString('hex')}
INTERNAL_TOKEN = ${randomBytes(48).toString('hex')}
PASSWORD_HASH_ALGO = pbkdf2_hi

[service]
DISABLE_REGISTRATION = true

[oauth2]
ENABLED = false

[mailer]
ENABLED = false

[session]
PROVIDER = memory

[cache]
ADAPTER = memory

[indexer]
ISSUE_INDEXER_TYPE = db
REPO_INDEXER_ENABLED = false

[cron]
ENABLED = false

[actions]
ENABLED = false

[packages]
ENABLED = false

[log]
MODE = console
LEVEL = warn
ROOT_PATH = ${dir}/log
`,
  );
  for (const d of ['data', 'repos', 'log', 'custom', 'home'])
    mkdirSync(join(dir, d));
  if (who.uid !== undefined)
    execFileSync('chown', ['-R', `${who.uid}:${who.gid}`, dir]);
  chmodSync(dir, 0o755);
  const env = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    USER: who.user,
    GITEA_WORK_DIR: dir,
    GITEA_CUSTOM: join(dir, 'custom'),
  };
  const spawnOpts = { cwd: dir, env, uid: who.uid, gid: who.gid };
  const gitea = join(dir, 'gitea');
  const cli = args =>
    execFileSync(
      gitea,
      ['--config', join(dir, 'app.ini'), '--work-path', dir, ...args],
      {
        ...spawnOpts,
        encoding: 'utf8',
        stdio: 'pipe',
      },
    );
  const password = randomBytes(12).toString('hex');
  const username = 'gp-admin';
  cli(['migrate']);
  const created = cli([
    'admin',
    'user',
    'create',
    '--admin',
    '--username',
    username,
    '--password',
    password,
    '--email',
    'gp-admin@forge.invalid',
    '--must-change-password=false',
    '--access-token',
    '--access-token-name',
    'golden-path',
  ]);
  const token =
    created.match(
      /Access token was successfully created[^:]*:\s*([0-9a-f]{40})/,
    )?.[1] ?? created.match(/\b([0-9a-f]{40})\b/)?.[1];
  if (!token)
    throw new Error(
      `gitea admin user create printed no access token: ${created}`,
    );

  mkdirSync(RESULTS_DIR, { recursive: true });
  const log = createWriteStream(join(RESULTS_DIR, `${name}-gitea.log`));
  const child = spawn(
    gitea,
    ['web', '--config', join(dir, 'app.ini'), '--work-path', dir],
    {
      ...spawnOpts,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.exited = once(child, 'exit');

  const api = async (method, path, body, asToken = token) => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `token ${asToken}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, ok: res.ok, body: json, text };
  };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 10_000);
      await child.exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ready(child, baseUrl, token, name);
    const orgRes = await api('POST', '/orgs', {
      username: org,
      visibility: 'private',
    });
    if (orgRes.status !== 201)
      throw new Error(
        `creating organisation ${org}: ${orgRes.status} ${orgRes.text}`,
      );
  } catch (e) {
    await stop();
    throw e;
  }
  const startedMs = Date.now() - t0;

  return {
    baseUrl,
    host: `127.0.0.1:${port}`,
    username,
    token,
    org,
    dir,
    startedMs,
    api,
    /** integrations.gitea for the backend, with `asToken` as the credentials. */
    appConfig: (asToken = token) =>
      `integrations:\n  gitea:\n${giteaEntry(
        `127.0.0.1:${port}`,
        baseUrl,
        username,
        asToken,
      )}`,
    stop,
  };
}

/** One integrations.gitea entry, every value a quoted YAML string. */
export function giteaEntry(host, baseUrl, username, password) {
  const q = JSON.stringify;
  return `    - host: ${q(host)}\n      baseUrl: ${q(
    baseUrl,
  )}\n      username: ${q(username)}\n      password: ${q(password)}\n`;
}

/** Waits until Gitea answers its API, failing early if it exits. */
async function ready(child, baseUrl, token, name) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `gitea web exited with ${child.exitCode}: see test-results/${name}-gitea.log`,
      );
    try {
      const res = await fetch(`${baseUrl}/api/v1/version`, {
        headers: { Authorization: `token ${token}` },
      });
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline)
      throw new Error(`Gitea did not answer on ${baseUrl} within 60s`);
    await sleep(200);
  }
}
