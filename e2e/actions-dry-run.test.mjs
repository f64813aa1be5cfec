// A small template using the bundle's actions, run through the real
// scaffolder's dry-run API (what the Create page's template editor does):
// lint results come back as structured output, actions that run programs named
// by workspace content are skipped, and bad input fails the step with a
// specific message while the backend stays up. The inputs of issue 14 that
// got through (percent-encoded atlas dirs, buf input options, sqlc programs and
// databases, a commented atlas.hcl data source) are refused at their root here:
// through the dry-run API, or a real task for the actions dry runs skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BACKEND_URL,
  ROOT,
  authHeaders,
  renderHarness,
  startReadyBackend,
  stopProcess,
  waitForUrl,
} from './lib/processes.mjs';
import { runTask } from './lib/tasks.mjs';

const BASE = BACKEND_URL;
const TEMPLATE = join(ROOT, 'e2e/fixtures/actions-template');
let backend;
let api;

before(async () => {
  backend = await startReadyBackend('actions-dry-run-backend', {
    configs: ['app-config.yaml', 'e2e/fixtures/hostile-inputs.app-config.yaml'],
  });
  api = await renderHarness();
});

after(async () => {
  if (backend) await stopProcess(backend);
});

const render = values =>
  api.renderTemplate({
    templateDir: TEMPLATE,
    values,
    backendUrl: BASE,
    token: authHeaders().Authorization.slice(7),
  });

test('buf:lint reports violations as output; buf:format and catalog:write run; buf:generate is skipped', async () => {
  const result = await render({ protoDir: 'proto' });
  const status = Object.fromEntries(result.steps.map(s => [s.id, s.status]));
  assert.deepEqual(status, {
    fetch: 'completed',
    lint: 'completed',
    format: 'completed',
    generate: 'skipped',
    catalog: 'completed',
  });
  assert.equal(result.output.lintOk, false);
  const rules = result.output.violations
    .map(v => `${v.path}:${v.line}:${v.rule}`)
    .sort();
  assert.deepEqual(rules, [
    'order/v1/order_service.proto:17:ENUM_VALUE_PREFIX',
    'order/v1/order_service.proto:17:ENUM_ZERO_VALUE_SUFFIX',
  ]);
  assert.deepEqual(result.output.formatted, [
    'proto/order/v1/order_service.proto',
  ]);
  assert.equal(result.output.entityRef, 'component:default/order-service');
  const files = result.files.map(f => f.path);
  assert.ok(
    files.includes('catalog-info.yaml'),
    'catalog-info.yaml not written',
  );
  assert.ok(
    !files.some(f => f.startsWith('proto/gen/')),
    'buf:generate ran in a dry run',
  );
});

/** Processes of a session: pid, parent, command name (from /proc). */
/** Every process of the host: pid, parent, session, command name. */
function allProcesses() {
  const out = [];
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [, ppid, , session] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ');
    out.push({
      pid: Number(pid),
      ppid: Number(ppid),
      session: Number(session),
      comm,
    });
  }
  return out;
}

