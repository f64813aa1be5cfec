#!/usr/bin/env node
/* eslint-disable no-console, @backstage/no-undeclared-imports */
// Benchmark: each action's wall time, with its tool in the OS sandbox (as in
// production) and without it (goldenPath.sandbox.mode: off), against the same
// CLI run directly on the same input, interleaved in one run (in a balanced
// order, see ORDERS), so that machine noise hits every side alike. Prints
// medians, the median of the paired ratios, and a met/missed line per target
// (it prints, it does not assert). For information it also times the CLI
// with spawnSync, and how long each start blocks the event loop.
// The runs of one workspace share a sandbox (as a task's steps do); the
// first run in a workspace, which creates it, is also timed apart.
//
// Usage: node bench/actions.bench.cjs [--rounds N] [--phases] [--only <action id prefix>]
//          [--rss=<MB>] [--no-launcher]
// (default 41 rounds)
// --phases also splits each action run into: before the start, the start
// call itself, the child running, and after the child closed.
// --rss=<MB> first fills that much memory, as a backend holds: Node's spawn
// forks the process, and a fork takes longer the more memory it holds.
// --no-launcher makes the actions start tools with Node's spawn instead of
// golden-path-launcher.
require('@backstage/cli/config/nodeTransform.cjs');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const actions = require('../src/actions');
const {
  makeSandbox,
  testSettings,
  TOOLS_DIR,
} = require('../src/__testUtils__/context');
const {
  toolLauncher,
  ToolSandbox,
} = require('@golden-path/plugin-golden-path-node');
const {
  GOOD_PROTO,
  GOOD_QUERIES,
  protoWorkspace,
  sqlcWorkspace,
} = require('../src/__testUtils__/fixtures');

const { spawn, spawnSync } = childProcess;

// The bench scripts share one command-line parser (bench/lib/options.mjs).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { benchOptions } = require('../../../bench/lib/options.mjs');

const USAGE =
  'node bench/actions.bench.cjs [--rounds N] [--phases] [--only <action id prefix>] [--rss <MB>] [--no-launcher]';
const opts = benchOptions('bench/actions.bench.cjs', {
  usage: USAGE,
  options: {
    rounds: { type: 'string', default: '41' },
    phases: { type: 'boolean', default: false },
    only: { type: 'string' },
    rss: { type: 'string', default: '0' },
    'no-launcher': { type: 'boolean', default: false },
  },
  wholeNumbers: {
    rounds: { min: 1, max: 10000 },
    rss: { min: 0, max: 16384 },
  },
});
// Rounds come in fours (see ORDERS): 41 asked means 44 run.
const rounds = Math.ceil(Number(opts.rounds) / 4) * 4;
const phases = opts.phases;
const useLauncher = !opts['no-launcher'];
const rssMb = Number(opts.rss);
/** Fresh workspaces per action for the first-run figures. */
const COLD_RUNS = 9;
/** Targets of the median paired ratio against the bare CLI: sandboxed action, unsandboxed action. */
const TARGET = { sandboxed: 1.1, unsandboxed: 1.05 };

const bin = name => path.join(TOOLS_DIR, 'bin', name);
const env = {
  PATH: `${path.join(TOOLS_DIR, 'bin')}:/usr/local/go/bin:/usr/bin:/bin`,
  HOME: process.env.HOME,
};
const LAUNCHER = bin('golden-path-launcher');
// Without the launcher, the actions find the CLIs by explicit paths and no
// tools directory, so that no launcher is found either.
const baseSettings = useLauncher
  ? testSettings()
  : testSettings({
      toolsDir: undefined,
      binaries: { buf: bin('buf'), sqlc: bin('sqlc'), atlas: bin('atlas') },
    });
const deps = { settings: baseSettings };
const unsandboxed = {
  settings: {
    ...baseSettings,
    sandbox: { ...baseSettings.sandbox, mode: 'off' },
  },
};
if (!useLauncher) process.env.PATH = '/usr/bin:/bin';

