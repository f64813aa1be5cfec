import { isBuiltOnTarget, isMatchedByDotDotDot } from './buildConstraints';
import {
  goModMinor,
  summarizeGoFile,
} from '@golden-path/plugin-golden-path-common';
import type {
  DependencyRuleInsight,
  GoMod,
  GoFileSummary,
  GoImport,
  DependencyViolation,
  GoLayer,
  GoLayerSummary,
  GoPackageInsight,
  InsightProblem,
  LayersInsight,
} from '@golden-path/plugin-golden-path-common';
import { compareStrings, normalizeServiceDir, SourceTree } from '../sourceTree';
import { goModRequirement, isDirectoryPath } from './goMod';
import {
  findServiceModules,
  importPathIn,
  moduleOfDir,
  moduleOfImport,
  ServiceModules,
} from './goModules';
import {
  describeRecognisedLayout,
  followsGoldenPathLayout,
  GOLDEN_PATH_LAYER_DIRS,
  recogniseGoPackage,
  serviceFolders,
} from './layout';
import {
  describeRules,
  importAllowed,
  readServiceDependencyRule,
  ruleAppliesTo,
} from './dependencyRule';

/** The module of Uber's Fx, the golden path's dependency injection. */
const FX_MODULE = 'go.uber.org/fx';

/** The layers in the order the report lists them. */
export const GO_LAYERS: GoLayer[] = [
  'domain',
  'application',
  'adapter',
  'infrastructure',
  'cmd',
  'other',
];

/** Sub-layers of the seed's layout, by layer (two-segment ones first). */
const SUBLAYERS: Record<string, string[]> = {
  domain: ['entity', 'valueobject', 'repository', 'event', 'service'],
  application: [
    'port/input',
    'port/output',
    'usecase',
    'dto',
    'service',
    'port',
  ],
  adapter: [
    'inbound/grpc',
    'inbound/consumer',
    'inbound/http',
    'outbound/persistence',
    'outbound/external',
    'outbound/grpcclient',
    'outbound/publisher',
    'inbound',
    'outbound',
  ],
  infrastructure: [
    'config',
    'server',
    'fx',
    'database',
    'messaging',
    'observability',
  ],
};

/**
 * Classifies a package directory (relative to the service directory) into a
 * layer and sub-layer of the seed's layout.
 */
export function classifyGoPackage(dir: string): {
  layer: GoLayer;
  sublayer?: string;
} {
  const parts = dir.split('/').filter(Boolean);
  if (parts[0] === 'cmd') return { layer: 'cmd' };
  if (parts[0] !== 'internal' || parts.length < 2) {
    if (parts[0] === 'sqlcgen' || parts.includes('gen'))
      return { layer: 'other', sublayer: 'generated' };
    return { layer: 'other' };
  }
  const layer = parts[1];
  if (!['domain', 'application', 'adapter', 'infrastructure'].includes(layer)) {
    return { layer: 'other', sublayer: parts[1] };
  }
  const rest = parts.slice(2).join('/');
  const sub = SUBLAYERS[layer].find(
    s => rest === s || rest.startsWith(`${s}/`),
  );
  return { layer: layer as GoLayer, sublayer: sub ?? (parts[2] || undefined) };
}

interface Rule {
  from: GoLayer;
  to: GoLayer;
  /** Sub-layers of `to` the rule does not cover. */
  except?: string[];
  severity: InsightProblem['severity'];
}

/**
 * The dependency rule of the seed's hexagonal layout: dependencies point
 * inwards. Domain depends on nothing of the service; application on domain
 * only; adapters on application and domain (and the configuration types);
 * infrastructure and cmd wire everything.
 */
