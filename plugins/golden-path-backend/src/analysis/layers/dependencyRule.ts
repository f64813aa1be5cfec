import { load } from 'js-yaml';
import type {
  DependencyRuleInsight,
  InsightProblem,
} from '@golden-path/plugin-golden-path-common';
import type { SourceTree } from '../sourceTree';

/**
 * The golangci-lint config files read for the dependency rule, in the order
 * golangci-lint looks for them in a directory (TOML and JSON configs are not
 * read: such a service gets the golden path's default rule).
 */
export const GOLANGCI_CONFIG_NAMES = ['.golangci.yml', '.golangci.yaml'];

/** Largest golangci-lint config read; a larger one is a finding. */
export const MAX_GOLANGCI_CONFIG_BYTES = 256 * 1024;
const MAX_RULES = 100;
const MAX_ENTRIES = 1000;
const MAX_ENTRY_LENGTH = 1000;
const MAX_GLOB_ALTERNATIVES = 64;

/**
 * One depguard list (`linters.settings.depguard.rules.<name>`), compiled the
 * way depguard v2 compiles it, so the tab gives golangci-lint's verdict.
 */
export interface DepguardList {
  name: string;
  mode: 'original' | 'strict' | 'lax';
  files: GlobMatcher[];
  notFiles: GlobMatcher[];
  /** Sorted, as depguard keeps them. */
  allow: string[];
  deny: string[];
  /** Descriptions by index of {@link DepguardList.deny}. */
  descriptions: string[];
  raw: { files: string[]; allow: string[]; deny: string[] };
}

/** The dependency rule of a service read from its golangci-lint config. */
export interface ServiceDependencyRule {
  /** The config read, relative to the source root. */
  path: string;
  lists: DepguardList[];
}

/** Result of {@link readServiceDependencyRule}. */
export interface ReadDependencyRuleResult {
  /** Absent: the service has no usable rule; the default applies. */
  rule?: ServiceDependencyRule;
  problems: InsightProblem[];
}

/**
 * Depguard's top-level directories of GOROOT/src (`$gostd`), as of Go 1.26.
 * The backend has no Go toolchain to ask, so the list is fixed here.
 */
const GO_STD_ROOTS = [
  'archive', 'arena', 'bufio', 'builtin', 'bytes', 'cmd', 'cmp', 'compress',
  'container', 'context', 'crypto', 'database', 'debug', 'embed', 'encoding',
  'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index',
  'internal', 'io', 'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path',
  'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort', 'strconv',
  'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time',
  'unicode', 'unique', 'unsafe', 'vendor', 'weak',
]; // prettier-ignore

class RuleShapeError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw new RuleShapeError(`${where} must be a list of strings`);
  if (v.length > MAX_ENTRIES)
    throw new RuleShapeError(`${where} has more than ${MAX_ENTRIES} entries`);
  return v.map((e, i) => {
    if (typeof e !== 'string' || e.length === 0 || e.length > MAX_ENTRY_LENGTH)
      throw new RuleShapeError(
        `${where}[${i}] must be a non-empty string of at most ${MAX_ENTRY_LENGTH} characters`,
      );
    return e;
  });
}

/**
 * Reads the depguard rules of the golangci-lint config that applies to the
 * service (the nearest `.golangci.yml`/`.golangci.yaml` at or above its
 * directory, as golangci-lint looks for it). No config, or a config without
 * depguard rules: no rule (the caller checks the default). A config that
 * cannot be read as golangci-lint v2 depguard rules: one finding saying what,
 * where and how to fix, and no rule.
 */