// The way the actions start tools (looked up at call time) is wrapped to note
// when the child was started and closed (a few hrtime calls); the direct
// side keeps the unwrapped spawn taken above.
let marks = {};
if (useLauncher) {
  const launcher = toolLauncher(LAUNCHER);
  const launch = launcher.launch;
  launcher.launch = (spec, events) => {
    marks.spawnStart = process.hrtime.bigint();
    launch(spec, {
      ...events,
      onClosed: (...closeArgs) => {
        marks.close = process.hrtime.bigint();
        events.onClosed(...closeArgs);
      },
    });
    marks.spawnEnd = process.hrtime.bigint();
  };
} else {
  childProcess.spawn = function wrappedSpawn(...spawnArgs) {
    marks.spawnStart = process.hrtime.bigint();
    const child = spawn.apply(this, spawnArgs);
    marks.spawnEnd = process.hrtime.bigint();
    child.on('close', () => (marks.close = process.hrtime.bigint()));
    return child;
  };
}

// Sandboxed runs go to a reusable sandbox of the workspace, through its own
// launcher: the same marks there.
{
  const reusable = ToolSandbox.prototype.reusable;
  ToolSandbox.prototype.reusable = function markedReusable(paths) {
    const launchInSandbox = reusable.call(this, paths);
    return (
      launchInSandbox &&
      ((spec, events) => {
        marks.spawnStart = process.hrtime.bigint();
        launchInSandbox(spec, {
          ...events,
          onClosed: (...closeArgs) => {
            marks.close = process.hrtime.bigint();
            events.onClosed(...closeArgs);
          },
        });
        marks.spawnEnd = process.hrtime.bigint();
      })
    );
  };
}

// Memory held like a backend's: touched, so that a fork has to copy its page tables.
const ballast = [];
for (let mb = 0; mb < rssMb; mb += 64)
  ballast.push(Buffer.alloc(64 * 1024 * 1024, 1));

const migrations = {
  'db/migrations/20250101000000_init.sql':
    'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
  'db/migrations/20250102000000_status.sql':
    'ALTER TABLE orders ADD COLUMN status text NOT NULL;\n',
};

// A service-sized sqlc input: 8 tables of 8 columns, 5 queries each.
function serviceSizedSqlc() {
  const tables = Array.from({ length: 8 }, (_, i) => `entity${i}`);
  const schema = tables
    .map(
      t => `CREATE TABLE ${t}s (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL,
  amount_units bigint NOT NULL,
  currency text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ${t}s_status_idx ON ${t}s (status);
`,
    )
    .join('\n');
  const queries = Object.fromEntries(
    tables.map(t => {
      const T = t[0].toUpperCase() + t.slice(1);
      return [
        `svc/db/queries/${t}.sql`,
        `-- name: Get${T}ByID :one
SELECT * FROM ${t}s WHERE id = $1;

-- name: List${T}s :many
SELECT * FROM ${t}s ORDER BY created_at DESC LIMIT $1 OFFSET $2;

-- name: Count${T}s :one
SELECT count(*) FROM ${t}s;

-- name: Create${T} :one
INSERT INTO ${t}s (id, name, status, amount_units, currency, active)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING *;

-- name: Update${T}Status :execrows
UPDATE ${t}s SET status = $2, updated_at = now() WHERE id = $1;
`,
      ];
    }),
  );
  return {
    ...sqlcWorkspace(''),
    'svc/db/schema/schema.sql': schema,
    'svc/db/queries/order.sql': '',
    ...queries,
  };
}

const allCases = [
  {
    id: 'buf:lint',
    tool: 'buf',
    files: protoWorkspace(GOOD_PROTO),
    cwd: 'api/proto',
    action: actions.createBufLintAction(deps),
    unsandboxed: actions.createBufLintAction(unsandboxed),
    input: { workingDirectory: 'api/proto' },
    direct: ['lint', '--error-format', 'json'],
  },
  {
    id: 'sqlc:generate (1 table, 2 queries)',
    tool: 'sqlc',
    files: sqlcWorkspace(GOOD_QUERIES),
    cwd: 'svc/db',
    action: actions.createSqlcGenerateAction(deps),
    unsandboxed: actions.createSqlcGenerateAction(unsandboxed),
    input: { workingDirectory: 'svc/db' },
    direct: ['generate'],
  },
  {
    id: 'sqlc:generate (8 tables, 40 queries)',
    tool: 'sqlc',
    files: serviceSizedSqlc(),
    cwd: 'svc/db',
    action: actions.createSqlcGenerateAction(deps),
    unsandboxed: actions.createSqlcGenerateAction(unsandboxed),
    input: { workingDirectory: 'svc/db' },
    direct: ['generate'],
  },
  {
    id: 'atlas:migrate:hash',
    tool: 'atlas',
    files: migrations,
    cwd: 'db',
    action: actions.createAtlasMigrateHashAction(deps),
    unsandboxed: actions.createAtlasMigrateHashAction(unsandboxed),
    input: { workingDirectory: 'db', dir: 'migrations' },
    direct: ['migrate', 'hash', '--dir', 'file://migrations'],
  },
];

