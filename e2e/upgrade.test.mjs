// The day-2 template "Upgrade a Go service to the current golden path"
// through the real scaffolder backend, across a real template change. The
// suite registers a copy of the Go service and upgrade templates (under
// test-results/, a git repository of its own; the repository's templates/ is
// never touched): a real go-service task makes a service, recording the
// template's name, version and skeleton revision, which the team edits. Then
// the suite commits a change to the copy's skeleton (a new file, an edited
// file, a removed file) and upgrades the service: the team's edits are kept,
// the template's change is applied, the checks pass (the template's own, then
// gofmt, build, vet and go test -race), the result is one commit on a new
// branch of the monorepo, and a second upgrade is a no-op. A conflicting
// template change writes nothing, or with onConflict markers a branch with
// conflict markers. Bad input (no recorded values, no recorded version, a
// version that cannot be retrieved, uncommitted changes) is refused in one
// line before anything is written.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import {
  ROOT,
  RESULTS_DIR,
  BACKEND_URL,
  authHeaders,
  startSuiteBackend,
  stopProcess,
  waitForBackendReady,
  waitForUrl,
} from './lib/processes.mjs';
import { runTask, waitForTemplates } from './lib/tasks.mjs';
import { monorepoShell } from './lib/monorepoShell.mjs';
import { mvpMonorepoValues } from './lib/templateValues.mjs';
import { reportTimings, timer } from './lib/timings.mjs';
import {
  LOCAL_ROOT,
  localMonorepo,
  localService,
  publishMonorepo,
  publishService,
  recordedValues,
} from './lib/day2.mjs';
import {
  MONOREPO_SKELETON_CHANGES,
  addTeamTarget,
  catalogLocations,
  changeMonorepoSkeleton,
  changeServiceSkeleton,
  commitLedgerEdits,
  copyMonorepoTemplates,
  conflictingReadmeChange,
  copyServiceTemplates,
  editFile,
  branchChanges,
  gitRefs,
  ledgerService,
  setTemplateVersion,
  skeletonChanges,
} from './lib/upgrades.mjs';

const OUT = join(RESULTS_DIR, 'upgrade');
const TEMPLATES = join(OUT, 'templates');
const GO_SERVICE = 'go-service-upgrade-e2e';
const UPGRADE = 'upgrade-service-upgrade-e2e';
const BATCH = 'upgrade-services-upgrade-e2e';
const GO_MONOREPO = 'go-monorepo-upgrade-e2e';
const UPGRADE_MONOREPO = 'upgrade-monorepo-upgrade-e2e';
/** The nine services the batch upgrades beside the ledger service (names end with the run's suffix). */
const FLEET = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
];
const { suffix, monorepo, mono, shell } = localMonorepo('upgrade');
// Names unique to the run: the catalog discovers every monorepo under the
// local root, and a service name another run (or suite) declared stays theirs.
const LEDGER = `ledger-${suffix}`;
const SERVICE = `${LEDGER}-service`;
const SVC = `services/${SERVICE}`;
const svc = join(mono, SVC);
const serviceRef = `component:default/${SERVICE}`;
const timings = [];
let backend;

const { git, gitChanges } = shell;
const { head, branches } = gitRefs(shell);
const timed = timer(timings);
/** git in the templates' copy, as the platform team. */
const templatesShell = monorepoShell(TEMPLATES);

const upgrade = (extra = {}) =>
  runTask(`template:default/${UPGRADE}`, {
    service: serviceRef,
    publishTo: 'local',
    localPath: monorepo,
    ...extra,
  });
const recordedVersion = () => recordedValues(svc).templateVersion;

/**
 * Commits everything in a monorepo as the team, when there is anything to
 * commit: a local publish that commits by itself leaves nothing.
 */
async function commitAll(sh, message) {
  await sh.git('add', '-A');
  if ((await sh.gitChanges()).length) await sh.git('commit', '-qm', message);
}

/** Edits a file of the templates' copy. */
const editTemplate = (file, edit) => editFile(TEMPLATES, file, edit);

