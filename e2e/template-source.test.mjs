// Template versions from a git source (docs/template-versions.md): the Go
// service and upgrade templates live in a repository on a real Gitea
// (e2e/lib/forge.mjs) and the catalog registers them from their Gitea URLs.
// A service made from them records the commit its skeletons were read at;
// the platform team pushes a template change (a new, an edited and a removed
// skeleton file); the upgrade renders the service as it was made from the
// template's repository AT THE RECORDED COMMIT (base) and with the branch's
// new commit (next), keeps the team's edits, and records the new commit. A
// recorded commit the repository does not have, or that is not a commit, is
// refused in one line before anything is written; the URL in the service's
// file is never read (the template is read from where the catalog has it).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTask } from './lib/tasks.mjs';
import { reportTimings, timer } from './lib/timings.mjs';
import {
  localMonorepo,
  publishMonorepo,
  publishService,
  recordedValues,
} from './lib/day2.mjs';
import {
  assertNothingToUpgrade,
  changeServiceSkeleton,
  commitLedgerEdits,
  branchChanges,
  gitRefs,
  giteaTemplates,
  ledgerService,
  renameServiceTemplates,
  skeletonChanges,
  upgradeToBranch,
} from './lib/upgrades.mjs';

const source = giteaTemplates('template-source');
const { out: OUT, localRoot: LOCAL_ROOT, platform, onMain } = source;
const GO_SERVICE = 'go-service-gitea-e2e';
const UPGRADE = 'upgrade-service-gitea-e2e';
const { suffix, monorepo, shell } = localMonorepo('tplsrc', LOCAL_ROOT);
const LEDGER = `ledger-${suffix}`;
const SERVICE = `${LEDGER}-service`;
const SVC = `services/${SERVICE}`;
const svc = join(LOCAL_ROOT, monorepo, SVC);
const timings = [];
const timed = timer(timings);

const { git, gitChanges } = shell;
const { head, branches } = gitRefs(shell);
const upgrade = (extra = {}) =>
  runTask(`template:default/${UPGRADE}`, {
    service: `component:default/${SERVICE}`,
    publishTo: 'local',
    localPath: monorepo,
    ...extra,
  });
const valuesFile = join(svc, '.golden-path/values.json');
const recordedVersion = () => recordedValues(svc).templateVersion;

before(async () => {
  await source.start({
    paths: ['go-service', 'upgrade-service.yaml'],
    rename: repo =>
      renameServiceTemplates(repo, { goService: GO_SERVICE, upgrade: UPGRADE }),
    message: 'go-service 1.0.0',
    templates: ['go-service/template.yaml', 'upgrade-service.yaml'],
    waitFor: ['go-monorepo', GO_SERVICE, UPGRADE],
    timed,
  });
});

after(async () => {
  await source.stop();
  reportTimings('template-source', timings);
});