const only = opts.only;
const cases = only ? allCases.filter(c => c.id.startsWith(only)) : allCases;
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A task context as the scaffolder gives one; the log lines are kept, as the
// task log would keep them.
function taskContext(workspacePath, input) {
  const lines = [];
  const logger = {
    info: m => lines.push(m),
    warn: m => lines.push(m),
    error: m => lines.push(m),
    debug: () => {},
  };
  logger.child = () => logger;
  return {
    logger,
    workspacePath,
    input,
    task: { id: 'bench' },
    output: () => {},
    checkpoint: async ({ fn }) => fn(),
    getInitiatorCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user' },
    }),
  };
}

const msBetween = (a, b) => Number(b - a) / 1e6;

// The order of the four runs in a round: a Williams square, so that over
// every four rounds each run comes first once and follows each other run
// once (what ran just before, e.g. a Go process in this session, moves the
// next run's time by several percent on a busy machine). a: the action with
// its tool sandboxed, u: the action unsandboxed, d: the CLI directly, s: spawnSync.
const ORDERS = [
  ['a', 'd', 's', 'u'],
  ['d', 'u', 'a', 's'],
  ['u', 's', 'd', 'a'],
  ['s', 'a', 'u', 'd'],
];

async function timeAction(c, workspace, phaseLog, action = c.action) {
  const ctx = taskContext(workspace, c.input);
  marks = {};
  const t0 = process.hrtime.bigint();
  await action.handler(ctx);
  const t1 = process.hrtime.bigint();
  if (phaseLog && marks.close) {
    phaseLog.before.push(msBetween(t0, marks.spawnStart));
    phaseLog.spawn.push(msBetween(marks.spawnStart, marks.spawnEnd));
    phaseLog.child.push(msBetween(marks.spawnEnd, marks.close));
    phaseLog.after.push(msBetween(marks.close, t1));
  }
  return msBetween(t0, t1);
}

// The CLI run directly: one process, output piped, awaited as any Node
// program (the backend included) awaits a child. With `ownSession` (for
// information only, not the target) it is started as the runner starts tools:
// in a session and process group of its own, which the group kill needs.
function timeDirect(c, workspace, ownSession = false, blocked = []) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin(c.tool), c.direct, {
      cwd: path.join(workspace, c.cwd),
      env,
      detached: ownSession,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    blocked.push(msBetween(t0, process.hrtime.bigint()));
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0)
        reject(new Error(`${c.tool} ${c.direct.join(' ')} failed: ${stderr}`));
      else resolve(ms);
    });
  });
}

