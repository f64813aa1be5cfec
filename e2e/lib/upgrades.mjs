// What the upgrade suites (upgrade, template-source, monorepo-template-source,
// forge) share: a copy of the Go service (or monorepo) template and its
// upgrade, renamed so that it sits beside the real ones and registered through
// catalog locations, or pushed to a real Gitea; the platform team's changes to
// the copy's skeleton; the service the upgrades start from and the team's
// edits of it; the monorepo's HEAD and branches around a task; an upgrade that
// lands as a branch, and one with nothing to do.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import {
  ROOT,
  RESULTS_DIR,
  startSuiteBackend,
  stopProcess,
  waitForBackendReady,
} from './processes.mjs';
import { waitForTemplates } from './tasks.mjs';
import { monorepoShell } from './monorepoShell.mjs';
import { startForge } from './forge.mjs';
import { localService } from './day2.mjs';

/** The Go service template's skeleton of a service, relative to the templates' root. */
export const SERVICE_SKELETON =
  'go-service/skeleton/services/${{ values.name }}-service';

/** Replaces the file `file` of `root` with `edit(its text)`. */
export function editFile(root, file, edit) {
  const abs = join(root, file);
  writeFileSync(abs, edit(readFileSync(abs, 'utf8')));
}

/** Renames the template of `file` (its metadata.name) from `from` to `to`. */
export function renameTemplate(root, file, from, to) {
  editFile(root, file, s =>
    s.replace(new RegExp(`^  name: ${from}$`, 'm'), `  name: ${to}`),
  );
}

/** Raises the version of the template of `file` from `from` to `to`. */
export function setTemplateVersion(root, file, from, to) {
  editFile(root, file, s =>
    s.replace(
      `golden-path.dev/template-version: '${from}'`,
      `golden-path.dev/template-version: '${to}'`,
    ),
  );
}

/** Renames the Go service and upgrade templates under `root` to `goService` and `upgrade`. */
export function renameServiceTemplates(root, { goService, upgrade }) {
  renameTemplate(root, 'go-service/template.yaml', 'go-service', goService);
  renameTemplate(root, 'upgrade-service.yaml', 'upgrade-service', upgrade);
}

/** Renames the Go monorepo and monorepo upgrade templates under `root` to `goMonorepo` and `upgrade`. */
export function renameMonorepoTemplates(root, { goMonorepo, upgrade }) {
  renameTemplate(root, 'go-monorepo/template.yaml', 'go-monorepo', goMonorepo);
  renameTemplate(root, 'upgrade-monorepo.yaml', 'upgrade-monorepo', upgrade);
}

/**
 * Copies the repository's template directory `dir` (without its stored
 * versions) and its upgrade template `upgradeFile` into `root`.
 */
function copyTemplatePair(root, dir, upgradeFile) {
  cpSync(join(ROOT, 'templates', dir), join(root, dir), {
    recursive: true,
    filter: src => !src.includes('/.versions'),
  });
  cpSync(join(ROOT, 'templates', upgradeFile), join(root, upgradeFile));
}

/**
 * Copies the repository's Go service template (without its stored versions)
 * and its upgrade template into `root`, renamed to `goService` and `upgrade`.
 */
export function copyServiceTemplates(root, names) {
  copyTemplatePair(root, 'go-service', 'upgrade-service.yaml');
  renameServiceTemplates(root, names);
}

/**
 * Copies the repository's Go monorepo template (without its stored versions)
 * and its upgrade template into `root`, renamed to `goMonorepo` and `upgrade`.
 */
export function copyMonorepoTemplates(root, names) {
  copyTemplatePair(root, 'go-monorepo', 'upgrade-monorepo.yaml');
  renameMonorepoTemplates(root, names);
}

/**
 * The catalog's locations as app-config YAML (config arrays replace, so the
 * repository's own come first): catalog-info.yaml and the org, then each
 * template of `targets` as a location of `type` (file or url).
 */