// Sandboxed runs go to a sandbox per workspace: the backend starts it once
// (prlimit, which becomes bwrap), and the runs of the task go to the
// golden-path-launcher inside it. Never a shell, never a tool as the
// backend's own child.
test("the backend starts its tools in a sandbox of the task's workspace, through the launcher inside it", async t => {
  await render({ protoDir: 'proto' });
  const procs = allProcesses();
  const backendNodes = procs.filter(
    p => p.session === backend.pid && p.comm === 'MainThread',
  );
  const sandboxes = procs.filter(
    p => p.comm === 'bwrap' && backendNodes.some(b => b.pid === p.ppid),
  );
  assert.ok(
    sandboxes.length >= 1,
    `no sandbox started by the backend: ${JSON.stringify(
      procs.filter(p => p.comm === 'bwrap'),
    )}`,
  );
  for (const sandbox of sandboxes) {
    // Its own session: killing its group ends the sandbox, not the backend.
    assert.equal(sandbox.session, sandbox.pid);
    const inside = procs.filter(p => p.ppid === sandbox.pid);
    assert.deepEqual(
      inside.map(p => p.comm),
      ['golden-path-lau'], // comm is cut at 15 characters
      `the sandbox holds something else than its launcher: ${JSON.stringify(
        inside,
      )}`,
    );
    const args = readFileSync(`/proc/${inside[0].pid}/cmdline`, 'utf8');
    assert.match(args, /--sandboxed/);
  }
  const parent = backendNodes.find(b => b.pid === sandboxes[0].ppid);
  assert.equal(readlinkSync(`/proc/${parent.pid}/exe`), process.execPath);
  // No tool is a child of the backend itself.
  const toolChildren = procs.filter(
    p =>
      backendNodes.some(b => b.pid === p.ppid) &&
      ['buf', 'sqlc', 'atlas', 'sh', 'bash'].includes(p.comm),
  );
  assert.deepEqual(toolChildren, []);
  // For the figures: the memory a fork of this backend has to copy (once per workspace).
  const rss = /VmRSS:\s+(\d+) kB/.exec(
    readFileSync(`/proc/${parent.pid}/status`, 'utf8'),
  )?.[1];
  t.diagnostic(
    `backend resident memory: ${Math.round(
      Number(rss) / 1024,
    )} MiB; sandboxes it started: ${sandboxes.length}`,
  );
});

for (const [dir, message] of [
  ['../..', /points outside the task workspace/],
  ['/etc', /workingDirectory/],
  ['proto/missing', /proto\/missing/],
]) {
  test(`a workingDirectory of ${dir} fails the step with a specific message`, async () => {
    const error = await render({ protoDir: dir }).catch(e => e);
    assert.ok(error instanceof Error, 'the dry run succeeded');
    assert.match(error.message, message);
    const health = await fetch(`${BASE}/.backstage/health/v1/readiness`);
    assert.equal(
      health.status,
      200,
      'the backend is not healthy after the failure',
    );
  });
}

// ---- Issue 14: the inputs that got through, refused at their root ----

