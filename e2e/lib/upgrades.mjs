// What the upgrade suites (upgrade, template-source, forge) share: a copy of
// the Go service template and its upgrade, renamed so that it sits beside the
// real ones and registered through catalog locations; the platform team's
// changes to the copy's skeleton; the service the upgrades start from and the
// team's edits of it; the monorepo's HEAD and branches around a task.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.mjs';
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

/**
 * Copies the repository's Go service template (without its stored versions)
 * and its upgrade template into `root`, renamed to `goService` and `upgrade`.
 */
export function copyServiceTemplates(root, names) {
  cpSync(join(ROOT, 'templates/go-service'), join(root, 'go-service'), {
    recursive: true,
    filter: src => !src.includes('/.versions'),
  });
  cpSync(
    join(ROOT, 'templates/upgrade-service.yaml'),
    join(root, 'upgrade-service.yaml'),
  );
  renameServiceTemplates(root, names);
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
