import {
  parseGoMod,
  parseGoWorkUses,
  type GoMod,
  type InsightProblem,
} from '@golden-path/plugin-golden-path-common';
import type { SourceTree } from '../sourceTree';

/*
 * Module boundaries as the go command draws them: a directory with its own
 * go.mod is another module, whose packages `go list ./...` leaves out of the
 * module around it, unless a go.work at or above the service uses both
 * (workspace mode: every used module is a main module).
 */

/** A Go module of the source tree. */
export interface GoModule {
  /** Its directory, relative to the source root ('' for the root). */
  dir: string;
  /** The `module` path; undefined when its go.mod has none. */
  path?: string;
  goMod: GoMod;
}

/** The modules a service's packages belong to, and those inside it that are others'. */
export interface ServiceModules {
  /** The module holding the service directory: the nearest go.mod at or above it. */
  owner?: GoModule;
  /** The modules whose packages are the service's: the owner, and the modules below it a go.work uses. */
  modules: GoModule[];
  /** Modules below the service directory that are not the service's (no go.work uses them). */
  others: GoModule[];
  /** The go.work in effect (the nearest at or above the service), when there is one. */
  workFile?: string;
  problems: InsightProblem[];
}

const goModPath = (dir: string) => (dir ? `${dir}/go.mod` : 'go.mod');

/** `dir` joined with a relative path (`./a`, `../b`); undefined for an absolute one or one leaving the root. */
function joinDir(dir: string, rel: string): string | undefined {
  if (/^(?:[/\\]|[A-Za-z]:)/.test(rel)) return undefined;
  const parts = dir ? dir.split('/') : [];
  for (const p of rel.split(/[/\\]/)) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

/** Whether `path` is `dir` or below it (directories relative to the source root). */
export function isInDir(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** The module of `modules` whose directory holds `dir` most closely. */
export function moduleOfDir(
  modules: GoModule[],
  dir: string,
): GoModule | undefined {
  let best: GoModule | undefined;
  for (const m of modules)
    if (isInDir(dir, m.dir) && (!best || m.dir.length > best.dir.length))
      best = m;
  return best;
}

/** The module of `modules` an import path belongs to: the longest module path it starts with. */
export function moduleOfImport(
  modules: GoModule[],
  importPath: string,
): GoModule | undefined {
  let best: GoModule | undefined;
  for (const m of modules) {
    if (!m.path) continue;
    if (importPath !== m.path && !importPath.startsWith(`${m.path}/`)) continue;
    if (!best || m.path.length > best.path!.length) best = m;
  }
  return best;
}

/** The import path of the package in `dir` (relative to the source root) of module `m`. */
export function importPathIn(m: GoModule, dir: string): string | undefined {
  if (!m.path) return undefined;
  const rest = dir.slice(m.dir.length).replace(/^\//, '');
  return rest ? `${m.path}/${rest}` : m.path;
}

/**
 * Finds the module of the service directory, the modules below it and the
 * go.work in effect, with a finding for each go.mod that names no module.
 */
export function findServiceModules(
  tree: SourceTree,
  serviceDir: string,
): ServiceModules {
  const problems: InsightProblem[] = [];
  const read = (dir: string): GoModule | undefined => {
    const content = tree.files.get(goModPath(dir));
    if (!content) return undefined;
    const goMod = parseGoMod(content.toString('utf8'));
    if (!goMod.module)
      problems.push({
        severity: 'error',
        code: 'gomod-invalid',
        message: 'go.mod has no module directive; add `module <path>`',
        path: goModPath(dir),
      });
    return { dir, path: goMod.module, goMod };
  };

  const parts = serviceDir ? serviceDir.split('/') : [];
  let owner: GoModule | undefined;
  let workFile: string | undefined;
  for (let i = parts.length; i >= 0; i--) {
    const dir = parts.slice(0, i).join('/');
    owner ??= read(dir);
    const work = dir ? `${dir}/go.work` : 'go.work';
    if (!workFile && tree.files.has(work)) workFile = work;
  }

  const below = [...tree.files.keys()]
    .filter(p => p.endsWith('/go.mod') && p !== goModPath(serviceDir))
    .map(p => p.slice(0, -'/go.mod'.length))
    .filter(d => isInDir(d, serviceDir) && d !== serviceDir)
    .sort();
  let used: Set<string> | undefined;
  if (workFile) {
    const workDir = workFile.slice(0, -'go.work'.length).replace(/\/$/, '');
    used = new Set(
      parseGoWorkUses(tree.files.get(workFile)!.toString('utf8'))
        .map(u => joinDir(workDir, u))
        .filter((d): d is string => d !== undefined),
    );
  }
  const modules: GoModule[] = owner?.path ? [owner] : [];
  const others: GoModule[] = [];
  for (const dir of below) {
    const m = read(dir)!;
    if (!m.path) continue;
    (used?.has(dir) ? modules : others).push(m);
  }
  return { owner, modules, others, workFile, problems };
}