describe(
  'a service made from a template on Gitea is upgraded from the commit it recorded',
  { concurrency: false },
  () => {
    let v1;
    let v2;
    let recorded;

    test(
      'the service records the template commit it was rendered from; the team edits it',
      { timeout: 900_000 },
      async () => {
        v1 = await source.head();
        await publishMonorepo(timed, monorepo, 'go-monorepo task (local)');
        const svcTask = await publishService(
          timed,
          'go-service task from the Gitea template',
          ledgerService(monorepo, LEDGER),
          GO_SERVICE,
        );
        writeFileSync(join(OUT, 'go-service-task.log'), svcTask.log);
        recorded = recordedVersion();
        source.assertRecorded(recorded, {
          name: GO_SERVICE,
          version: '1.0.0',
          dir: 'go-service',
          commit: v1,
        });
        assert.match(
          svcTask.log,
          new RegExp(
            `${GO_SERVICE} version 1\\.0\\.0, skeleton revision ${
              recorded.revision
            }, from ${onMain('go-service')} at ${v1}`,
          ),
        );
        // The monorepo's first commit, then the service's: no loose files.
        assert.deepEqual(await gitChanges(), [], 'loose files in the monorepo');
        await commitLedgerEdits(shell, svc);
      },
    );

    test(
      'the platform team pushes a template change to Gitea',
      { timeout: 120_000 },
      async () => {
        changeServiceSkeleton(source.repo);
        await platform.git('add', '-A');
        await platform.git(
          'commit',
          '-qm',
          'go-service 1.1.0: policy.go, README, no doc.go',
        );
        v2 = await source.head();
        assert.notEqual(v2, v1);
        await source.push();
        const branch = await source.forge.api(
          'GET',
          `/repos/${source.forge.org}/templates/branches/main`,
        );
        assert.equal(branch.body?.commit?.id, v2, branch.text);
      },
    );

    test(
      "a recorded commit that is not a commit, or that the repository does not have, is refused in one line and nothing is written; the file's URL is not read",
      { timeout: 600_000 },
      async () => {
        for (const [commit, message] of [
          [
            'main',
            /records templateVersion\.source without a git commit \(source\.commit must be 40 lowercase hex digits, got "main"\)/,
          ],
          [
            'f'.repeat(40),
            new RegExp(
              `the skeletons of ${GO_SERVICE} 1\\.0\\.0 \\(sha256-[0-9a-f]{12}\\) that made ${SVC} cannot be read at commit f{40} \\(${source.forge.baseUrl}/${source.forge.org}/templates/src/commit/f{40}/go-service: [^\\n]*\\); the commit is no longer in the template's repository`,
            ),
          ],
        ]) {
          const doc = JSON.parse(readFileSync(valuesFile, 'utf8'));
          // The team points the record elsewhere: only the commit is taken.
          doc.templateVersion.source = {
            url: 'http://127.0.0.1:9/elsewhere/src/branch/main/go-service',
            commit,
          };
          writeFileSync(valuesFile, `${JSON.stringify(doc, null, 2)}\n`);
          await git('commit', '-qam', `record ${commit}`);
          const before = { head: await head(), branches: await branches() };
          const t = await timed(`upgrade refused: commit ${commit}`, () =>
            upgrade(),
          );
          assert.equal(t.status, 'failed', t.log);
          assert.match(t.log, message);
          assert.doesNotMatch(t.log, /elsewhere/);
          assert.doesNotMatch(t.log, /Render the service as it was made/);
          assert.equal(await head(), before.head);
          assert.deepEqual(await branches(), before.branches);
          await git('revert', '--no-edit', 'HEAD');
        }
        assert.deepEqual(recordedVersion(), recorded);
        assert.deepEqual(await gitChanges(), []);
      },
    );

    test(
      "the upgrade renders base at the recorded commit and next at main's: new, edited and removed files, the team's edits kept",
      { timeout: 1_200_000 },
      async () => {
        const { t, branch } = await upgradeToBranch(shell, {
          timed,
          label: 'upgrade task (template from Gitea)',
          run: () => upgrade(),
          log: join(OUT, 'upgrade-task.log'),
          prefix: `golden-path/upgrade-${SERVICE}-`,
        });
        // Only a base rendered at v1 gives this: doc.go (gone at v2) is
        // deleted, README is merged with the team's first line.
        assert.deepEqual(
          await branchChanges(shell, branch),
          skeletonChanges(SVC),
        );
        const summary = t.output.text[0].content;
        assert.match(
          summary,
          /\| Merged \| services\/ledger-[a-z0-9]+-service\/README\.md \|/,
        );
        assert.match(summary, /\| Conflicts \| none \|/);
        await git('checkout', '-q', branch);
        const readme = readFileSync(join(svc, 'README.md'), 'utf8');
        assert.match(readme, /^# Ledger service \(team ledger\)\n/);
        assert.match(readme, /## Upgrades\n/);
        assert.ok(existsSync(join(svc, 'internal/domain/service/fees.go')));
        source.assertUpgraded(recordedVersion(), recorded, {
          version: '1.1.0',
          dir: 'go-service',
          commit: v2,
        });
        await timed('upgraded service: gofmt, tidy, build, vet', () =>
          shell.checkGoService(SVC),
        );
        assert.deepEqual(await gitChanges(), []);
        await git('checkout', '-q', 'main');
        await git('merge', '-q', '--ff-only', branch);
      },
    );

    test('a second upgrade is a no-op', { timeout: 300_000 }, async () =>
      assertNothingToUpgrade(shell, {
        timed,
        label: 'second upgrade task',
        run: () => upgrade(),
        message: new RegExp(
          `is at ${GO_SERVICE} 1\\.1\\.0 already: nothing to upgrade`,
        ),
      }),
    );
  },
);