export function readServiceDependencyRule(
  tree: SourceTree,
  serviceDir: string,
): ReadDependencyRuleResult {
  const parts = serviceDir ? serviceDir.split('/') : [];
  let path: string | undefined;
  let content: Buffer | undefined;
  for (let i = parts.length; i >= 0 && !content; i--) {
    const dir = parts.slice(0, i).join('/');
    for (const name of GOLANGCI_CONFIG_NAMES) {
      const candidate = dir ? `${dir}/${name}` : name;
      content = tree.files.get(candidate);
      if (content) {
        path = candidate;
        break;
      }
    }
  }
  if (!content || !path) return { problems: [] };
  const fallback =
    'the golden path’s default dependency rule was checked instead';
  const finding = (message: string): ReadDependencyRuleResult => ({
    problems: [
      {
        severity: 'error',
        code: 'dependency-rule-unreadable',
        message: `${message}; ${fallback}`,
        path,
      },
    ],
  });
  if (content.length > MAX_GOLANGCI_CONFIG_BYTES)
    return finding(
      `the golangci-lint config is larger than ${
        MAX_GOLANGCI_CONFIG_BYTES / 1024
      } KiB and was not read`,
    );
  let doc: unknown;
  try {
    doc = load(content.toString('utf8'));
  } catch (e) {
    return finding(
      `the golangci-lint config is not valid YAML (${
        (e as Error).message.split('\n')[0]
      })`,
    );
  }
  // An empty config is golangci-lint's defaults: no depguard rules.
  if (doc === undefined || doc === null) return { problems: [] };
  try {
    if (!isRecord(doc))
      throw new RuleShapeError('the file is not a YAML mapping');
    if (String(doc.version) !== '2') {
      // A v1 config (no version, or 1) keeps its settings under
      // linters-settings; one without depguard rules holds no rule to read.
      const v1 = isRecord(doc['linters-settings'])
        ? doc['linters-settings']
        : {};
      if (v1.depguard === undefined || v1.depguard === null)
        return { problems: [] };
      return {
        problems: [
          {
            severity: 'info',
            code: 'dependency-rule-v1-config',
            message: `the depguard rules of a golangci-lint v1 config (linters-settings.depguard, version ${JSON.stringify(
              doc.version ?? null,
            )}) are not read, only those of v2 configs (version: "2", linters.settings.depguard; golangci-lint migrate converts it); ${fallback}`,
            path,
          },
        ],
      };
    }
    const linters = isRecord(doc.linters) ? doc.linters : {};
    const settings = isRecord(linters.settings) ? linters.settings : {};
    const depguard = settings.depguard;
    if (depguard === undefined || depguard === null) return { problems: [] };
    if (!isRecord(depguard) || !isRecord(depguard.rules))
      throw new RuleShapeError(
        'linters.settings.depguard.rules must be a mapping of rule names to rules',
      );
    const names = Object.keys(depguard.rules).sort();
    if (names.length === 0) return { problems: [] };
    if (names.length > MAX_RULES)
      throw new RuleShapeError(`more than ${MAX_RULES} depguard rules`);
    const lists = names.map(name =>
      compileList(name, (depguard.rules as Record<string, unknown>)[name]),
    );
    const problems: InsightProblem[] = [];
    const enable = Array.isArray(linters.enable) ? linters.enable : [];
    const disable = Array.isArray(linters.disable) ? linters.disable : [];
    const enabled =
      (linters.default === 'all' || enable.includes('depguard')) &&
      !disable.includes('depguard');
    if (!enabled) {
      problems.push({
        severity: 'warning',
        code: 'dependency-rule-not-linted',
        message:
          'depguard is not enabled (linters.enable), so golangci-lint does not check the dependency rule; the tab checks the rules as written',
        path,
      });
    }
    return { rule: { path, lists }, problems };
  } catch (e) {
    if (e instanceof RuleShapeError)
      return finding(
        `the depguard rules cannot be read: ${e.message} (see the golangci-lint v2 depguard settings)`,
      );
    throw e;
  }
}