export function catalogLocations(targets, type = 'file') {
  return [
    'catalog:',
    '  locations:',
    '    - type: file',
    '      target: ../../catalog-info.yaml',
    '    - type: file',
    '      target: ../../examples/org.yaml',
    '      rules:',
    '        - allow: [User, Group]',
    ...targets.map(
      target =>
        `    - type: ${type}\n      target: ${target}\n      rules:\n        - allow: [Template]`,
    ),
    '',
  ].join('\n');
}

/**
 * The platform team's change to the Go service skeleton under `root`: a new
 * file (policy.go), an edited one (README.md), a removed one (doc.go), and
 * the version raised from 1.0.0 to 1.1.0.
 */
export function changeServiceSkeleton(root) {
  writeFileSync(
    join(root, SERVICE_SKELETON, 'internal/domain/service/policy.go'),
    '// Package service holds domain services: rules spanning aggregates.\npackage service\n\n// MaxPageSize is the largest page a list RPC returns.\nconst MaxPageSize = 500\n',
  );
  editFile(
    root,
    `${SERVICE_SKELETON}/README.md`,
    s =>
      `${s.trimEnd()}\n\n## Upgrades\n\nThis service follows the Go service template; upgrade it with "Upgrade a Go service to the current golden path".\n`,
  );
  rmSync(join(root, SERVICE_SKELETON, 'internal/domain/service/doc.go'));
  setTemplateVersion(root, 'go-service/template.yaml', '1.0.0', '1.1.0');
}

/**
 * A change of the skeleton under `root` that conflicts with the team's edit
 * of the README's first line: the template's first line changes too, 1.1.0
 * to 1.2.0.
 */
export function conflictingReadmeChange(root) {
  editFile(root, `${SERVICE_SKELETON}/README.md`, s =>
    s.replace(/^.*\n/, '# ${{ values.serviceName }} (Golden Path)\n'),
  );
  setTemplateVersion(root, 'go-service/template.yaml', '1.1.0', '1.2.0');
}

/**
 * The platform team's change to the Go monorepo skeleton under `root`: an
 * edited shared file (the Makefile), a new one (docs/upgrades.md), a removed
 * one (deploy/prometheus/targets/README.md), the version 1.0.0 to 1.1.0.
 */
export function changeMonorepoSkeleton(root) {
  editFile(root, 'go-monorepo/skeleton/Makefile', s =>
    s.replace('PG_HOST ?= localhost\n', 'PG_HOST ?= 127.0.0.1\n'),
  );
  writeFileSync(
    join(root, 'go-monorepo/skeleton/docs/upgrades.md'),
    '# Upgrades\n\nThe shared files follow the Go monorepo template; upgrade them with its upgrade template.\n',
  );
  rmSync(
    join(root, 'go-monorepo/skeleton/deploy/prometheus/targets/README.md'),
  );
  setTemplateVersion(root, 'go-monorepo/template.yaml', '1.0.0', '1.1.0');
}

/** What changeMonorepoSkeleton changes in a monorepo, as branchChanges lists it. */
export const MONOREPO_SKELETON_CHANGES = [
  'A\tdocs/upgrades.md',
  'D\tdeploy/prometheus/targets/README.md',
  'M\t.golden-path/values.json',
  'M\tMakefile',
];

/** The team's edit of the monorepo at `mono` (not committed): a target of its own at the end of the Makefile. */
export function addTeamTarget(mono) {
  editFile(
    mono,
    'Makefile',
    s => `${s}\nteam-report: ## The team's own target\n\t@echo report\n`,
  );
}

/** The go-service values of the ledger service `name` (aggregate Entry) of `monorepo`, published locally. */
export const ledgerService = (monorepo, name) =>
  localService(monorepo, {
    name,
    aggregate: 'Entry',
    grpcPort: 50081,
    fields: [
      { name: 'title', type: 'string' },
      { name: 'amount', type: 'int' },
    ],
  });

