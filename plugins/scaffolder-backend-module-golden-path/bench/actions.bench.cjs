#!/usr/bin/env node
/* eslint-disable no-console, @backstage/no-undeclared-imports */
// Benchmark: each action's wall time against the same CLI run directly on the
// same input, interleaved in one run (alternating which goes first), so that
// machine noise hits both sides alike. Prints medians and the median ratio.
//
// Usage: node bench/actions.bench.cjs [rounds]   (default 21)
require('@backstage/cli/config/nodeTransform.cjs');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const actions = require('../src/actions');
const { makeSandbox, testSettings, TOOLS_DIR } = require('../src/__testUtils__/context');
const { GOOD_PROTO, GOOD_QUERIES, protoWorkspace, sqlcWorkspace } = require('../src/__testUtils__/fixtures');

const rounds = Number(process.argv[2] ?? 21);
const deps = { settings: testSettings() };
const bin = name => path.join(TOOLS_DIR, 'bin', name);
const env = { PATH: `${path.join(TOOLS_DIR, 'bin')}:/usr/local/go/bin:/usr/bin:/bin`, HOME: process.env.HOME };

const migrations = {
  'db/migrations/20250101000000_init.sql': 'CREATE TABLE orders (id uuid PRIMARY KEY);\n',
  'db/migrations/20250102000000_status.sql': 'ALTER TABLE orders ADD COLUMN status text NOT NULL;\n',
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
  return { ...sqlcWorkspace(''), 'svc/db/schema/schema.sql': schema, 'svc/db/queries/order.sql': '', ...queries };
}

const cases = [
  {
    id: 'buf:lint',
    tool: 'buf',
    files: protoWorkspace(GOOD_PROTO),
    cwd: 'api/proto',
    action: actions.createBufLintAction(deps),
    input: { workingDirectory: 'api/proto' },
    direct: ['lint', '--error-format', 'json'],
  },
  {
    id: 'sqlc:generate (1 table, 2 queries)',
    tool: 'sqlc',
    files: sqlcWorkspace(GOOD_QUERIES),
    cwd: 'svc/db',
    action: actions.createSqlcGenerateAction(deps),
    input: { workingDirectory: 'svc/db' },
    direct: ['generate'],
  },
  {
    id: 'sqlc:generate (8 tables, 40 queries)',
    tool: 'sqlc',
    files: serviceSizedSqlc(),
    cwd: 'svc/db',
    action: actions.createSqlcGenerateAction(deps),
    input: { workingDirectory: 'svc/db' },
    direct: ['generate'],
  },
  {
    id: 'atlas:migrate:hash',
    tool: 'atlas',
    files: migrations,
    cwd: 'db',
    action: actions.createAtlasMigrateHashAction(deps),
    input: { workingDirectory: 'db', dir: 'migrations' },
    direct: ['migrate', 'hash', '--dir', 'file://migrations'],
  },
];

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A task context as the scaffolder gives one; the log lines are kept, as the
// task log would keep them.
function taskContext(workspacePath, input) {
  const lines = [];
  const logger = { info: m => lines.push(m), warn: m => lines.push(m), error: m => lines.push(m), debug: () => {} };
  logger.child = () => logger;
  return {
    logger,
    workspacePath,
    input,
    task: { id: 'bench' },
    output: () => {},
    checkpoint: async ({ fn }) => fn(),
    getInitiatorCredentials: async () => ({ $$type: '@backstage/BackstageCredentials', principal: { type: 'user' } }),
  };
}

async function timeAction(c, workspace) {
  const ctx = taskContext(workspace, c.input);
  const t0 = process.hrtime.bigint();
  await c.action.handler(ctx);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// The CLI run directly: one process, output piped, awaited as any Node
// program (the backend included) awaits a child.
function timeDirect(c, workspace) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin(c.tool), c.direct, { cwd: path.join(workspace, c.cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${c.tool} ${c.direct.join(' ')} failed: ${stderr}`));
      else resolve(ms);
    });
  });
}

// The same, blocking the event loop (spawnSync): the floor of any launcher.
function timeDirectSync(c, workspace) {
  const t0 = process.hrtime.bigint();
  spawnSync(bin(c.tool), c.direct, { cwd: path.join(workspace, c.cwd), env, stdio: 'pipe' });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main() {
  console.log(`rounds: ${rounds} (interleaved, alternating order; one warm-up each)`);
  console.log('action                                 action ms   direct ms   ratio   | spawnSync ms  ratio');
  for (const c of cases) {
    if (!fs.existsSync(bin(c.tool))) {
      console.log(`${c.id.padEnd(38)} skipped: ${bin(c.tool)} is not installed`);
      continue;
    }
    const box = makeSandbox(c.files);
    const a = [];
    const d = [];
    const ds = [];
    const ratios = [];
    const syncRatios = [];
    await timeAction(c, box.workspace);
    await timeDirect(c, box.workspace);
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? ['a', 'd', 's'] : ['s', 'd', 'a'];
      const t = {};
      for (const k of order) {
        if (k === 'a') t.a = await timeAction(c, box.workspace);
        else if (k === 'd') t.d = await timeDirect(c, box.workspace);
        else t.s = timeDirectSync(c, box.workspace);
      }
      a.push(t.a);
      d.push(t.d);
      ds.push(t.s);
      ratios.push(t.a / t.d);
      syncRatios.push(t.a / t.s);
    }
    box.cleanup();
    const ratio = median(ratios);
    console.log(
      `${c.id.padEnd(38)} ${median(a).toFixed(1).padStart(9)}   ${median(d).toFixed(1).padStart(9)}   ${ratio.toFixed(3)} | ${median(ds)
        .toFixed(1)
        .padStart(12)}  ${median(syncRatios).toFixed(3)}   ${ratio <= 1.05 ? 'target <= 1.05 met' : 'target <= 1.05 MISSED'}`,
    );
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
