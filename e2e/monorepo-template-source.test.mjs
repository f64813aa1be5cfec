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
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import {
  BACKEND_URL,
  ROOT,
  RESULTS_DIR,
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
import { startForge } from './lib/forge.mjs';

const OUT = join(RESULTS_DIR, 'monorepo-template-source');
const REPO = join(OUT, 'templates');
const LOCAL_ROOT = join(OUT, 'local-root');
const GO_MONOREPO = 'go-monorepo-gitea-e2e';
const UPGRADE = 'upgrade-monorepo-gitea-e2e';
const suffix = Date.now().toString(36);
const monorepo = `mtplsrc-${suffix}`;
const mono = join(LOCAL_ROOT, monorepo);
const timings = [];
const timed = timer(timings);
let forge;
let backend;

const shell = monorepoShell(mono);
/** git in the templates' working copy, as the platform team. */
const platform = monorepoShell(REPO);

/** The Gitea URL of a template file or directory on main. */
const onMain = path =>
  `${forge.baseUrl}/${forge.org}/templates/src/branch/main/${path}`;
const upgrade = () =>
  runTask(`template:default/${UPGRADE}`, {
    publishTo: 'local',
    system: `system:default/${monorepo}`,
    localPath: monorepo,
  });
const branches = async () =>
  (await shell.git('branch', '--format=%(refname:short)')).stdout
    .split('\n')
    .filter(Boolean)
    .sort();
const head = async () => (await shell.git('rev-parse', 'HEAD')).stdout.trim();
const templatesHead = async () =>
  (await platform.git('rev-parse', 'HEAD')).stdout.trim();
const recordedVersion = () =>
  JSON.parse(readFileSync(join(mono, '.golden-path/values.json'), 'utf8'))
    .templateVersion;

function editTemplate(file, edit) {
  const abs = join(REPO, file);
  writeFileSync(abs, edit(readFileSync(abs, 'utf8')));
}

/** The committed Go monorepo and monorepo upgrade templates, renamed, in a git working copy. */
async function copyTemplates() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(REPO, { recursive: true });
  mkdirSync(LOCAL_ROOT, { recursive: true });
  const tar = execFileSync(
    'git',
    [
      'archive',
      'HEAD',
      'templates/go-monorepo',
      'templates/upgrade-monorepo.yaml',
    ],
    { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
  );
  execFileSync('tar', ['-x', '--strip-components=1', '-C', REPO], {
    input: tar,
  });
  editTemplate('go-monorepo/template.yaml', s =>
    s.replace(/^  name: go-monorepo$/m, `  name: ${GO_MONOREPO}`),
  );
  editTemplate('upgrade-monorepo.yaml', s =>
    s.replace(/^  name: upgrade-monorepo$/m, `  name: ${UPGRADE}`),
  );
  await platform.git('init', '-q', '-b', 'main');
  await platform.git('add', '-A');
  await platform.git('commit', '-qm', 'go-monorepo 1.0.0');
}

/** Pushes the working copy's main to the forge's templates repository. */
async function pushTemplates() {
  const url = new URL(`${forge.baseUrl}/${forge.org}/templates.git`);
  url.username = forge.username;
  url.password = forge.token;
  await platform.git('push', '-q', url.href, 'main:main');
}

before(async () => {
  await copyTemplates();
  forge = await timed('Gitea: build or cache, start, admin and token', () =>
    startForge({ name: 'monorepo-template-source' }),
  );
  const repo = await forge.api('POST', `/orgs/${forge.org}/repos`, {
    name: 'templates',
    private: true,
    default_branch: 'main',
  });
  assert.equal(repo.status, 201, repo.text);
  await timed('push the templates to Gitea', pushTemplates);
  const config = join(OUT, 'app-config.monorepo-template-source.yaml');
  const url = target =>
    `    - type: url\n      target: ${target}\n      rules:\n        - allow: [Template]\n`;
  writeFileSync(
    config,
    [
      forge.appConfig().trimEnd(),
      'catalog:',
      '  locations:',
      '    - type: file',
      '      target: ../../catalog-info.yaml',
      '    - type: file',
      '      target: ../../examples/org.yaml',
      '      rules:',
      '        - allow: [User, Group]',
      url(onMain('go-monorepo/template.yaml')).trimEnd(),
      url(onMain('upgrade-monorepo.yaml')).trimEnd(),
      '',
    ].join('\n'),
  );
  backend = await startSuiteBackend('monorepo-template-source-backend', {
    configs: ['app-config.yaml', relative(ROOT, config)],
    env: { GOLDEN_PATH_LOCAL_ROOT: LOCAL_ROOT },
  });
  await waitForBackendReady(backend);
  await waitForTemplates(backend, [GO_MONOREPO, UPGRADE]);
});

after(async () => {
  if (backend) await stopProcess(backend);
  if (forge) await forge.stop();
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
        v1 = await templatesHead();
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
        assert.equal(recorded.name, GO_MONOREPO);
        assert.equal(recorded.version, '1.0.0');
        assert.match(recorded.revision, /^sha256-[0-9a-f]{64}$/);
        assert.deepEqual(recorded.source, {
          url: onMain('go-monorepo'),
          commit: v1,
        });
        assert.ok(!existsSync(join(REPO, 'go-monorepo/.versions')));
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
        const makefile = join(mono, 'Makefile');
        writeFileSync(
          makefile,
          `${readFileSync(
            makefile,
            'utf8',
          )}\nteam-report: ## The team's own target\n\t@echo report\n`,
        );
        await shell.git('add', '-A');
        await shell.git('commit', '-qm', 'team edits');
      },
    );

    test(
      'the platform team pushes a change of the shared files to Gitea; the upgrade renders base at the recorded commit and next at main, keeping the team edit',
      { timeout: 1_200_000 },
      async () => {
        editTemplate('go-monorepo/skeleton/Makefile', s =>
          s.replace('PG_HOST ?= localhost\n', 'PG_HOST ?= 127.0.0.1\n'),
        );
        writeFileSync(
          join(REPO, 'go-monorepo/skeleton/docs/upgrades.md'),
          '# Upgrades\n\nThe shared files follow the Go monorepo template; upgrade them with its upgrade template.\n',
        );
        rmSync(
          join(
            REPO,
            'go-monorepo/skeleton/deploy/prometheus/targets/README.md',
          ),
        );
        editTemplate('go-monorepo/template.yaml', s =>
          s.replace(
            "golden-path.dev/template-version: '1.0.0'",
            "golden-path.dev/template-version: '1.1.0'",
          ),
        );
        await platform.git('add', '-A');
        await platform.git(
          'commit',
          '-qm',
          'go-monorepo 1.1.0: Makefile, docs/upgrades.md, no targets/README.md',
        );
        const v2 = await templatesHead();
        assert.notEqual(v2, v1);
        await pushTemplates();

        const headBefore = await head();
        const t = await timed(
          'monorepo upgrade task (template from Gitea)',
          () => upgrade(),
        );
        writeFileSync(join(OUT, 'upgrade-monorepo-task.log'), t.log);
        assert.equal(t.status, 'completed', t.log);
        assert.equal(await head(), headBefore);
        assert.deepEqual(await shell.gitChanges(), []);
        const branch = (await branches()).find(b =>
          b.startsWith('golden-path/upgrade-monorepo-'),
        );
        assert.ok(branch, `no upgrade branch: ${await branches()}`);
        // Only a base rendered at v1 gives this: README.md (gone at v2) is
        // deleted, the Makefile merged with the team's target.
        const diff = (
          await shell.git('diff', '--name-status', 'main', branch)
        ).stdout
          .trim()
          .split('\n')
          .sort();
        assert.deepEqual(diff, [
          'A\tdocs/upgrades.md',
          'D\tdeploy/prometheus/targets/README.md',
          'M\t.golden-path/values.json',
          'M\tMakefile',
        ]);
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
        assert.equal(upgraded.version, '1.1.0');
        assert.notEqual(upgraded.revision, recorded.revision);
        assert.deepEqual(upgraded.source, {
          url: onMain('go-monorepo'),
          commit: v2,
        });
        await shell.git('merge', '-q', '--ff-only', branch);
      },
    );

    test('a second upgrade is a no-op', { timeout: 300_000 }, async () => {
      const before = { head: await head(), branches: await branches() };
      const t = await timed('second monorepo upgrade task', () => upgrade());
      assert.equal(t.status, 'completed', t.log);
      assert.match(
        t.output.text[0].content,
        new RegExp(
          `is at ${GO_MONOREPO} 1\\.1\\.0 already: nothing to upgrade`,
        ),
      );
      assert.equal(await head(), before.head);
      assert.deepEqual(await branches(), before.branches);
    });
  },
);