function compileList(name: string, raw: unknown): DepguardList {
  const where = `rule ${JSON.stringify(name)}`;
  if (!isRecord(raw)) throw new RuleShapeError(`${where} is not a mapping`);
  for (const key of Object.keys(raw)) {
    if (!['list-mode', 'files', 'allow', 'deny'].includes(key))
      throw new RuleShapeError(
        `${where} has the unknown key ${JSON.stringify(
          key,
        )} (known: list-mode, files, allow, deny)`,
      );
  }
  const modeRaw = raw['list-mode'];
  if (modeRaw !== undefined && typeof modeRaw !== 'string')
    throw new RuleShapeError(`${where}: list-mode must be a string`);
  const mode = (modeRaw ?? 'original').toLowerCase();
  if (mode !== 'original' && mode !== 'strict' && mode !== 'lax')
    throw new RuleShapeError(
      `${where}: list-mode ${JSON.stringify(
        modeRaw,
      )} is not original, strict or lax`,
    );
  const files = stringList(raw.files, `${where}: files`);
  const allow = stringList(raw.allow, `${where}: allow`);
  const denyRaw = raw.deny ?? [];
  if (!Array.isArray(denyRaw) || denyRaw.length > MAX_ENTRIES)
    throw new RuleShapeError(
      `${where}: deny must be a list of {pkg, desc} (at most ${MAX_ENTRIES})`,
    );
  const descriptions = new Map<string, string>();
  for (const [i, d] of denyRaw.entries()) {
    if (
      !isRecord(d) ||
      typeof d.pkg !== 'string' ||
      d.pkg.length === 0 ||
      d.pkg.length > MAX_ENTRY_LENGTH ||
      (d.desc !== undefined && typeof d.desc !== 'string')
    )
      throw new RuleShapeError(
        `${where}: deny[${i}] must be {pkg: <import path prefix>, desc: <why>}`,
      );
    const pkgs = d.pkg === '$gostd' ? GO_STD_ROOTS : [d.pkg];
    for (const p of pkgs) descriptions.set(p, String(d.desc ?? '').trim());
  }
  const expandedAllow = allow.flatMap(a =>
    a === '$gostd' ? GO_STD_ROOTS : [a],
  );
  if (expandedAllow.length === 0 && descriptions.size === 0)
    throw new RuleShapeError(`${where} has neither allow nor deny`);
  const list: DepguardList = {
    name,
    mode,
    files: [],
    notFiles: [],
    allow: [...expandedAllow].sort(compareBytes),
    deny: [...descriptions.keys()].sort(compareBytes),
    descriptions: [],
    raw: { files, allow, deny: denyRaw.map(d => String(d.pkg)) },
  };
  list.descriptions = list.deny.map(d => descriptions.get(d) ?? '');
  for (const f of files) {
    if (f.includes('${'))
      throw new RuleShapeError(
        `${where}: files ${JSON.stringify(
          f,
        )} uses a golangci-lint path placeholder, which is not expanded here: write it as a **/ glob`,
      );
    const negate = f.startsWith('!');
    let glob = negate ? f.slice(1) : f;
    if (glob === '$all') glob = '**/*.go';
    if (glob === '$test') glob = '**/*_test.go';
    const matcher = compileGlob(glob, `${where}: files ${JSON.stringify(f)}`);
    (negate ? list.notFiles : list.files).push(matcher);
  }
  return list;
}