// The same, blocking the event loop (spawnSync): the floor of any launcher.
function timeDirectSync(c, workspace) {
  const t0 = process.hrtime.bigint();
  spawnSync(bin(c.tool), c.direct, {
    cwd: path.join(workspace, c.cwd),
    env,
    stdio: 'pipe',
  });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main() {
  const load = () =>
    os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ');
  console.log(
    `rounds: ${rounds} (interleaved in a balanced order; one warm-up each); load average ${load()}`,
  );
  console.log(
    `actions start tools ${
      useLauncher ? `through ${LAUNCHER}` : "with Node's spawn (--no-launcher)"
    }; ` +
      `this process holds ${(process.memoryUsage().rss / 1048576).toFixed(
        0,
      )} MiB${rssMb ? ` (--rss=${rssMb})` : ''}`,
  );
  console.log(
    'action                               sandboxed ms   ratio | unsandboxed ms   ratio | bare CLI ms | spawnSync ms',
  );
  const results = [];
  const phaseRows = [];
  const firstRows = [];
  for (const c of cases) {
    if (!fs.existsSync(bin(c.tool))) {
      console.log(
        `${c.id.padEnd(38)} skipped: ${bin(c.tool)} is not installed`,
      );
      results.push({ c, ratio: undefined });
      continue;
    }
    const box = makeSandbox(c.files);
    const a = [];
    const d = [];
    const ds = [];
    const u = [];
    const ratios = [];
    const unsandboxedRatios = [];
    const phaseLog = { before: [], spawn: [], child: [], after: [] };
    const directBlocked = [];
    await timeAction(c, box.workspace);
    await timeAction(c, box.workspace, undefined, c.unsandboxed);
    await timeDirect(c, box.workspace);
    for (let i = 0; i < rounds; i++) {
      const order = ORDERS[i % ORDERS.length];
      const t = {};
      for (const k of order) {
        if (k === 'a') t.a = await timeAction(c, box.workspace, phaseLog);
        else if (k === 'd')
          t.d = await timeDirect(c, box.workspace, false, directBlocked);
        else if (k === 'u')
          t.u = await timeAction(c, box.workspace, undefined, c.unsandboxed);
        else t.s = timeDirectSync(c, box.workspace);
      }
      a.push(t.a);
      d.push(t.d);
      ds.push(t.s);
      u.push(t.u);
      ratios.push(t.a / t.d);
      unsandboxedRatios.push(t.u / t.d);
    }
    box.cleanup();
    // The first run in a workspace creates its sandbox: timed apart, in
    // fresh workspaces, each against a bare CLI run on the same input.
    const firstRatios = [];
    const first = [];
    const firstPhases = { before: [], spawn: [], child: [], after: [] };
    for (let i = 0; i < COLD_RUNS; i++) {
      const fresh = makeSandbox(c.files);
      await timeDirect(c, fresh.workspace);
      const ms = await timeAction(c, fresh.workspace, firstPhases);
      first.push(ms);
      firstRatios.push(ms / (await timeDirect(c, fresh.workspace)));
      fresh.cleanup();
    }
    firstRows.push({
      c,
      first,
      ratio: median(firstRatios),
      blocked: firstPhases.spawn,
    });
    const ratio = median(ratios);
    const unsandboxedRatio = median(unsandboxedRatios);
    results.push({ c, ratio, unsandboxedRatio });
    phaseRows.push({ c, phaseLog, directBlocked });
    const f = (xs, w) => median(xs).toFixed(1).padStart(w);
    console.log(
      `${c.id.padEnd(38)} ${f(a, 10)}   ${ratio.toFixed(3)} | ${f(
        u,
        14,
      )}   ${unsandboxedRatio.toFixed(3)} | ${f(d, 11)} | ${f(ds, 12)}`,
    );
  }
  const f2 = xs => (xs.length ? median(xs).toFixed(2) : 'n/a').padStart(8);
  console.log(
    `\nfirst sandboxed run in a workspace (creates its sandbox with Node's spawn; ${COLD_RUNS} fresh workspaces, medians): ms | ratio to the bare CLI | event loop blocked ms`,
  );
  for (const { c, first, ratio, blocked } of firstRows) {
    console.log(
      `${c.id.padEnd(38)} ${f2(first)} | ${ratio.toFixed(3)} | ${f2(blocked)}`,
    );
  }
  console.log(
    '\nevent loop blocked by starting the tool (medians, ms): action | direct spawn',
  );
  for (const { c, phaseLog: p, directBlocked } of phaseRows) {
    console.log(`${c.id.padEnd(38)} ${f2(p.spawn)} | ${f2(directBlocked)}`);
  }
  if (phases) {
    console.log(
      '\nphases of the action runs (medians, ms): before start | start call | child running | after close',
    );
    for (const { c, phaseLog: p } of phaseRows) {
      console.log(
        `${c.id.padEnd(38)} ${f2(p.before)} | ${f2(p.spawn)} | ${f2(
          p.child,
        )} | ${f2(p.after)}`,
      );
    }
  }
  console.log(
    `load average at the end: ${load()} (on ${os.cpus().length} CPUs)`,
  );
  // One line per target: an action with several inputs meets it when all do.
  for (const [side, key] of [
    ['sandboxed', 'ratio'],
    ['unsandboxed', 'unsandboxedRatio'],
  ]) {
    console.log(
      `\ntargets, ${side}: median of the paired ratios action/bare CLI <= ${TARGET[side]}`,
    );
    for (const tool of [...new Set(cases.map(c => c.action.id))]) {
      const rows = results.filter(r => r.c.action.id === tool);
      const measured = rows.filter(r => r[key] !== undefined);
      const figures = rows
        .map(
          r =>
            `${r.c.id}: ${
              r[key] === undefined ? 'skipped' : r[key].toFixed(3)
            }`,
        )
        .join(', ');
      let verdict = 'MISSED';
      if (!measured.length || measured.length < rows.length)
        verdict = 'NOT MEASURED';
      else if (measured.every(r => r[key] <= TARGET[side])) verdict = 'met';
      console.log(`  ${tool.padEnd(20)} ${verdict.padEnd(12)} (${figures})`);
    }
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
