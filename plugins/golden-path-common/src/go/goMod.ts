/*
 * go.mod and go.work as golang.org/x/mod/modfile reads them, in one pass: a
 * directive on one line or as a `verb ( … )` block, paths quoted or not,
 * `//` comments (a requirement's `// indirect` among them).
 */

/**
 * A `require` line of a go.mod.
 *
 * @public
 */
export interface GoModRequire {
  /** The module path. */
  path: string;
  /** The version required, e.g. `v1.24.0`. */
  version: string;
  /** Marked `// indirect`: a dependency of a dependency. */
  indirect: boolean;
}

/**
 * A `replace` line of a go.mod: `path [version] => target [version]`.
 *
 * @public
 */
export interface GoModReplace {
  /** The module path replaced. */
  path: string;
  /** The version replaced; undefined: every version. */
  version?: string;
  /** The replacement: a module path, or a directory (`../pkg`). */
  target: string;
  /** The replacement module's version; undefined for a directory. */
  targetVersion?: string;
}

/**
 * What {@link parseGoMod} reads of a go.mod.
 *
 * @public
 */
export interface GoMod {
  /** The `module` path; undefined when there is none. */
  module?: string;
  /** The `go` version, e.g. `1.26` or `1.26.1`. */
  go?: string;
  /** The `toolchain` name, e.g. `go1.26.1`. */
  toolchain?: string;
  /** The `require` lines, in order. */
  requires: GoModRequire[];
  /** The `replace` lines, in order. */
  replaces: GoModReplace[];
}

/** The words of a directive line: quoted strings unquoted, `=>` a word of its own. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /"((?:[^"\\]|\\.)*)"|`([^`]*)`|=>|[^\s"`]+?(?==>|\s|$)/g,
  ))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[0]);
  return out;
}

/** A line without its `//` comment (outside quotes), and the comment. */
function splitComment(raw: string): { code: string; comment?: string } {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '/' && raw[i + 1] === '/')
      return { code: raw.slice(0, i).trim(), comment: raw.slice(i + 2) };
  }
  return { code: raw.trim() };
}

/** One directive of a go.mod or go.work: its verb, words and `//` comment. */
interface Directive {
  verb?: string;
  args: string[];
  comment?: string;
}

/** The directives of a go.mod or go.work (one syntax, modfile's), `verb ( … )` blocks opened. */
function* directives(src: string): Generator<Directive> {
  let block: string | undefined;
  for (const raw of src.replace(/^\uFEFF/, '').split('\n')) {
    const { code, comment } = splitComment(raw);
    if (!code) continue;
    const args = words(code);
    if (block) {
      if (code === ')') block = undefined;
      else yield { verb: block, args, comment };
      continue;
    }
    const opens = /^(\w+)\s*\($/.exec(code);
    if (opens) block = opens[1];
    else yield { verb: args[0], args: args.slice(1), comment };
  }
}

/**
 * Reads a go.mod's module path, Go version, requirements and replacements.
 *
 * @public
 */
export function parseGoMod(src: string): GoMod {
  const mod: GoMod = { requires: [], replaces: [] };
  for (const { verb, args, comment } of directives(src)) {
    if (verb === 'module' && args.length === 1 && mod.module === undefined)
      mod.module = args[0];
    else if (verb === 'go' && args.length === 1) mod.go ??= args[0];
    else if (verb === 'toolchain' && args.length === 1)
      mod.toolchain ??= args[0];
    else if (verb === 'require' && args.length >= 2)
      mod.requires.push({
        path: args[0],
        version: args[1],
        indirect: comment !== undefined && /^\s*indirect\b/.test(comment),
      });
    else if (verb === 'replace') {
      const arrow = args.indexOf('=>');
      if (arrow < 1 || arrow > 2 || args.length < arrow + 2) continue;
      mod.replaces.push({
        path: args[0],
        ...(arrow === 2 ? { version: args[1] } : {}),
        target: args[arrow + 1],
        ...(args[arrow + 2] ? { targetVersion: args[arrow + 2] } : {}),
      });
    }
  }
  return mod;
}

/**
 * N of the newest Go 1.N the `go` and `toolchain` lines name: the go command
 * builds the module with at least that release, so `go1.1` … `go1.N` hold
 * (0 when there are neither).
 *
 * @public
 */
export function goModMinor(goMod: Pick<GoMod, 'go' | 'toolchain'>): number {
  const minors = [
    /^1\.(\d{1,4})(?:\D|$)/.exec(goMod.go ?? ''),
    /^go1\.(\d{1,4})(?:\D|$)/.exec(goMod.toolchain ?? ''),
  ].map(m => (m ? Number(m[1]) : 0));
  return Math.max(...minors);
}

/**
 * The module directories a go.work `use`s, as written (relative to the
 * go.work).
 *
 * @public
 */
export function parseGoWorkUses(src: string): string[] {
  const uses: string[] = [];
  for (const { verb, args } of directives(src))
    if (verb === 'use' && args.length === 1) uses.push(args[0]);
  return uses;
}