export const DEPENDENCY_RULES: Rule[] = [
  { from: 'domain', to: 'application', severity: 'error' },
  { from: 'domain', to: 'adapter', severity: 'error' },
  { from: 'domain', to: 'infrastructure', severity: 'error' },
  { from: 'domain', to: 'cmd', severity: 'error' },
  { from: 'application', to: 'adapter', severity: 'error' },
  { from: 'application', to: 'infrastructure', severity: 'error' },
  { from: 'application', to: 'cmd', severity: 'error' },
  {
    from: 'adapter',
    to: 'infrastructure',
    except: ['config'],
    severity: 'error',
  },
  { from: 'adapter', to: 'cmd', severity: 'error' },
];

/**
 * Imports the domain should never need (persistence, transport, DI). The
 * default rule: the same lists as the Go service template's .golangci.yml.
 */
export const DOMAIN_FORBIDDEN_EXTERNAL = [
  'database/sql',
  'net/http',
  'github.com/jackc/pgx',
  'github.com/lib/pq',
  'google.golang.org/grpc',
  'google.golang.org/protobuf',
  'go.uber.org/fx',
  'github.com/rabbitmq/amqp091-go',
  'github.com/redis/go-redis',
];

/** Imports the application layer should never need (persistence, transport). */
export const APPLICATION_FORBIDDEN_EXTERNAL = [
  'database/sql',
  'github.com/jackc/pgx',
  'github.com/lib/pq',
  'google.golang.org/grpc',
];

/**
 * Modules the service's go.mod replaces with a directory (the monorepo's
 * pkg/): their `proto` packages are generated code of the monorepo.
 */
function locallyReplacedModules(goMod: GoMod): string[] {
  return goMod.replaces.filter(r => isDirectoryPath(r.target)).map(r => r.path);
}

/** The default rule (no .golangci.yml) as the insight shows it. */
function defaultRuleInsight(
  serviceImportPath: string | undefined,
  protoModules: string[],
): DependencyRuleInsight {
  const own = (layer: string) =>
    serviceImportPath ? `${serviceImportPath}/${layer}` : layer;
  const protos = protoModules.map(m => `${m}/proto`);
  return {
    source: 'default',
    rules: [
      {
        name: 'domain',
        files: ['**/internal/domain/**', '!$test'],
        deny: [
          ...['internal/application', 'internal/adapter', 'internal/infrastructure', 'cmd', 'sqlcgen'].map(own),
          ...protos,
          ...DOMAIN_FORBIDDEN_EXTERNAL,
        ],
        allow: [],
      },
      {
        name: 'application',
        files: ['**/internal/application/**', '!$test'],
        deny: [
          ...['internal/adapter', 'internal/infrastructure', 'cmd', 'sqlcgen'].map(own),
          ...protos,
          ...APPLICATION_FORBIDDEN_EXTERNAL,
        ],
        allow: [],
      },
      {
        name: 'adapter',
        files: ['**/internal/adapter/**', '!$test'],
        deny: ['internal/infrastructure', 'cmd'].map(own),
        allow: [own('internal/infrastructure/config')],
      },
    ],
  }; // prettier-ignore
}

/** Options of {@link analyzeGoLayers}. */
export interface AnalyzeGoLayersOptions {
  /** Directory of the service inside the tree ('' for the root). */
  serviceDir: string;
  /** The Go files' summaries, by path, when already made ({@link summarizeServiceGoFiles}). */
  summaries?: ReadonlyMap<string, GoFileSummary>;
}

/**
 * The paths of the service's Go files built on linux/amd64 without extra
 * tags in the packages `go list ./...` finds, in the tree's order.
 */
function serviceGoFiles(tree: SourceTree, serviceDir: string): string[] {
  const prefix = serviceDir ? `${serviceDir}/` : '';
  const found = findServiceModules(tree, serviceDir);
  // packages of modules below the service that are not its are not its packages
  const others = found.others.map(m => m.dir);
  // One go command builds them (a go.work's modules too): at least the newest Go a go.mod names.
  const goMinor = Math.max(
    0,
    ...[found.owner, ...found.modules].map(m => (m ? goModMinor(m.goMod) : 0)),
  );
  return [...tree.files.entries()]
    .filter(
      ([p, content]) =>
        p.endsWith('.go') &&
        p.startsWith(prefix) &&
        !others.some(d => p.startsWith(`${d}/`)) &&
        isMatchedByDotDotDot(serviceDir, p) &&
        isBuiltOnTarget(p, goFileHeader(content), goMinor),
    )
    .map(([p]) => p);
}