/** Runs steps after a fetch:plain of `files` through the dry-run API; the response, its log and step statuses. */
async function dryRun(steps, files) {
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'hostile-input' },
    spec: {
      owner: 'group:default/platform-team',
      type: 'fixture',
      parameters: [],
      steps: [
        {
          id: 'fetch',
          name: 'Fetch',
          action: 'fetch:plain',
          input: { url: './skeleton' },
        },
        ...steps,
      ],
    },
  };
  const directoryContents = Object.entries(files).map(([path, content]) => ({
    path: `skeleton/${path}`,
    base64Content: Buffer.from(content).toString('base64'),
    executable: path.endsWith('.sh'),
  }));
  const res = await fetch(`${BASE}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      template,
      values: {},
      secrets: {},
      directoryContents,
    }),
  });
  const text = await res.text();
  const body = JSON.parse(text);
  // A step that throws an InputError fails the whole dry run with HTTP 400 and that error.
  if (res.status === 400)
    return { text, refusal: body.error.message, status: {}, log: '' };
  assert.equal(res.status, 200, text);
  const status = {};
  for (const e of body.log)
    if (e.body.stepId && e.body.status) status[e.body.stepId] = e.body.status;
  return {
    body,
    text,
    status,
    log: body.log.map(e => e.body.message).join('\n'),
  };
}

const healthy = async () => {
  const health = await fetch(`${BASE}/.backstage/health/v1/readiness`);
  assert.equal(
    health.status,
    200,
    'the backend is not healthy after the refusal',
  );
};

/** Everything under a directory, recursively. */
const listing = dir => readdirSync(dir, { recursive: true }).sort();

/** A directory outside every workspace, and the dir input that pointed at it (30 times %2e%2e/ then its path). */
function outsideDir(files) {
  const dir = mkdtempSync(join(tmpdir(), 'gp-e2e-outside-'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), content);
  return { dir, input: `${'%2e%2e/'.repeat(30)}${dir.slice(1)}` };
}

const MIGRATION = 'CREATE TABLE users (id bigint PRIMARY KEY);\n';

test('issue 14: a percent-encoded dir of atlas:migrate:hash writes no atlas.sum outside the workspace', async () => {
  const outside = outsideDir({ '20240101000000_users.sql': MIGRATION });
  try {
    const before = listing(outside.dir);
    const { refusal } = await dryRun(
      [
        {
          id: 'hash',
          name: 'Hash',
          action: 'atlas:migrate:hash',
          input: { workingDirectory: 'db', dir: outside.input },
        },
      ],
      { 'db/migrations/20240101000000_users.sql': MIGRATION },
    );
    assert.match(
      refusal,
      /^dir "(%2e%2e\/){30}tmp\/gp-e2e-outside-\w+" is not a directory in db: give the migration directory relative to workingDirectory \(it is read literally, %-sequences included\)/,
    );
    assert.deepEqual(listing(outside.dir), before);
    await healthy();
  } finally {
    rmSync(outside.dir, { recursive: true, force: true });
  }
});

test('issue 14: a percent-encoded dir of atlas:migrate:validate lists nothing outside the workspace', async () => {
  // A hashed directory with a file added since: atlas would name that file in its checksum error.
  const outside = outsideDir({
    '20990101000000_secret_name.sql': 'CREATE TABLE u (id int);\n',
    'atlas.sum':
      'h1:qdrLFDd/tLvnkbDjR8CSdbXdaT2i32+AdGMMyvmhZKQ=\n20990101000000_secret_name.sql h1:jDDQdUAyS+x0/ZoLKhA652J9SiD9vq2hkx3LFGh6jjg=\n',
    '20990102000000_other_secret.sql': MIGRATION,
  });
  try {
    const { refusal, text } = await dryRun(
      [
        {
          id: 'validate',
          name: 'Validate',
          action: 'atlas:migrate:validate',
          input: {
            workingDirectory: 'db',
            dir: outside.input,
            failOnViolations: false,
          },
        },
      ],
      { 'db/migrations/20240101000000_users.sql': MIGRATION },
    );
    assert.match(refusal, /is not a directory in db/);
    assert.doesNotMatch(text, /secret/);
    await healthy();
  } finally {
    rmSync(outside.dir, { recursive: true, force: true });
  }
});

test('issue 14: atlas gets the dir as an encoded file:// URL, so a name with a space and % works', async () => {
  const dir = 'mig rations%41';
  const { status, log, body } = await dryRun(
    [
      {
        id: 'hash',
        name: 'Hash',
        action: 'atlas:migrate:hash',
        input: { workingDirectory: 'db', dir },
      },
      {
        id: 'validate',
        name: 'Validate',
        action: 'atlas:migrate:validate',
        input: { workingDirectory: 'db', dir },
      },
    ],
    { [`db/${dir}/20240101000000_users.sql`]: MIGRATION },
  );
  assert.deepEqual(status, {
    fetch: 'completed',
    hash: 'completed',
    validate: 'completed',
  });
  assert.match(
    log,
    /running atlas migrate hash --dir file:\/\/\/\S+\/db\/mig%20rations%2541 in db/,
  );
  assert.ok(
    body.directoryContents.some(f => f.path === `db/${dir}/atlas.sum`),
    'atlas.sum is not in the named directory',
  );
});

test('issue 14: buf:breaking refuses "#" in againstDirectory (no git fetch of the workspace submodule URLs)', async () => {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    res.statusCode = 404;
    res.end();
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const repo = mkdtempSync(join(tmpdir(), 'gp-e2e-buf-repo-'));
  try {
    // A workspace repository whose .gitmodules names a submodule on the test's listener.
    const files = {
      'proto/buf.yaml': 'version: v2\nbreaking:\n  use: [FILE]\n',
      'proto/a/v1/a.proto':
        'syntax = "proto3";\n\npackage a.v1;\n\nmessage M {\n  string id = 1;\n}\n',
      '.gitmodules': `[submodule "x"]\n\tpath = x\n\turl = http://127.0.0.1:${
        server.address().port
      }/evil.git\n`,
    };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(repo, name, '..'), { recursive: true });
      writeFileSync(join(repo, name), content);
    }
    const git = (...args) =>
      execFileSync(
        'git',
        ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args],
        { cwd: repo },
      )
        .toString()
        .trim();
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'one');
    git(
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${git('rev-parse', 'HEAD')},x`,
    );
    git('commit', '-qm', 'submodule');
    const all = {};
    for (const name of listing(repo))
      if (statSync(join(repo, name)).isFile())
        all[name] = readFileSync(join(repo, name));
    const { refusal } = await dryRun(
      [
        {
          id: 'breaking',
          name: 'Breaking',
          action: 'buf:breaking',
          input: {
            workingDirectory: 'proto',
            againstDirectory:
              '.git#format=git,branch=main,subdir=proto,recurse_submodules=true',
          },
        },
      ],
      all,
    );
    assert.match(
      refusal,
      /^againstDirectory "\.git#format=git,branch=main,subdir=proto,recurse_submodules=true" is refused: "#" starts buf input options \(format, ref, recurse_submodules\); rename the directory or give a path without "#"/,
    );
    assert.deepEqual(requests, []);
    // The same workspace against its own git ref still works (an explicit #format=git input).
    const ok = await dryRun(
      [
        {
          id: 'breaking',
          name: 'Breaking',
          action: 'buf:breaking',
          input: { workingDirectory: 'proto', againstGitRef: 'main' },
        },
      ],
      all,
    );
    assert.equal(ok.status.breaking, 'completed', ok.log);
    assert.match(
      ok.log,
      /--against \S+\/\.git#format=git,ref=main,subdir=proto in proto/,
    );
    await healthy();
  } finally {
    server.close();
    rmSync(repo, { recursive: true, force: true });
  }
});