/** The copy of the templates the suite registers, renamed so they sit beside the real ones. */
function copyTemplates() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(TEMPLATES, { recursive: true });
  copyServiceTemplates(TEMPLATES, { goService: GO_SERVICE, upgrade: UPGRADE });
  cpSync(
    join(ROOT, 'templates/upgrade-services.yaml'),
    join(TEMPLATES, 'upgrade-services.yaml'),
  );
  // The Go monorepo template and its upgrade, for the monorepo's shared files.
  copyMonorepoTemplates(TEMPLATES, {
    goMonorepo: GO_MONOREPO,
    upgrade: UPGRADE_MONOREPO,
  });
  editTemplate('upgrade-services.yaml', s =>
    s
      .replace(/^  name: upgrade-services$/m, `  name: ${BATCH}`)
      .replace(
        'templateRef: template:default/upgrade-service',
        `templateRef: template:default/${UPGRADE}`,
      ),
  );
  // The catalog's locations are replaced by this list (config arrays are):
  // the repository's own, then the copies.
  const app = readFileSync(join(ROOT, 'app-config.yaml'), 'utf8');
  const config = catalogLocations([
    // Before the templates came from an entity provider, they were locations.
    ...(app.includes('templates/*/template.yaml')
      ? ['../../templates/go-monorepo/template.yaml']
      : []),
    join(TEMPLATES, 'go-service/template.yaml'),
    join(TEMPLATES, 'upgrade-service.yaml'),
    join(TEMPLATES, 'upgrade-services.yaml'),
    join(TEMPLATES, 'go-monorepo/template.yaml'),
    join(TEMPLATES, 'upgrade-monorepo.yaml'),
  ]);
  writeFileSync(join(OUT, 'app-config.upgrade.yaml'), config);
}

before(async () => {
  copyTemplates();
  await templatesShell.git('init', '-q', '-b', 'main');
  await templatesShell.git('add', '-A');
  await templatesShell.git('commit', '-qm', 'go-service 1.0.0');
  backend = await startSuiteBackend('upgrade-backend', {
    configs: [
      'app-config.yaml',
      relative(ROOT, join(OUT, 'app-config.upgrade.yaml')),
    ],
  });
  await waitForBackendReady(backend);
  await waitForTemplates(backend, [
    'go-monorepo',
    GO_SERVICE,
    UPGRADE,
    BATCH,
    GO_MONOREPO,
    UPGRADE_MONOREPO,
  ]);
});

after(async () => {
  if (backend) await stopProcess(backend);
  reportTimings('upgrade', timings);
});

/** Asserts that a refused upgrade left the monorepo as it was. */
async function assertNothingWritten(
  t,
  message,
  { headBefore, branchesBefore },
  { rendered = false } = {},
) {
  assert.equal(t.status, 'failed', t.log);
  assert.match(t.log, message, t.log);
  // Refused by the plan, before any render; a conflict is found after them.
  if (!rendered)
    assert.doesNotMatch(t.log, /Render the service as it was made/);
  assert.equal(await head(), headBefore, 'HEAD moved');
  assert.deepEqual(await branches(), branchesBefore, 'a branch was created');
}