/** The start of a Go file, where its build constraint must be (after the license comment). */
function goFileHeader(content: Buffer): string {
  return content.toString('utf8', 0, Math.min(content.length, 16 * 1024));
}

/**
 * Summarises the service's Go files (the tokenizing, most of the layer
 * analysis's time) a few at a time, giving the event loop back every
 * `sliceMs`, so a large service does not hold up other requests.
 */
export async function summarizeServiceGoFiles(
  tree: SourceTree,
  serviceDir: string,
  sliceMs = 5,
): Promise<Map<string, GoFileSummary>> {
  const dir = normalizeServiceDir(serviceDir);
  const summaries = new Map<string, GoFileSummary>();
  let sliceStart = performance.now();
  for (const path of serviceGoFiles(tree, dir)) {
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise<void>(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
    summaries.set(
      path,
      summarizeGoFile(tree.files.get(path)!.toString('utf8')),
    );
  }
  return summaries;
}

interface PackageBuild {
  info: GoPackageInsight;
  fileSummaries: Array<{ path: string; summary: GoFileSummary; test: boolean }>;
}

/** The problem `code` at the import `imp` in file `path`. */
function importProblem(
  severity: InsightProblem['severity'],
  code: string,
  message: string,
  path: string,
  imp: GoImport,
): InsightProblem {
  return { severity, code, message, path, line: imp.line, column: imp.column };
}

/** The violation of `rule` by the import `imp`, in file `path`, of package `from` into the `to` layer. */
function importViolation(
  from: GoPackageInsight,
  path: string,
  imp: GoImport,
  to: { layer: GoLayer; sublayer?: string },
  rule: string,
): DependencyViolation {
  return {
    path,
    line: imp.line,
    column: imp.column,
    fromPackage: from.importPath,
    fromLayer: from.layer,
    fromSublayer: from.sublayer,
    toPackage: imp.path,
    toLayer: to.layer,
    toSublayer: to.sublayer,
    rule,
  };
}

/** Whether every file of a package (tests aside) is marked as generated. */
function isGeneratedPackage(p: PackageBuild): boolean {
  const nonTest = p.fileSummaries.filter(f => !f.test);
  return nonTest.length > 0 && nonTest.every(f => f.summary.generated);
}

/**
 * What generated package `rel` (relative to the service) is, and the adapter
 * that should be its only user: protoc's output (`*.pb.go`) the gRPC
 * adapter's, sqlc's (the `sqlcgen` folder, `*.sql.go` queries) the
 * persistence adapter's, anything else (a client, a mock) an adapter's.
 */
function generatedCodeOwner(
  target: PackageBuild | undefined,
  rel: string,
): string {
  const names = (target?.fileSummaries ?? [])
    .filter(f => !f.test)
    .map(f => f.path.slice(f.path.lastIndexOf('/') + 1));
  if (names.length > 0 && names.every(n => n.endsWith('.pb.go')))
    return `generated proto code (${rel}); only the gRPC adapter should use it`;
  if (rel.split('/')[0] === 'sqlcgen' || names.some(n => n.endsWith('.sql.go')))
    return `generated database code (${rel}); only the persistence adapter should use it`;
  return `generated code (${rel}); only an adapter should use it`;
}

/** The import path of the package in `dir` (relative to the source root), by the module holding it. */
function packageImportPath(
  modules: ServiceModules['modules'],
  dir: string,
): string | undefined {
  const m = moduleOfDir(modules, dir);
  return m && importPathIn(m, dir);
}

/**
 * The directory (relative to the service) of the package an import path
 * names, when it is a package of the service's modules; undefined for
 * anything else, the modules below the service that are not its included.
 */
function relativeToService(
  found: ServiceModules,
  serviceDir: string,
  importPath: string,
): string | undefined {
  const m = moduleOfImport([...found.modules, ...found.others], importPath);
  if (!m || found.others.includes(m)) return undefined;
  const dir = [m.dir, importPath.slice(m.path!.length + 1)]
    .filter(Boolean)
    .join('/');
  if (serviceDir && dir !== serviceDir && !dir.startsWith(`${serviceDir}/`))
    return undefined; // the module's, outside the service directory
  return dir.slice(serviceDir.length).replace(/^\//, '');
}

/** What the service's module layout means for the analysis, one finding each. */
function moduleFindings(
  found: ServiceModules,
  serviceDir: string,
): InsightProblem[] {
  const out: InsightProblem[] = [];
  const rel = (dir: string) => dir.slice(serviceDir.length).replace(/^\//, '');
  const list = (ms: ServiceModules['modules']) =>
    ms.map(m => `${rel(m.dir)} (${m.path})`).join(', ');
  if (!found.owner && found.modules.length > 0) {
    out.push({
      severity: 'info',
      code: 'gomod-workspace',
      message: `the service directory is a Go workspace (${
        found.workFile
      }) of the modules ${list(
        found.modules,
      )}; each package is resolved in its own module`,
    });
  } else if (!found.owner) {
    out.push({
      severity: 'warning',
      code: 'gomod-missing',
      message: found.others.length
        ? `no go.mod at or above the service directory, which holds the modules ${list(
            found.others,
          )}: point the entity's service directory at one of them, or list them in a go.work`
        : 'no go.mod found at or above the service directory; imports cannot be resolved to packages of the service',
    });
    return out;
  }
  if (found.modules.length > 0 && found.others.length > 0) {
    out.push({
      severity: 'info',
      code: 'gomod-nested',
      message: `${list(found.others)} ${
        found.others.length > 1 ? 'are other modules' : 'is another module'
      } (own go.mod, used by no go.work), left out of this service's packages as go list ./... leaves ${
        found.others.length > 1 ? 'them' : 'it'
      } out`,
      path: `${found.others[0].dir}/go.mod`,
    });
  }
  return out;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/**
 * Analyses the Go packages of a service: classifies them into the layers of
 * the seed, counts files and lines, reads imports and reports imports that
 * break the dependency rule (with file and line), plus layout findings
 * (missing layers, constructors without a `di.go`, unreadable files).
 */
export function analyzeGoLayers(
  tree: SourceTree,
  options: AnalyzeGoLayersOptions,
): LayersInsight {
  const serviceDir = normalizeServiceDir(options.serviceDir);
  const prefix = serviceDir ? `${serviceDir}/` : '';
  const problems: InsightProblem[] = [];

  // the module of the service directory, and the modules below it (go.mod, go.work)
  const found = findServiceModules(tree, serviceDir);
  problems.push(...found.problems);
  const modulePath = found.owner?.path;
  const serviceImportPath = found.owner
    ? importPathIn(found.owner, serviceDir)
    : undefined;
  const protoModules = found.modules.flatMap(m =>
    locallyReplacedModules(m.goMod),
  );
  const requiresFx = found.modules.some(
    m => goModRequirement(m.goMod, FX_MODULE) === 'direct',
  );
  problems.push(...moduleFindings(found, serviceDir));

  // the rule: the service's golangci-lint config (depguard), else the default
  const ruleRead = readServiceDependencyRule(tree, serviceDir);
  problems.push(...ruleRead.problems);
  const serviceRule = ruleRead.rule;
  const dependencyRule: DependencyRuleInsight = serviceRule
    ? {
        source: 'service',
        path: serviceRule.path,
        rules: describeRules(serviceRule.lists),
      }
    : defaultRuleInsight(serviceImportPath, protoModules);

  const packages = new Map<string, PackageBuild>();
  for (const path of serviceGoFiles(tree, serviceDir)) {
    const rel = path.slice(prefix.length);
    const dir = dirname(rel);
    const test = rel.endsWith('_test.go');
    const summary =
      options.summaries?.get(path) ??
      summarizeGoFile(tree.files.get(path)!.toString('utf8'));
    if (summary.error) {
      problems.push({
        severity: 'warning',
        code: 'go-unreadable',
        message: `cannot read the Go file header: ${summary.error.message}`,
        path,
        line: summary.error.line,
        column: summary.error.column,
      });
    }
    let pkg = packages.get(dir);
    if (!pkg) {
      const { layer, sublayer } = classifyGoPackage(dir);
      pkg = {
        info: {
          dir,
          importPath:
            packageImportPath(found.modules, dir ? prefix + dir : serviceDir) ??
            dir,
          name: '',
          layer,
          sublayer,
          files: 0,
          testFiles: 0,
          lines: 0,
          hasDi: false,
          internalImports: [],
          externalImports: [],
        },
        fileSummaries: [],
      };
      packages.set(dir, pkg);
    }
    pkg.fileSummaries.push({ path, summary, test });
    if (test) {
      pkg.info.testFiles++;
    } else {
      pkg.info.files++;
      pkg.info.lines += summary.lines;
      if (!pkg.info.name && summary.packageName)
        pkg.info.name = summary.packageName;
      if (rel.split('/').pop() === 'di.go') pkg.info.hasDi = true;
    }
  }

  // a package of test files only: go list names it after its first one, an
  // external test package (`x_test`) without the suffix
  for (const p of packages.values()) {
    if (p.info.name) continue;
    const first = p.fileSummaries
      .filter(f => f.summary.packageName)
      .sort((a, b) => compareStrings(a.path, b.path))[0];
    if (first) p.info.name = first.summary.packageName!.replace(/_test$/, '');
  }

  // packages outside the golden-path folders: generated by their files' marker
  // (as the gen/ and sqlcgen/ folders), else by their folder names and `package main`
  // the service's tops: its directory, and the modules of a workspace in it
  const folders = serviceFolders(packages.keys(), [
    '',
    ...found.modules
      .map(m => m.dir)
      .filter(d => serviceDir === '' || d.startsWith(prefix))
      .map(d => d.slice(prefix.length)),
  ]);
  for (const p of packages.values()) {
    if (p.info.layer !== 'other' || p.info.sublayer === 'generated') continue;
    if (isGeneratedPackage(p)) {
      p.info.sublayer = 'generated';
      continue;
    }
    // tests alone make no entry point, whatever their package
    const recognised = recogniseGoPackage(
      p.info.dir,
      p.info.files ? p.info.name : '',
      folders,
    );
    if (recognised) {
      p.info.layer = recognised.layer;
      p.info.sublayer = recognised.sublayer;
    }
  }
  const follows = followsGoldenPathLayout(
    [...packages.values()].map(p => p.info),
  );

  const byImportPath = new Map<string, PackageBuild>();
  for (const p of packages.values()) byImportPath.set(p.info.importPath, p);

  const violations: DependencyViolation[] = [];
  for (const pkg of packages.values()) {
    const internal = new Set<string>();
    const external = new Set<string>();
    for (const { path, summary, test } of pkg.fileSummaries) {
      // the rules covering this file (which depends on the file, not the import)
      const lists =
        summary.imports.length > 0 && !summary.generated
          ? (serviceRule?.lists ?? []).filter(l => ruleAppliesTo(l, path))
          : [];
      for (const imp of summary.imports) {
        // the service's when in one of its modules (not in another below it)
        const rel = relativeToService(found, serviceDir, imp.path);
        const isInternal = rel !== undefined;
        if (!test) (isInternal ? internal : external).add(imp.path);
        const target = isInternal ? byImportPath.get(imp.path) : undefined;
        let to: { layer: GoLayer; sublayer?: string } = { layer: 'other' };
        if (target)
          to = { layer: target.info.layer, sublayer: target.info.sublayer };
        else if (rel !== undefined) to = classifyGoPackage(rel);
        const violated = (rule: string) =>
          violations.push(importViolation(pkg.info, path, imp, to, rule));
        for (const list of lists) {
          const verdict = importAllowed(list, imp.path);
          if (verdict.allowed) continue;
          violated(
            `rule ${list.name} of ${serviceRule!.path}${
              verdict.description ? `: ${verdict.description}` : ''
            }`,
          );
        }
        // the default rule lets tests wire anything; generated files are
        // their generator's, and golangci-lint reports nothing in them either
        if (test || summary.generated) continue;
        if (isInternal) {
          const rule = serviceRule
            ? undefined
            : DEPENDENCY_RULES.find(
                r =>
                  r.from === pkg.info.layer &&
                  r.to === to.layer &&
                  !(r.except ?? []).includes(to.sublayer ?? ''),
              );
          if (rule) {
            violated(
              `${rule.from} must not import ${rule.to}${
                to.sublayer ? ` (${to.layer}/${to.sublayer})` : ''
              }`,
            );
          } else if (
            follows &&
            pkg.info.layer === 'adapter' &&
            to.layer === 'adapter' &&
            pkg.info.sublayer &&
            to.sublayer &&
            pkg.info.sublayer.split('/')[0] !== to.sublayer.split('/')[0]
          ) {
            problems.push(
              importProblem(
                'warning',
                'adapter-cross-import',
                `${pkg.info.sublayer} adapter imports the ${to.sublayer} adapter; adapters should meet through application ports`,
                path,
                imp,
              ),
            );
          } else if (
            !serviceRule &&
            (pkg.info.layer === 'domain' || pkg.info.layer === 'application') &&
            to.sublayer === 'generated'
          ) {
            problems.push(
              importProblem(
                'error',
                'generated-code-import',
                `${pkg.info.layer} imports ${generatedCodeOwner(target, rel!)}`,
                path,
                imp,
              ),
            );
          }
        } else if (
          !serviceRule &&
          // another layout's "application" folders may hold its adapters (usecase/repo)
          (pkg.info.layer === 'domain' ||
            (pkg.info.layer === 'application' && follows))
        ) {
          const proto = protoModules.find(
            m =>
              imp.path === `${m}/proto` || imp.path.startsWith(`${m}/proto/`),
          );
          const lib = (
            pkg.info.layer === 'domain'
              ? DOMAIN_FORBIDDEN_EXTERNAL
              : APPLICATION_FORBIDDEN_EXTERNAL
          ).find(l => imp.path === l || imp.path.startsWith(`${l}/`));
          if (proto) {
            problems.push(
              importProblem(
                'error',
                'generated-code-import',
                `${pkg.info.layer} imports generated proto code (${imp.path}); only the gRPC adapter should use it`,
                path,
                imp,
              ),
            );
          } else if (lib) {
            problems.push(
              importProblem(
                'warning',
                `${pkg.info.layer}-external-dependency`,
                `${pkg.info.layer} imports ${imp.path}; keep ${
                  pkg.info.layer === 'domain'
                    ? 'persistence, transport and wiring'
                    : 'persistence and transport'
                } out of the ${pkg.info.layer}`,
                path,
                imp,
              ),
            );
          }
        }
      }
    }
    pkg.info.internalImports = [...internal].sort();
    pkg.info.externalImports = [...external].sort();
  }

  // Fx wiring is the golden path's; a service built without Fx is not judged by it
  const usesFx =
    requiresFx ||
    [...packages.values()].some(p =>
      p.fileSummaries.some(f =>
        f.summary.imports.some(
          i => i.path === FX_MODULE || i.path.startsWith(`${FX_MODULE}/`),
        ),
      ),
    );
  problems.push(
    ...layoutFindings([...packages.values()], prefix, follows, usesFx),
  );

  const infos = [...packages.values()]
    .map(p => p.info)
    .sort((a, b) => compareStrings(a.dir, b.dir));
  const layers: GoLayerSummary[] = GO_LAYERS.map(layer => {
    const inLayer = infos.filter(p => p.layer === layer);
    const subs = new Map<
      string,
      { name: string; packages: number; files: number; lines: number }
    >();
    for (const p of inLayer) {
      if (!p.sublayer) continue;
      const s = subs.get(p.sublayer) ?? {
        name: p.sublayer,
        packages: 0,
        files: 0,
        lines: 0,
      };
      s.packages++;
      s.files += p.files;
      s.lines += p.lines;
      subs.set(p.sublayer, s);
    }
    return {
      layer,
      packages: inLayer.length,
      files: inLayer.reduce((n, p) => n + p.files, 0),
      lines: inLayer.reduce((n, p) => n + p.lines, 0),
      sublayers: [...subs.values()].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    };
  });
  violations.sort((a, b) => compareStrings(a.path, b.path) || a.line - b.line);

  return {
    modulePath,
    serviceImportPath,
    layers,
    packages: infos,
    violations,
    problems,
    followsGoldenPath: follows,
    dependencyRule,
    totals: {
      packages: infos.length,
      files: infos.reduce((n, p) => n + p.files, 0),
      testFiles: infos.reduce((n, p) => n + p.testFiles, 0),
      lines: infos.reduce((n, p) => n + p.lines, 0),
    },
  };
}

/** Parts of the seed's layout every service is expected to have. */
const EXPECTED_PARTS: Array<{
  layer: GoLayer;
  sublayer?: string;
  severity: InsightProblem['severity'];
  hint: string;
  /** Expected of services that use Fx only. */
  fx?: boolean;
}> = [
  {
    layer: 'domain',
    severity: 'warning',
    hint: 'internal/domain (entities, value objects, repository interfaces)',
  },
  {
    layer: 'application',
    severity: 'warning',
    hint: 'internal/application (use cases, services, ports, DTOs)',
  },
  {
    layer: 'adapter',
    severity: 'warning',
    hint: 'internal/adapter (gRPC handlers, persistence)',
  },
  {
    layer: 'infrastructure',
    severity: 'warning',
    hint: 'internal/infrastructure (config, server, fx)',
  },
  { layer: 'cmd', severity: 'warning', hint: 'cmd/main.go (the entry point)' },
  {
    layer: 'domain',
    sublayer: 'entity',
    severity: 'info',
    hint: 'internal/domain/entity',
  },
  {
    layer: 'domain',
    sublayer: 'repository',
    severity: 'info',
    hint: 'internal/domain/repository (repository interfaces)',
  },
  {
    layer: 'application',
    sublayer: 'port/output',
    severity: 'info',
    hint: 'internal/application/port/output (output ports incl. TxManager)',
  },
  {
    layer: 'adapter',
    sublayer: 'inbound/grpc',
    severity: 'info',
    hint: 'internal/adapter/inbound/grpc (gRPC handlers)',
  },
  {
    layer: 'adapter',
    sublayer: 'outbound/persistence',
    severity: 'info',
    hint: 'internal/adapter/outbound/persistence (repository implementations)',
  },
  {
    layer: 'infrastructure',
    sublayer: 'fx',
    severity: 'info',
    hint: 'internal/infrastructure/fx (the root Fx module)',
    fx: true,
  },
  {
    layer: 'infrastructure',
    sublayer: 'config',
    severity: 'info',
    hint: 'internal/infrastructure/config',
  },
];

/** Layers whose packages provide constructors to Fx through a per-package di.go. */
const DI_LAYERS: GoLayer[] = ['application', 'adapter'];

/**
 * Layout findings. A service of another layout gets one summary of what was
 * recognised and nothing it was never asked to have; a service of the golden
 * path's gets each missing part and, when it uses Fx, each Fx wiring gap (a
 * service without Fx gets one note that its wiring was not checked).
 */
function layoutFindings(
  packages: PackageBuild[],
  prefix: string,
  follows: boolean,
  usesFx: boolean,
): InsightProblem[] {
  const findings: InsightProblem[] = [];
  if (packages.length === 0) {
    findings.push({
      severity: 'error',
      code: 'layout-no-go',
      message: 'no Go packages found in the service directory',
    });
    return findings;
  }
  if (!follows) {
    const recognised = describeRecognisedLayout(packages.map(p => p.info));
    findings.push({
      severity: 'info',
      code: 'layout-foreign',
      message: `this service does not follow the golden-path layout (${GOLDEN_PATH_LAYER_DIRS.join(
        ', ',
      )}, cmd/); recognised: ${
        recognised.length ? recognised.join('; ') : 'no layers'
      }. The dependency rule is checked between the layers recognised; the golden path's parts are not expected.`,
      path: prefix ? prefix.slice(0, -1) : undefined,
    });
    return findings;
  }
  if (!usesFx) {
    findings.push({
      severity: 'info',
      code: 'layout-no-fx',
      message: `the service does not use Fx (${FX_MODULE} is neither required by go.mod nor imported); the golden path's Fx wiring (a di.go with Module() per package, internal/infrastructure/fx) is not checked`,
    });
  }
  for (const part of EXPECTED_PARTS) {
    if (!usesFx && part.fx) continue;
    const present = packages.some(
      p =>
        p.info.layer === part.layer &&
        (!part.sublayer ||
          p.info.sublayer === part.sublayer ||
          p.info.sublayer?.startsWith(`${part.sublayer}/`)),
    );
    if (!present) {
      findings.push({
        severity: part.severity,
        code: part.sublayer
          ? 'layout-missing-sublayer'
          : 'layout-missing-layer',
        message: `missing ${part.hint}`,
      });
    }
  }
  if (!usesFx) return findings;
  for (const p of packages) {
    const nonTest = p.fileSummaries.filter(f => !f.test);
    // generated constructors (gRPC clients, mocks) are not the package's to wire
    const funcs = nonTest
      .filter(f => !f.summary.generated)
      .flatMap(f => f.summary.functions);
    const constructors = funcs.filter(
      f => /^[Nn]ew[A-Z_]?/.test(f) && f.length > 3,
    );
    if (
      DI_LAYERS.includes(p.info.layer) &&
      p.info.sublayer !== 'dto' &&
      !p.info.sublayer?.startsWith('port') &&
      constructors.length > 0 &&
      !p.info.hasDi
    ) {
      findings.push({
        severity: 'warning',
        code: 'layout-missing-di',
        message: `package ${p.info.dir} has constructors (${constructors
          .slice(0, 3)
          .join(', ')}${
          constructors.length > 3 ? ', …' : ''
        }) but no di.go with Module()`,
        path: `${prefix}${p.info.dir}`,
      });
    }
    if (p.info.hasDi) {
      const di = nonTest.find(f => f.path.split('/').pop() === 'di.go');
      if (di && !di.summary.functions.includes('Module')) {
        findings.push({
          severity: 'warning',
          code: 'layout-di-without-module',
          message: 'di.go declares no func Module() fx.Option',
          path: di.path,
        });
      }
    }
    if (p.info.layer === 'domain' && p.info.hasDi) {
      findings.push({
        severity: 'warning',
        code: 'layout-domain-di',
        message:
          'the domain layer should not be wired with Fx (di.go in a domain package)',
        path: `${prefix}${p.info.dir}`,
      });
    }
  }
  return findings;
}