test('issue 14: a data source hidden behind a comment in atlas.hcl is refused', async () => {
  const marker = join(tmpdir(), `gp-e2e-hcl-${process.pid}`);
  const { refusal } = await dryRun(
    [
      {
        id: 'hash',
        name: 'Hash',
        action: 'atlas:migrate:hash',
        input: { workingDirectory: 'db' },
      },
    ],
    {
      'db/atlas.hcl': `data /* c */ "external" "x" {\n  program = ["sh", "-c", "touch ${marker}"]\n}\n`,
      'db/migrations/20240101000000_users.sql': MIGRATION,
    },
  );
  assert.match(
    refusal,
    /^db\/atlas\.hcl:1: the block data "external" "x" is refused: it could run a program or read outside the workspace; keep env, lint and diff blocks with literal values/,
  );
  assert.ok(!existsSync(marker), 'the data source ran');
  await healthy();
});

test('a tool that rejects the input fails the dry run with one line: an InputError, no stack, no host path', async () => {
  const { text, refusal } = await dryRun(
    [
      {
        id: 'lint',
        name: 'Lint',
        action: 'buf:lint',
        input: { workingDirectory: 'proto' },
      },
    ],
    {
      'proto/buf.yaml': 'version: v2\nlint:\n  use: [NO_SUCH_RULE]\n',
      'proto/a/v1/a.proto':
        'syntax = "proto3";\n\npackage a.v1;\n\nmessage M {\n  string id = 1;\n}\n',
    },
  );
  const body = JSON.parse(text);
  assert.equal(body.response.statusCode, 400, text);
  assert.equal(body.error.name, 'InputError', text);
  assert.match(
    refusal,
    /^buf failed with exit code \d+: .*NO_SUCH_RULE.* \(in proto\); fix what it names in the template's files or values, then run the template again$/,
  );
  // The backend runs in development here, where error responses carry the
  // error's stack: the step's is its one line, not the backend's code.
  assert.equal(
    body.error.stack ?? `InputError: ${refusal}`,
    `InputError: ${refusal}`,
  );
  assert.doesNotMatch(text, /\\n\s+at |dry-run-content|dry-run-[0-9a-f-]{36}/);
  for (const hostPath of [ROOT, tmpdir()])
    assert.ok(!text.includes(hostPath), `${hostPath} in ${text}`);
  await healthy();
});