/** Go's string order (bytes), which depguard's sort.Strings uses. */
function compareBytes(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

/** Whether a rule covers a file, by its slash-separated path from the source root. */
export function ruleAppliesTo(list: DepguardList, file: string): boolean {
  const abs = file.startsWith('/') ? file : `/${file}`;
  const inFiles = list.files.length === 0 || list.files.some(m => m(abs));
  return inFiles && !list.notFiles.some(m => m(abs));
}

/** Depguard's verdict on one import, with the description of the deny entry that refused it. */
export function importAllowed(
  list: DepguardList,
  imp: string,
): { allowed: boolean; description?: string } {
  const a = inPrefixList(imp, list.allow);
  const d = inPrefixList(imp, list.deny);
  let allowed: boolean;
  const allowLonger = () =>
    a.index >= 0 &&
    d.index >= 0 &&
    list.allow[a.index].length > list.deny[d.index].length;
  if (list.mode === 'strict') allowed = a.found && (!d.found || allowLonger());
  else if (list.mode === 'lax')
    allowed = !d.found || (a.found && allowLonger());
  else allowed = (list.allow.length === 0 || a.found) && !d.found;
  if (!allowed && d.found)
    return { allowed, description: list.descriptions[d.index] || undefined };
  return { allowed };
}

/** Depguard's prefix match: against the entry sorting just before the import path. */
function inPrefixList(
  imp: string,
  list: string[],
): { found: boolean; index: number } {
  let index = -1;
  for (let i = 0; i < list.length; i++) {
    if (compareBytes(list[i].replace(/\$+$/, ''), imp) > 0) break;
    index = i;
  }
  if (index < 0) return { found: false, index };
  const entry = list[index];
  if (entry.endsWith('$')) return { found: imp === entry.slice(0, -1), index };
  if (!/[./]/.test(entry) && imp.includes('.')) return { found: false, index };
  return { found: imp.startsWith(entry), index };
}

/** The rules as the insight shows them. */
export function describeRules(
  lists: DepguardList[],
): DependencyRuleInsight['rules'] {
  return lists.map(l => ({
    name: l.name,
    files: l.raw.files,
    deny: l.raw.deny,
    allow: l.raw.allow,
  }));
}

type GlobMatcher = (path: string) => boolean;

type GlobToken =
  | { kind: 'char'; c: string }
  | { kind: 'star' }
  | { kind: 'globstar' }
  | { kind: 'any' }
  | { kind: 'class'; negate: boolean; test: (c: string) => boolean };

/**
 * Compiles a depguard file glob (gobwas/glob, '/' the separator): `**` any
 * text, `*` and `?` within a segment, `[...]`/`[!...]` classes, `{a,b}`
 * alternatives, `\` escapes. Matching is a table over pattern and path
 * positions (no backtracking), so a hostile glob costs at most
 * pattern length × path length per alternative.
 */
export function compileGlob(glob: string, where: string): GlobMatcher {
  const alternatives = expandBraces(glob, where);
  const programs = alternatives.map(a => tokenize(a, where));
  return (path: string) => programs.some(p => matchTokens(p, path));
}

function expandBraces(glob: string, where: string): string[] {
  let start = -1;
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') {
      i++;
      continue;
    }
    if (glob[i] === '{') {
      start = i;
      break;
    }
  }
  if (start < 0) return [glob];
  let depth = 0;
  const options: string[] = [];
  let from = start + 1;
  let end = -1;
  for (let i = start; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        options.push(glob.slice(from, i));
        end = i;
        break;
      }
    } else if (c === ',' && depth === 1) {
      options.push(glob.slice(from, i));
      from = i + 1;
    }
  }
  if (end < 0) throw new RuleShapeError(`${where}: unclosed {`);
  const out: string[] = [];
  for (const o of options) {
    for (const rest of expandBraces(
      glob.slice(0, start) + o + glob.slice(end + 1),
      where,
    )) {
      out.push(rest);
      if (out.length > MAX_GLOB_ALTERNATIVES)
        throw new RuleShapeError(
          `${where}: more than ${MAX_GLOB_ALTERNATIVES} {a,b} alternatives`,
        );
    }
  }
  return out;
}

function tokenize(glob: string, where: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        tokens.push({ kind: 'globstar' });
        i++;
      } else tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '\\' && i + 1 < glob.length) {
      tokens.push({ kind: 'char', c: glob[++i] });
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) throw new RuleShapeError(`${where}: unclosed [`);
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      const ranges: Array<[string, string]> = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          ranges.push([body[j], body[j + 2]]);
          j += 2;
        } else ranges.push([body[j], body[j]]);
      }
      tokens.push({
        kind: 'class',
        negate,
        test: ch => ranges.some(([lo, hi]) => ch >= lo && ch <= hi),
      });
      i = end;
    } else tokens.push({ kind: 'char', c });
  }
  return tokens;
}

function tokenMatches(t: GlobToken, ch: string): boolean {
  if (t.kind === 'char') return ch === t.c;
  if (t.kind === 'any') return ch !== '/';
  if (t.kind === 'class') return t.test(ch) !== t.negate;
  return false;
}

function matchTokens(tokens: GlobToken[], path: string): boolean {
  // reach[j]: the path prefix of length j is matched by the tokens so far;
  // from: the smallest such j (none: no match, whatever follows)
  const n = path.length;
  let reach = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  reach[0] = 1;
  let from = 0;
  for (const t of tokens) {
    next.fill(0, from);
    let first = -1;
    if (t.kind === 'star' || t.kind === 'globstar') {
      let open = false;
      for (let j = from; j <= n; j++) {
        if (reach[j]) open = true;
        if (open) {
          next[j] = 1;
          if (first < 0) first = j;
        }
        if (t.kind === 'star' && path[j] === '/') open = false;
      }
    } else {
      for (let j = from; j < n; j++) {
        if (!reach[j]) continue;
        if (tokenMatches(t, path[j])) {
          next[j + 1] = 1;
          if (first < 0) first = j + 1;
        }
      }
    }
    if (first < 0) return false;
    [reach, next] = [next, reach];
    from = first;
  }
  return reach[n] === 1;
}