/**
 * The team's edits of the ledger service at `svc` (`shell`: the team's shell
 * in its monorepo), committed: the README's first line, and code of its own.
 */
export async function commitLedgerEdits(shell, svc) {
  editFile(svc, 'README.md', s =>
    s.replace(/^.*\n/, '# Ledger service (team ledger)\n'),
  );
  writeFileSync(
    join(svc, 'internal/domain/service/fees.go'),
    "package service\n\n// Fee is the team's own rule.\nfunc Fee(amount int64) int64 { return amount / 100 }\n",
  );
  await shell.git('add', '-A');
  await shell.git('commit', '-qm', 'team edits');
}

/** `git diff --name-status main <branch>` in the monorepo of the team's `shell`: a `<status>\t<path>` line a file, sorted. */
export async function branchChanges(shell, branch) {
  return (await shell.git('diff', '--name-status', 'main', branch)).stdout
    .trim()
    .split('\n')
    .sort();
}

/** What changeServiceSkeleton changes in the service at `dir` of the monorepo, as branchChanges lists it. */
export const skeletonChanges = dir => [
  `A\t${dir}/internal/domain/service/policy.go`,
  `D\t${dir}/internal/domain/service/doc.go`,
  `M\t${dir}/.golden-path/values.json`,
  `M\t${dir}/README.md`,
];

/** `head()` and `branches()` (sorted) of the monorepo of the team's `shell`: what a refused task must leave as it was. */
export function gitRefs(shell) {
  return {
    head: async () => (await shell.git('rev-parse', 'HEAD')).stdout.trim(),
    branches: async () =>
      (await shell.git('branch', '--format=%(refname:short)')).stdout
        .split('\n')
        .filter(Boolean)
        .sort(),
  };
}

/**
 * Runs the upgrade `run` (timed as `label`, its log written to `log`) in the
 * monorepo of the team's `shell`: it completes, HEAD and the working tree are
 * as they were, and the change is a branch named `prefix`…; returns the task
 * and the branch.
 */
export async function upgradeToBranch(
  shell,
  { timed, label, run, log, prefix },
) {
  const { head, branches } = gitRefs(shell);
  const headBefore = await head();
  const t = await timed(label, run);
  writeFileSync(log, t.log);
  assert.equal(t.status, 'completed', t.log);
  assert.equal(await head(), headBefore);
  assert.deepEqual(await shell.gitChanges(), []);
  const branch = (await branches()).find(b => b.startsWith(prefix));
  assert.ok(branch, `no upgrade branch: ${await branches()}`);
  return { t, branch };
}

/**
 * Runs the upgrade `run` (timed as `label`) in the monorepo of the team's
 * `shell` once more: it completes with a summary matching `message`, and
 * leaves HEAD and the branches as they were.
 */
export async function assertNothingToUpgrade(
  shell,
  { timed, label, run, message },
) {
  const { head, branches } = gitRefs(shell);
  const before = { head: await head(), branches: await branches() };
  const t = await timed(label, run);
  assert.equal(t.status, 'completed', t.log);
  assert.match(t.output.text[0].content, message);
  assert.equal(await head(), before.head);
  assert.deepEqual(await branches(), before.branches);
}

/**
 * The templates of the suite `name` on a real Gitea (e2e/lib/forge.mjs), in
 * test-results/<name>/: `repo`, the platform team's working copy (`platform`
 * is git in it), pushed to the organisation's private repository
 * `templates`; `localRoot`, the backend's empty local root (no monorepo
 * another suite published is in its catalog). `onMain(path)` is the Gitea
 * URL of a template path on main, `head()` the working copy's commit,
 * `push()` pushes its main. `start` makes it all and starts the backend;
 * `stop` stops the backend and Gitea.
 */