describe(
  'a Go service is upgraded to the current template',
  { concurrency: false },
  () => {
    let v1;
    let upgradeBranch;

    test(
      'a service made by the template records its version; the team edits it',
      { timeout: 900_000 },
      async () => {
        await publishMonorepo(timed, monorepo);
        // The monorepo records its template and version too.
        const monoRecord = JSON.parse(
          readFileSync(join(mono, '.golden-path/values.json'), 'utf8'),
        );
        assert.equal(monoRecord.template, 'go-monorepo');
        assert.equal(monoRecord.templateVersion.name, 'go-monorepo');
        assert.match(
          monoRecord.templateVersion.revision,
          /^sha256-[0-9a-f]{64}$/,
        );
        assert.equal(monoRecord.values.projectName, monorepo);
        await publishService(
          timed,
          'go-service task (ledger)',
          ledgerService(monorepo, LEDGER),
          GO_SERVICE,
        );
        v1 = recordedVersion();
        assert.equal(v1.name, GO_SERVICE);
        assert.equal(v1.version, '1.0.0');
        assert.match(v1.revision, /^sha256-[0-9a-f]{64}$/);
        assert.ok(
          existsSync(
            join(TEMPLATES, 'go-service/.versions', v1.revision, 'skeleton'),
          ),
          'the skeletons of the revision are stored',
        );
        if (!existsSync(join(mono, '.git')))
          await git('init', '-q', '-b', 'main');
        await commitAll(shell, 'monorepo and ledger-service');
        // The team's edits: the README's first line, and code of their own.
        await commitLedgerEdits(shell, svc);
      },
    );

    test(
      'bad input is refused in one line before anything is written',
      { timeout: 600_000 },
      async () => {
        const state = async () => ({
          headBefore: await head(),
          branchesBefore: await branches(),
        });

        // Uncommitted changes in the checkout.
        writeFileSync(join(svc, 'scratch.txt'), 'work in progress\n');
        let s = await state();
        let t = await timed('upgrade refused: uncommitted changes', () =>
          upgrade(),
        );
        await assertNothingWritten(
          t,
          new RegExp(
            `${monorepo} \\(under the local publish root\\) has uncommitted changes \\(services/ledger-[a-z0-9]+-service/scratch\\.txt\\): commit or remove them first`,
          ),
          s,
        );
        assert.deepEqual(await gitChanges(), [`${SVC}/scratch.txt`]);
        rmSync(join(svc, 'scratch.txt'));

        // No recorded values.
        await git('rm', '-q', `${SVC}/.golden-path/values.json`);
        await git('commit', '-qm', 'drop the recorded values');
        s = await state();
        t = await upgrade();
        await assertNothingWritten(
          t,
          /services\/ledger-[a-z0-9]+-service has no \.golden-path\/values\.json: it was not created by the Go service template, or by a version that did not record its values\. Upgrade it by hand/,
          s,
        );
        await git('revert', '--no-edit', 'HEAD');

        // Values without a template version (made before versions were recorded).
        const valuesFile = join(svc, '.golden-path/values.json');
        const doc = JSON.parse(readFileSync(valuesFile, 'utf8'));
        delete doc.templateVersion;
        writeFileSync(valuesFile, `${JSON.stringify(doc, null, 2)}\n`);
        await git('commit', '-qam', 'an older service');
        s = await state();
        t = await upgrade();
        await assertNothingWritten(
          t,
          /services\/ledger-[a-z0-9]+-service\/\.golden-path\/values\.json records no template version \(templateVersion: name, version, revision\): it was made before template versions were recorded/,
          s,
        );
        await git('revert', '--no-edit', 'HEAD');

        // A recorded version that can no longer be retrieved.
        const stored = join(TEMPLATES, 'go-service/.versions', v1.revision);
        renameSync(stored, `${stored}.away`);
        try {
          s = await state();
          t = await upgrade();
          await assertNothingWritten(
            t,
            new RegExp(
              `the skeletons of ${GO_SERVICE} 1\\.0\\.0 \\(${v1.revision.slice(
                0,
                19,
              )}\\) that made services/ledger-[a-z0-9]+-service can no longer be retrieved: go-service/\\.versions/${
                v1.revision
              } is missing or altered`,
            ),
            s,
          );
        } finally {
          renameSync(`${stored}.away`, stored);
        }
        assert.deepEqual(await gitChanges(), []);
      },
    );

    test(
      "an upgrade across a template change: new, edited and removed files; the team's edits kept; checks green; one commit on a new branch",
      { timeout: 1_200_000 },
      async () => {
        // The platform team changes the skeleton and raises the version.
        changeServiceSkeleton(TEMPLATES);
        await templatesShell.git('add', '-A');
        await templatesShell.git(
          'commit',
          '-qm',
          'go-service 1.1.0: policy.go, README, no doc.go',
        );

        const headBefore = await head();
        const t = await timed('upgrade task', () => upgrade());
        assert.equal(t.status, 'completed', t.log);
        writeFileSync(join(OUT, 'upgrade-task.log'), t.log);
        // The working tree and main are as they were: the change is a branch.
        assert.equal(await head(), headBefore);
        assert.deepEqual(await gitChanges(), []);
        upgradeBranch = (await branches()).find(b =>
          b.startsWith(`golden-path/upgrade-${SERVICE}-`),
        );
        assert.ok(upgradeBranch, `no upgrade branch: ${await branches()}`);
        assert.deepEqual(
          await branchChanges(shell, upgradeBranch),
          skeletonChanges(SVC),
        );
        const summary = t.output.text[0].content;
        assert.match(
          summary,
          /\| Added \| services\/ledger-[a-z0-9]+-service\/internal\/domain\/service\/policy\.go \|/,
        );
        assert.match(
          summary,
          /\| Updated \| services\/ledger-[a-z0-9]+-service\/\.golden-path\/values\.json \|/,
        );
        assert.match(
          summary,
          /\| Merged \| services\/ledger-[a-z0-9]+-service\/README\.md \|/,
        );
        assert.match(
          summary,
          /\| Deleted \| services\/ledger-[a-z0-9]+-service\/internal\/domain\/service\/doc\.go \|/,
        );
        assert.match(summary, /\| Conflicts \| none \|/);
        for (const step of [
          'Lint protos',
          'Check the API stays compatible',
          'Vet the queries',
          'Check the generated query code is current',
          'Validate the migrations',
        ])
          assert.match(t.log, new RegExp(`Beginning step ${step}`), step);

        await git('checkout', '-q', upgradeBranch);
        const readme = readFileSync(join(svc, 'README.md'), 'utf8');
        assert.match(
          readme,
          /^# Ledger service \(team ledger\)\n/,
          'the team edit is gone',
        );
        assert.match(
          readme,
          /## Upgrades\n/,
          "the template's change is missing",
        );
        assert.ok(existsSync(join(svc, 'internal/domain/service/fees.go')));
        assert.ok(!existsSync(join(svc, 'internal/domain/service/doc.go')));
        const v2 = recordedVersion();
        assert.equal(v2.version, '1.1.0');
        assert.notEqual(v2.revision, v1.revision);
        const out = await timed(
          'upgraded service: gofmt, tidy, build, vet, go test -race ./...',
          () => shell.checkGoService(SVC, ['./...']),
        );
        assert.doesNotMatch(out, /^FAIL/m);
        assert.match(out, /^ok\s+\S+\/tests\/integration\b/m);
        assert.deepEqual(
          await gitChanges(),
          [],
          'the checks left files behind',
        );
        // The pull request is merged.
        await git('checkout', '-q', 'main');
        await git('merge', '-q', '--ff-only', upgradeBranch);
      },
    );

    test('a second upgrade is a no-op', { timeout: 300_000 }, async () => {
      const before = { head: await head(), branches: await branches() };
      const t = await timed('second upgrade task', () => upgrade());
      assert.equal(t.status, 'completed', t.log);
      assert.match(
        t.output.text[0].content,
        /is at go-service-upgrade-e2e 1\.1\.0 already: nothing to upgrade, no branch\./,
      );
      assert.equal(await head(), before.head);
      assert.deepEqual(await branches(), before.branches);
      assert.deepEqual(await gitChanges(), []);
    });

    test(
      'a conflicting template change writes nothing, or a branch with conflict markers when asked',
      { timeout: 600_000 },
      async () => {
        // The template changes the README's first line, which the team changed too.
        conflictingReadmeChange(TEMPLATES);
        await templatesShell.git(
          'commit',
          '-qam',
          'go-service 1.2.0: README title',
        );
        const before = {
          headBefore: await head(),
          branchesBefore: await branches(),
        };
        const t = await timed('upgrade task (conflict)', () => upgrade());
        await assertNothingWritten(
          t,
          /the update conflicts with the service in 1 file\(s\); nothing was written:\n- services\/ledger-[a-z0-9]+-service\/README\.md: 1 conflicting change between the service's edits and the update/,
          before,
          { rendered: true },
        );
        assert.equal(await head(), before.headBefore);
        assert.deepEqual(await branches(), before.branchesBefore);
        assert.deepEqual(await gitChanges(), []);

        const m = await timed('upgrade task (conflict markers)', () =>
          upgrade({ onConflict: 'markers' }),
        );
        assert.equal(m.status, 'completed', m.log);
        assert.match(
          m.output.text[0].content,
          /\| Conflicts \| services\/ledger-[a-z0-9]+-service\/README\.md \|/,
        );
        const marked = (await branches()).find(b => b.endsWith('-conflicts'));
        assert.ok(marked, `no conflicts branch: ${await branches()}`);
        const readme = (await git('show', `${marked}:${SVC}/README.md`)).stdout;
        assert.match(
          readme,
          /^<<<<<<< services\/ledger-[a-z0-9]+-service\/README\.md \(the service\)\n# Ledger service \(team ledger\)\n/m,
        );
        assert.match(
          readme,
          /^>>>>>>> services\/ledger-[a-z0-9]+-service\/README\.md \(template, after\)$/m,
        );
        assert.equal(await head(), before.headBefore);
        assert.deepEqual(await gitChanges(), []);
      },
    );

    test(
      'a batch upgrade of the 10 services of the system in one task: one branch per service, a result table',
      { timeout: 2_400_000 },
      async () => {
        // Nine more services of the same system, made at the current version.
        const made = await timed('9 go-service tasks (concurrent)', () =>
          Promise.all(
            FLEET.map((name, i) =>
              runTask(
                `template:default/${GO_SERVICE}`,
                localService(monorepo, {
                  name: `${name}-${suffix}`,
                  aggregate: 'Item',
                  grpcPort: 50082 + i,
                  fields: [{ name: 'title', type: 'string' }],
                }),
              ),
            ),
          ),
        );
        for (const t of made) assert.equal(t.status, 'completed', t.log);
        // The batch finds the services in the catalog: wait until it has them all.
        await timed('9 services in the catalog', async () => {
          for (const name of FLEET)
            await waitForUrl(
              `${BACKEND_URL}/api/catalog/entities/by-name/component/default/${name}-${suffix}-service`,
              { child: backend, headers: authHeaders() },
            );
        });
        await commitAll(shell, 'nine more services');
        // The platform team changes a file every service has.
        editTemplate(
          'go-service/skeleton/services/${{ values.name }}-service/configs/local.env',
          s => `${s.trimEnd()}\n# Upgraded by the Go service template 1.3.0.\n`,
        );
        setTemplateVersion(
          TEMPLATES,
          'go-service/template.yaml',
          '1.2.0',
          '1.3.0',
        );
        await templatesShell.git(
          'commit',
          '-qam',
          'go-service 1.3.0: local.env',
        );

        const headBefore = await head();
        const branchesBefore = await branches();
        const t = await timed('batch upgrade task (10 services)', () =>
          runTask(`template:default/${BATCH}`, {
            system: `system:default/${monorepo}`,
            publishTo: 'local',
            localPath: monorepo,
          }),
        );
        assert.equal(t.status, 'completed', t.log);
        writeFileSync(join(OUT, 'batch-task.log'), t.log);
        const table = t.output.text[0].content;
        writeFileSync(join(OUT, 'batch-table.md'), table);
        process.stdout.write(`${table.replace(/^/gm, '# ')}\n`);
        const rows = t.output.results;
        assert.equal(rows.length, 10, table);
        const byService = Object.fromEntries(rows.map(r => [r.service, r]));
        // ledger-service still conflicts on its README (the 1.2.0 change): nothing written for it.
        assert.equal(
          byService[SERVICE].result,
          'conflicts (nothing written)',
          table,
        );
        assert.match(byService[SERVICE].detail, /README\.md/);
        for (const name of FLEET) {
          const r = byService[`${name}-${suffix}-service`];
          assert.equal(r.result, 'upgraded', table);
          assert.equal(r.updated, 2, `${name}: ${table}`); // local.env and values.json
          const diff = (
            await git('diff', '--name-only', 'main', r.branch)
          ).stdout
            .trim()
            .split('\n')
            .sort();
          assert.deepEqual(diff, [
            `services/${name}-${suffix}-service/.golden-path/values.json`,
            `services/${name}-${suffix}-service/configs/local.env`,
          ]);
        }
        assert.match(table, /^\| Service \| Result \| Branch \|/m);
        assert.match(t.output.text[0].content, /^9 upgraded, 1 not upgraded/m);
        assert.equal(await head(), headBefore);
        assert.deepEqual(await gitChanges(), []);
        assert.equal((await branches()).length, branchesBefore.length + 9);
        // One of the branches builds and vets.
        await git(
          'checkout',
          '-q',
          byService[`alpha-${suffix}-service`].branch,
        );
        try {
          await timed('alpha-service upgraded: gofmt, tidy, build, vet', () =>
            shell.checkGoService(`services/alpha-${suffix}-service`),
          );
        } finally {
          await git('checkout', '-q', 'main');
        }
      },
    );
  },
);

