// What the day-2 suites (add-aggregate, add-scheduled-job, add-rpc,
// add-dependency) share, and with them the upgrade suites: a monorepo of the
// run published locally under the local root, made by real go-monorepo and
// go-service tasks and committed, that the team then edits; the day-2 task
// on it, refused by the form or in the plan, or completed as one commit on a
// branch with the files it reports; atlas on a service's migrations.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_URL, RESULTS_DIR, ROOT, authHeaders } from './processes.mjs';
import { runTask } from './tasks.mjs';
import { monorepoShell } from './monorepoShell.mjs';
import { mvpMonorepoValues } from './templateValues.mjs';
import { PG, psql } from './postgres.mjs';
import { backendForSuite } from './suiteBackend.mjs';

const ATLAS = join(ROOT, '.tools/bin/atlas');

/** Where the backend publishes locally: GOLDEN_PATH_LOCAL_ROOT, else .tools/local-repos. */
export const LOCAL_ROOT =
  process.env.GOLDEN_PATH_LOCAL_ROOT ?? join(ROOT, '.tools/local-repos');

/**
 * The run's monorepo under `localRoot`: `monorepo` is `<prefix>-<suffix>`
 * (`suffix` from the clock, for other names unique to the run), `mono` its
 * directory and `shell` the team's shell in it (e2e/lib/monorepoShell.mjs).
 */
export function localMonorepo(prefix, localRoot = LOCAL_ROOT) {
  const suffix = Date.now().toString(36);
  const monorepo = `${prefix}-${suffix}`;
  const mono = join(localRoot, monorepo);
  return { suffix, monorepo, mono, shell: monorepoShell(mono) };
}

/**
 * The hooks of a day-2 suite (backendForSuite of e2e/lib/suiteBackend.mjs):
 * the backend `<suite>-backend` until the catalog has go-monorepo, go-service
 * and the day-2 template `template`.
 */
export function day2Backend(suite, template, { out, timings }) {
  backendForSuite(suite, {
    out,
    timings,
    templates: ['go-monorepo', 'go-service', template],
  });
}

/** The go-service template's example values templates/go-service/values/<name>.json. */
export const goServiceExample = name =>
  JSON.parse(
    readFileSync(
      join(ROOT, `templates/go-service/values/${name}.json`),
      'utf8',
    ),
  );

/**
 * Values of a go-service task: an mvp service of the shared pkg module owned
 * by platform-team, with `values` (name, aggregate, grpcPort, fields...), in
 * the System of `monorepo` and published locally into it.
 */
export const localService = (monorepo, values) => ({
  stage: 'mvp',
  pkgModule: 'github.com/acme/go-pkg',
  owner: 'group:default/platform-team',
  ...values,
  system: `system:default/${monorepo}`,
  publishTo: 'local',
  localPath: monorepo,
});

/** The go-monorepo task (mvp values) that publishes `monorepo` locally, timed; asserts it completed and returns it. */
export async function publishMonorepo(
  timed,
  monorepo,
  label = 'go-monorepo task',
) {
  const t = await timed(label, () =>
    runTask('template:default/go-monorepo', mvpMonorepoValues(monorepo)),
  );
  assert.equal(t.status, 'completed', t.log);
  return t;
}

/** A task of the Go service template `template` with `values`, timed as `label`; asserts it completed and returns it. */
export async function publishService(
  timed,
  label,
  values,
  template = 'go-service',
) {
  const t = await timed(label, () =>
    runTask(`template:default/${template}`, values),
  );
  assert.equal(t.status, 'completed', t.log);
  return t;
}

/** The values a service recorded in its .golden-path/values.json (`svc`: its directory). */
export const recordedValues = svc =>
  JSON.parse(readFileSync(join(svc, '.golden-path/values.json'), 'utf8'));

/**
 * Asserts every task committed what it wrote: the monorepo `mono` is a git
 * repository with nothing loose and, when `commits` is given, that many
 * commits on HEAD.
 */