/** The fixture template of the real-task cases, registered once. */
let hostileTemplate;
async function hostileInputsTemplate() {
  if (!hostileTemplate) {
    hostileTemplate = (async () => {
      const res = await fetch(`${BASE}/api/catalog/locations`, {
        method: 'POST',
        headers: { ...authHeaders(), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          type: 'file',
          target: join(
            ROOT,
            'e2e/fixtures/hostile-inputs-template/template.yaml',
          ),
        }),
      });
      assert.ok([201, 409].includes(res.status), await res.text());
      await waitForUrl(
        `${BASE}/api/catalog/entities/by-name/template/default/hostile-inputs-fixture`,
        {
          child: backend,
          timeoutMs: 120_000,
          headers: authHeaders(),
        },
      );
      return 'template:default/hostile-inputs-fixture';
    })();
  }
  return hostileTemplate;
}

test(
  'issue 14: sqlc:generate in a real task refuses a workspace program under an allowed plugin name; it does not run',
  { timeout: 300_000 },
  async () => {
    const marker = join(tmpdir(), `gp-e2e-sqlc-gen-sh-${process.pid}`);
    rmSync(marker, { force: true });
    const task = await runTask(await hostileInputsTemplate(), {
      case: 'sqlc-process',
      marker,
    });
    assert.equal(task.status, 'failed', task.log);
    assert.match(
      task.log,
      /process\/sqlc\.yaml: plugins\[0\]\.process\.cmd "\.\/gen\.sh" is refused: it runs a program of the workspace, which is not an allowed sqlc plugin program; install the plugin in the tools directory and list it in goldenPath\.tools\.sqlcProcessPlugins/,
    );
    assert.ok(!existsSync(marker), 'gen.sh ran');
    await healthy();
  },
);

test(
  'issue 14: sqlc:generate in a real task refuses sql[].database; sqlc connects nowhere',
  { timeout: 300_000 },
  async () => {
    const connections = [];
    const server = createTcpServer(socket => {
      connections.push(socket.remoteAddress);
      socket.destroy();
    });
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const task = await runTask(await hostileInputsTemplate(), {
        case: 'sqlc-database',
        port: server.address().port,
      });
      assert.equal(task.status, 'failed', task.log);
      assert.match(
        task.log,
        /database\/sqlc\.yaml: sql\[0\]\.database is refused: sqlc would connect to it \(expanding \$\{ENV\} in its URI\) from the backend; remove it/,
      );
      assert.deepEqual(connections, []);
      await healthy();
    } finally {
      server.close();
    }
  },
);

test(
  'issue 14: atlas:migrate:diff in a real task with a percent-encoded dir creates no migration outside the workspace',
  { timeout: 300_000 },
  async () => {
    const outside = outsideDir({});
    try {
      const task = await runTask(await hostileInputsTemplate(), {
        case: 'atlas-diff',
        dir: outside.input,
      });
      assert.deepEqual(
        listing(outside.dir),
        [],
        `atlas wrote outside the workspace: ${task.log}`,
      );
      // The dir is read literally: the migration is in a directory of that name inside the workspace.
      assert.equal(task.status, 'completed', task.log);
      assert.match(
        task.log,
        /running atlas migrate diff init --dir file:\/\/\/\S+\/db(\/%252e%252e){30}\/tmp\/gp-e2e-outside-\w+ --to file:\/\/\/\S+\/db\/schema\.sql/,
      );
      await healthy();
    } finally {
      rmSync(outside.dir, { recursive: true, force: true });
    }
  },
);