// The monorepo's shared files: a monorepo made by the copy of the Go monorepo
// template, edited by the team, then upgraded across a change to the copy's
// skeleton (an edited Makefile, a new file, a removed file).
const UPM = `upm-${suffix}`;
const upm = join(LOCAL_ROOT, UPM);
const upmShell = monorepoShell(upm);
const upgradeMonorepo = (extra = {}) =>
  runTask(`template:default/${UPGRADE_MONOREPO}`, {
    publishTo: 'local',
    system: `system:default/${UPM}`,
    localPath: UPM,
    ...extra,
  });
const { head: upmHead, branches: upmBranches } = gitRefs(upmShell);

describe(
  "a Go monorepo's shared files are upgraded to the current template",
  { concurrency: false },
  () => {
    test(
      'a monorepo made by the template, edited by the team, is upgraded across a template change; a second upgrade is a no-op',
      { timeout: 900_000 },
      async () => {
        const made = await timed('go-monorepo task (copy)', () =>
          runTask(`template:default/${GO_MONOREPO}`, mvpMonorepoValues(UPM)),
        );
        assert.equal(made.status, 'completed', made.log);
        const record = () =>
          JSON.parse(
            readFileSync(join(upm, '.golden-path/values.json'), 'utf8'),
          ).templateVersion;
        const m1 = record();
        assert.equal(m1.name, GO_MONOREPO);
        assert.equal(m1.version, '1.0.0');
        assert.ok(
          existsSync(join(TEMPLATES, 'go-monorepo/.versions', m1.revision)),
          'the skeletons of the revision are stored',
        );
        // The checkout reads only a monorepo whose System the user may read.
        await waitForUrl(
          `${BACKEND_URL}/api/catalog/entities/by-name/system/default/${UPM}`,
          { child: backend, headers: authHeaders() },
        );
        if (!existsSync(join(upm, '.git')))
          await upmShell.git('init', '-q', '-b', 'main');
        await commitAll(upmShell, 'the monorepo');
        // The team's edits: a target of its own at the end of the Makefile, and a service of its own.
        addTeamTarget(upm);
        mkdirSync(join(upm, 'services/hand-service'), { recursive: true });
        writeFileSync(
          join(upm, 'services/hand-service/README.md'),
          '# A service made by hand\n',
        );
        await upmShell.git('add', '-A');
        await upmShell.git('commit', '-qm', 'team edits');

        // Uncommitted changes: refused in one line, before anything is written.
        writeFileSync(join(upm, 'scratch.txt'), 'work in progress\n');
        let before = { head: await upmHead(), branches: await upmBranches() };
        const dirty = await upgradeMonorepo();
        assert.equal(dirty.status, 'failed', dirty.log);
        assert.match(
          dirty.log,
          new RegExp(
            `${UPM} \\(under the local publish root\\) has uncommitted changes \\(scratch\\.txt\\): commit or remove them first`,
          ),
        );
        assert.doesNotMatch(dirty.log, /Render the monorepo as it was made/);
        assert.equal(await upmHead(), before.head);
        assert.deepEqual(await upmBranches(), before.branches);
        rmSync(join(upm, 'scratch.txt'));

        // The platform team changes shared skeleton files and raises the version.
        changeMonorepoSkeleton(TEMPLATES);
        await templatesShell.git('add', '-A');
        await templatesShell.git(
          'commit',
          '-qm',
          'go-monorepo 1.1.0: Makefile, docs/upgrades.md, no targets/README.md',
        );

        before = { head: await upmHead(), branches: await upmBranches() };
        const t = await timed('monorepo upgrade task', () => upgradeMonorepo());
        assert.equal(t.status, 'completed', t.log);
        writeFileSync(join(OUT, 'upgrade-monorepo-task.log'), t.log);
        assert.equal(await upmHead(), before.head);
        assert.deepEqual(await upmShell.gitChanges(), []);
        const branch = (await upmBranches()).find(b =>
          b.startsWith('golden-path/upgrade-monorepo-'),
        );
        assert.ok(branch, `no upgrade branch: ${await upmBranches()}`);
        assert.deepEqual(
          await branchChanges(upmShell, branch),
          MONOREPO_SKELETON_CHANGES,
        );
        const summary = t.output.text[0].content;
        assert.match(summary, /\| Added \| docs\/upgrades\.md \|/);
        assert.match(summary, /\| Updated \| \.golden-path\/values\.json \|/);
        assert.match(summary, /\| Merged \| Makefile \|/);
        assert.match(
          summary,
          /\| Deleted \| deploy\/prometheus\/targets\/README\.md \|/,
        );
        assert.match(summary, /\| Conflicts \| none \|/);
        assert.match(t.log, /Beginning step Lint protos/);
        const merged = (await upmShell.git('show', `${branch}:Makefile`))
          .stdout;
        assert.match(
          merged,
          /^PG_HOST \?= 127\.0\.0\.1$/m,
          "the template's change is missing",
        );
        assert.match(
          merged,
          /^team-report: ## The team's own target$/m,
          'the team edit is gone',
        );
        // The merged Makefile still parses: its help lists the template's targets and the team's.
        const mk = join(OUT, 'Makefile.upgraded');
        writeFileSync(mk, merged);
        const help = (
          await upmShell.sh('make', ['-s', '-f', mk, 'help'])
        ).stdout.replace(/\x1b\[[0-9;]*m/g, '');
        assert.match(help, /team-report\s+The team's own target/);
        assert.match(help, /migrate-validate\s/);
        const m2 = JSON.parse(
          (await upmShell.git('show', `${branch}:.golden-path/values.json`))
            .stdout,
        ).templateVersion;
        assert.equal(m2.version, '1.1.0');
        assert.notEqual(m2.revision, m1.revision);
        // The pull request is merged; a second upgrade is a no-op.
        await upmShell.git('merge', '-q', '--ff-only', branch);
        before = { head: await upmHead(), branches: await upmBranches() };
        const again = await timed('second monorepo upgrade task', () =>
          upgradeMonorepo(),
        );
        assert.equal(again.status, 'completed', again.log);
        assert.match(
          again.output.text[0].content,
          new RegExp(
            `\\*\\*${UPM}\\*\\* is at ${GO_MONOREPO} 1\\.1\\.0 already: nothing to upgrade, no branch\\.`,
          ),
        );
        assert.equal(await upmHead(), before.head);
        assert.deepEqual(await upmBranches(), before.branches);
        assert.deepEqual(await upmShell.gitChanges(), []);
      },
    );
  },
);