export async function assertCommitted({ mono, shell }, commits) {
  assert.ok(
    existsSync(join(mono, '.git')),
    'the local monorepo is a git repository',
  );
  assert.deepEqual(await shell.gitChanges(), [], 'loose files in the monorepo');
  if (commits !== undefined)
    assert.equal(
      (await shell.git('rev-list', '--count', 'HEAD')).stdout.trim(),
      String(commits),
    );
}

/**
 * The team's own edits, committed as "team edits": `edits` maps a file of the
 * monorepo `mono` to the function that gives its new text from the old.
 */
export async function commitTeamEdits({ mono, shell }, edits) {
  for (const [file, edit] of Object.entries(edits)) {
    const abs = join(mono, file);
    writeFileSync(abs, edit(readFileSync(abs, 'utf8')));
  }
  await shell.git('commit', '-qam', 'team edits');
}

/**
 * `run(values)`: a task of the day-2 template `template` on `monorepo`,
 * published locally, with `values` (the service and the change); resolves
 * with the ended task.
 */
export const day2Task = (template, monorepo) => values =>
  runTask(`template:default/${template}`, {
    publishTo: 'local',
    localPath: monorepo,
    ...values,
  });

/**
 * POSTs a task of `template` on `monorepo` (published locally) with `values`,
 * without waiting for it; resolves with the HTTP status and body: the form's
 * checks answer 400 before any task starts.
 */
export async function submitForm(template, monorepo, values) {
  const res = await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      templateRef: `template:default/${template}`,
      values: { publishTo: 'local', localPath: monorepo, ...values },
    }),
  });
  return { status: res.status, body: await res.text() };
}

/**
 * Asserts the task `t` failed with `message`, refused in the plan step whose
 * log line `planStep` matches, before any render ran (`label` names the case).
 */
export function assertRefusedByPlan(t, label, message, planStep) {
  assert.equal(t.status, 'failed', `${label}: the task did not fail`);
  assert.match(t.log, message, `${label}:\n${t.log}`);
  assert.match(t.log, planStep, `${label}: not refused by the plan`);
  assert.doesNotMatch(
    t.log,
    /Render the service as it was made/,
    `${label}: a render ran`,
  );
}

/**
 * Runs each case `[label, input, message]` of `cases` as `run(input)` and
 * asserts it was refused in the plan step `planStep` (assertRefusedByPlan);
 * then that the refused runs left the monorepo of `shell` unchanged.
 */
export async function assertAllRefusedByPlan(shell, cases, run, planStep) {
  for (const [label, input, message] of cases)
    assertRefusedByPlan(await run(input), label, message, planStep);
  assert.deepEqual(
    await shell.gitChanges(),
    [],
    'a refused run changed the monorepo',
  );
}

/**
 * Asserts the day-2 task `t` completed on the new branch `branch`, and keeps
 * its log as test-results/<logName>.log.
 */
export function assertCompletedOn(t, branch, logName) {
  assert.equal(t.status, 'completed', t.log);
  writeFileSync(join(RESULTS_DIR, `${logName}.log`), t.log);
  assert.equal(t.output.branch, branch);
}

/** The files the summary of the task `t` lists as changed (its `- path` lines), sorted. */
export const reportedFiles = t =>
  [...t.output.text[0].content.matchAll(/^- (\S+)$/gm)].map(m => m[1]).sort();

/** atlas migrate validate of the migrations of the service at `svc`. */
export async function atlasValidate(shell, svc) {
  await shell.sh(
    ATLAS,
    ['migrate', 'validate', '--dir', 'file://migrations'],
    join(svc, 'db'),
  );
}

/**
 * atlas migrate diff writes nothing: the migrations of the service at `svc`
 * give its schema.sql (replayed in the dev database `db`, made and dropped
 * on the local PostgreSQL).
 */
export async function atlasDiffClean(shell, svc, db) {
  psql(`create database "${db}"`);
  try {
    await shell.sh(
      ATLAS,
      [
        'migrate',
        'diff',
        'check',
        '--dir',
        'file://migrations',
        '--to',
        'file://schema/schema.sql',
        '--dev-url',
        `postgres://${PG.user}@${PG.host}:${PG.port}/${db}?sslmode=disable`,
      ],
      join(svc, 'db'),
    );
  } finally {
    psql(`drop database if exists "${db}" with (force)`);
  }
}
