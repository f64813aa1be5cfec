// A monorepo's shared files upgraded from a git source (docs/template-versions.md):
// the Go monorepo template and its upgrade template live in a repository on a
// real Gitea (e2e/lib/forge.mjs) and the catalog registers them from their
// Gitea URLs. A monorepo made from them records the commit its skeletons were
// read at; the team edits its Makefile; the platform team pushes a template
// change (an edited, a new and a removed shared file). The upgrade renders the
// monorepo as it was made from the template's repository AT THE RECORDED
// COMMIT (base) and with the branch's new commit (next), keeps the team's
// edit, lands as a branch and records the new commit; a second upgrade is a
// no-op. Before, the monorepo upgrade refused every monorepo made from a git
// source ("not read from a local directory").
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_URL, authHeaders, waitForUrl } from './lib/processes.mjs';
import { runTask } from './lib/tasks.mjs';
import { mvpMonorepoValues } from './lib/templateValues.mjs';
import { reportTimings, timer } from './lib/timings.mjs';
import { localMonorepo } from './lib/day2.mjs';
import {
  MONOREPO_SKELETON_CHANGES,
  addTeamTarget,
  assertNothingToUpgrade,
  branchChanges,
  changeMonorepoSkeleton,
  giteaTemplates,
  renameMonorepoTemplates,
  upgradeToBranch,
} from './lib/upgrades.mjs';

const source = giteaTemplates('monorepo-template-source');
const { out: OUT, localRoot: LOCAL_ROOT, platform, onMain } = source;
const GO_MONOREPO = 'go-monorepo-gitea-e2e';
const UPGRADE = 'upgrade-monorepo-gitea-e2e';
const { monorepo, mono, shell } = localMonorepo('mtplsrc', LOCAL_ROOT);
const timings = [];
const timed = timer(timings);
let backend;

const upgrade = () =>
  runTask(`template:default/${UPGRADE}`, {
    publishTo: 'local',
    system: `system:default/${monorepo}`,
    localPath: monorepo,
  });
const recordedVersion = () =>
  JSON.parse(readFileSync(join(mono, '.golden-path/values.json'), 'utf8'))
    .templateVersion;

before(async () => {
  backend = await source.start({
    paths: ['go-monorepo', 'upgrade-monorepo.yaml'],
    rename: repo =>
      renameMonorepoTemplates(repo, {
        goMonorepo: GO_MONOREPO,
        upgrade: UPGRADE,
      }),
    message: 'go-monorepo 1.0.0',
    templates: ['go-monorepo/template.yaml', 'upgrade-monorepo.yaml'],
    waitFor: [GO_MONOREPO, UPGRADE],
    timed,
  });
});

after(async () => {
  await source.stop();
  reportTimings('monorepo-template-source', timings);
});

describe(
  'a monorepo made from a template on Gitea is upgraded from the commit it recorded',
  { concurrency: false },
  () => {
    let v1;
    let recorded;

    test(
      'the monorepo records the template commit it was rendered from; the team edits its Makefile',
      { timeout: 900_000 },
      async () => {
        v1 = await source.head();
        const made = await timed(
          'go-monorepo task from the Gitea template',
          () =>
            runTask(
              `template:default/${GO_MONOREPO}`,
              mvpMonorepoValues(monorepo),
            ),
        );
        assert.equal(made.status, 'completed', made.log);
        recorded = recordedVersion();
        source.assertRecorded(recorded, {
          name: GO_MONOREPO,
          version: '1.0.0',
          dir: 'go-monorepo',
          commit: v1,
        });
        await waitForUrl(
          `${BACKEND_URL}/api/catalog/entities/by-name/system/default/${monorepo}`,
          { child: backend, headers: authHeaders() },
        );
        if (!existsSync(join(mono, '.git')))
          await shell.git('init', '-q', '-b', 'main');
        if ((await shell.gitChanges()).length) {
          await shell.git('add', '-A');
          await shell.git('commit', '-qm', 'the monorepo');
        }
        addTeamTarget(mono);
        await shell.git('add', '-A');
        await shell.git('commit', '-qm', 'team edits');
      },
    );

    test(
      'the platform team pushes a change of the shared files to Gitea; the upgrade renders base at the recorded commit and next at main, keeping the team edit',
      { timeout: 1_200_000 },
      async () => {
        changeMonorepoSkeleton(source.repo);
        await platform.git('add', '-A');
        await platform.git(
          'commit',
          '-qm',
          'go-monorepo 1.1.0: Makefile, docs/upgrades.md, no targets/README.md',
        );
        const v2 = await source.head();
        assert.notEqual(v2, v1);
        await source.push();

        const { t, branch } = await upgradeToBranch(shell, {
          timed,
          label: 'monorepo upgrade task (template from Gitea)',
          run: upgrade,
          log: join(OUT, 'upgrade-monorepo-task.log'),
          prefix: 'golden-path/upgrade-monorepo-',
        });
        // Only a base rendered at v1 gives this: README.md (gone at v2) is
        // deleted, the Makefile merged with the team's target.
        assert.deepEqual(
          await branchChanges(shell, branch),
          MONOREPO_SKELETON_CHANGES,
        );
        const summary = t.output.text[0].content;
        assert.match(summary, /\| Merged \| Makefile \|/);
        assert.match(summary, /\| Conflicts \| none \|/);
        const merged = (await shell.git('show', `${branch}:Makefile`)).stdout;
        assert.match(merged, /^PG_HOST \?= 127\.0\.0\.1$/m);
        assert.match(merged, /^team-report: ## The team's own target$/m);
        const upgraded = JSON.parse(
          (await shell.git('show', `${branch}:.golden-path/values.json`))
            .stdout,
        ).templateVersion;
        source.assertUpgraded(upgraded, recorded, {
          version: '1.1.0',
          dir: 'go-monorepo',
          commit: v2,
        });
        await shell.git('merge', '-q', '--ff-only', branch);
      },
    );

    test('a second upgrade is a no-op', { timeout: 300_000 }, async () =>
      assertNothingToUpgrade(shell, {
        timed,
        label: 'second monorepo upgrade task',
        run: upgrade,
        message: new RegExp(
          `is at ${GO_MONOREPO} 1\\.1\\.0 already: nothing to upgrade`,
        ),
      }),
    );
  },
);