export function giteaTemplates(name) {
  const out = join(RESULTS_DIR, name);
  const repo = join(out, 'templates');
  const localRoot = join(out, 'local-root');
  const platform = monorepoShell(repo);
  let forge;
  let backend;
  const onMain = path =>
    `${forge.baseUrl}/${forge.org}/templates/src/branch/main/${path}`;
  const push = async () => {
    const url = new URL(`${forge.baseUrl}/${forge.org}/templates.git`);
    url.username = forge.username;
    url.password = forge.token;
    await platform.git('push', '-q', url.href, 'main:main');
  };
  return {
    out,
    repo,
    localRoot,
    platform,
    onMain,
    push,
    get forge() {
      return forge;
    },
    head: async () => (await platform.git('rev-parse', 'HEAD')).stdout.trim(),
    /**
     * Copies `paths` of templates/ as the repository has them committed (not
     * other work in its working tree) into the working copy, renames them
     * with `rename(repo)`, commits them as `message` and pushes them to
     * Gitea; starts the backend with the forge's integration and the
     * catalog's locations replaced (config arrays are) by the repository's
     * own and the `templates` from their Gitea URLs, until the catalog
     * serves the templates `waitFor`.
     */
    async start({ paths, rename, message, templates, waitFor, timed }) {
      rmSync(out, { recursive: true, force: true });
      mkdirSync(repo, { recursive: true });
      mkdirSync(localRoot, { recursive: true });
      const tar = execFileSync(
        'git',
        ['archive', 'HEAD', ...paths.map(p => `templates/${p}`)],
        { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
      );
      execFileSync('tar', ['-x', '--strip-components=1', '-C', repo], {
        input: tar,
      });
      rename(repo);
      await platform.git('init', '-q', '-b', 'main');
      await platform.git('add', '-A');
      await platform.git('commit', '-qm', message);
      forge = await timed('Gitea: build or cache, start, admin and token', () =>
        startForge({ name }),
      );
      const created = await forge.api('POST', `/orgs/${forge.org}/repos`, {
        name: 'templates',
        private: true,
        default_branch: 'main',
      });
      assert.equal(created.status, 201, created.text);
      await timed('push the templates to Gitea', push);
      const config = join(out, `app-config.${name}.yaml`);
      writeFileSync(
        config,
        `${forge.appConfig().trimEnd()}\n${catalogLocations(
          templates.map(onMain),
          'url',
        )}`,
      );
      backend = await startSuiteBackend(`${name}-backend`, {
        configs: ['app-config.yaml', relative(ROOT, config)],
        env: { GOLDEN_PATH_LOCAL_ROOT: localRoot },
      });
      await waitForBackendReady(backend);
      await waitForTemplates(backend, waitFor);
      return backend;
    },
    /**
     * Asserts that the templateVersion `recorded` is `name` `version` at a
     * skeleton revision, read from the template directory `dir` on Gitea at
     * `commit`, and that nothing was stored beside the working copy's
     * template (Gitea's templates are not a local store).
     */
    assertRecorded(recorded, { name: template, version, dir, commit }) {
      assert.equal(recorded.name, template);
      assert.equal(recorded.version, version);
      assert.match(recorded.revision, /^sha256-[0-9a-f]{64}$/);
      assert.deepEqual(recorded.source, { url: onMain(dir), commit });
      assert.ok(!existsSync(join(repo, dir, '.versions')));
    },
    /** Asserts that the templateVersion `upgraded` is `version` at another revision than `recorded`, read from `dir` at `commit`. */
    assertUpgraded(upgraded, recorded, { version, dir, commit }) {
      assert.equal(upgraded.version, version);
      assert.notEqual(upgraded.revision, recorded.revision);
      assert.deepEqual(upgraded.source, { url: onMain(dir), commit });
    },
    async stop() {
      if (backend) await stopProcess(backend);
      if (forge) await forge.stop();
    },
  };
}
