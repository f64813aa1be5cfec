/*
 * Whether `go build` compiles a Go file into its package for a target, read
 * as go/build reads it: the file's name (`_x.go`, `x_test.go`,
 * `x_windows.go`, `x_darwin_arm64.go`) and its build constraint (a
 * //go:build line, else the legacy // +build lines). Three answers, since a
 * caller may only act on a sure one: true, false, or undefined when the
 * reader cannot tell (a constraint Go would not parse, or one that depends
 * on a release tag newer than the Go version known to be used).
 */

/**
 * What a build is for: `goos`/`goarch`, whether cgo is on, and the newest Go
 * release known to build it (`goMinor` 26 for Go 1.26: `go1.1` … `go1.26`
 * hold, a newer `go1.N` is not known either way).
 *
 * @public
 */
export interface GoBuildTarget {
  /** GOOS, e.g. `linux`. */
  goos: string;
  /** GOARCH, e.g. `amd64`. */
  goarch: string;
  /** Whether cgo is on (the `cgo` tag). */
  cgo: boolean;
  /** N of the newest Go 1.N known to build; newer release tags are not known. */
  goMinor: number;
  /**
   * Whether `_test.go` files are compiled too, as `go test` and `go vet` do
   * (`go list`'s TestGoFiles); `go build` leaves them out.
   */
  tests?: boolean;
}

const GOOS = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos'.split(
    ' ',
  ),
);
const GOARCH = new Set(
  '386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm'.split(
    ' ',
  ),
);
const UNIX = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris'.split(
    ' ',
  ),
);

/** Go refuses longer or deeper expressions; bounds the reader's work too. */
const MAX_EXPRESSION = 1000;
const MAX_DEPTH = 100;

/** Whether `tag` holds on `t`; undefined: not known (a newer release, a GOEXPERIMENT). */
function tagHolds(tag: string, t: GoBuildTarget): boolean | undefined {
  const release = /^go1\.(\d+)$/.exec(tag);
  if (release) return Number(release[1]) <= t.goMinor ? true : undefined;
  if (tag.startsWith('goexperiment.')) return undefined;
  return (
    tag === t.goos ||
    tag === t.goarch ||
    (tag === 'linux' && t.goos === 'android') ||
    (tag === 'darwin' && t.goos === 'ios') ||
    (tag === 'solaris' && t.goos === 'illumos') ||
    (tag === 'unix' && UNIX.has(t.goos)) ||
    (tag === 'cgo' && t.cgo) ||
    tag === 'gc' ||
    (tag === 'amd64.v1' && t.goarch === 'amd64')
  );
}

// Kleene logic: undefined is "true or false, not known which".
function and3(a?: boolean, b?: boolean): boolean | undefined {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}
function or3(a?: boolean, b?: boolean): boolean | undefined {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : undefined;
}

/**
 * A //go:build expression's value on `t` (`&&`, `||`, `!`, parentheses;
 * unknown tags are false as Go has them); undefined when Go would not parse
 * it or the value depends on a tag not known either way.
 *
 * @public
 */
export function evalGoBuildExpression(
  expr: string,
  t: GoBuildTarget,
): boolean | undefined {
  if (expr.length > MAX_EXPRESSION) return undefined;
  const tokens = expr.match(/&&|\|\||[!()]|[A-Za-z0-9_.]+|\S/g) ?? [];
  let i = 0;
  const bad = new Error('unreadable');
  function or(depth: number): boolean | undefined {
    let v = and(depth);
    while (tokens[i] === '||') {
      i++;
      v = or3(v, and(depth));
    }
    return v;
  }
  function and(depth: number): boolean | undefined {
    let v = not(depth);
    while (tokens[i] === '&&') {
      i++;
      v = and3(v, not(depth));
    }
    return v;
  }
  function not(depth: number): boolean | undefined {
    if (depth > MAX_DEPTH) throw bad;
    const tok = tokens[i++];
    if (tok === '!') {
      const v = not(depth + 1);
      return v === undefined ? undefined : !v;
    }
    if (tok === '(') {
      const v = or(depth + 1);
      if (tokens[i++] !== ')') throw bad;
      return v;
    }
    if (tok === undefined || !/^[A-Za-z0-9_.]+$/.test(tok)) throw bad;
    return tagHolds(tok, t);
  }
  try {
    const v = or(0);
    return i === tokens.length ? v : undefined;
  } catch (e) {
    if (e === bad) return undefined;
    throw e;
  }
}

/**
 * The build constraint in the header of a Go file (the comments before the
 * package clause) as one //go:build expression: the //go:build line, else
 * the // +build lines that end before the header's last blank line, all of
 * which must hold. `{}` when there is none; `{ error }` for two //go:build
 * lines (Go refuses the file).
 *
 * @public
 */
export function readGoBuildConstraint(src: string): {
  expr?: string;
  error?: string;
} {
  let goBuild: string | undefined;
  // Where // +build lines may be: up to the last blank line before anything but // comments.
  let plusEnd = 0;
  let ended = false;
  let inBlock = false;
  for (let at = 0; at < src.length; ) {
    const nl = src.indexOf('\n', at);
    const next = nl < 0 ? src.length : nl + 1;
    const line = src
      .slice(at, next)
      .trim()
      .replace(/^\uFEFF/, '');
    at = next;
    if (line === '' && !ended) {
      plusEnd = at;
      continue;
    }
    if (!line.startsWith('//')) ended = true;
    if (!inBlock && /^\/\/go:build(?:[ \t]|$)/.test(line)) {
      if (goBuild !== undefined) return { error: 'two //go:build lines' };
      goBuild = line.slice('//go:build'.length).trim();
    }
    // What the line holds besides comments: anything is code, and ends the header.
    let rest = line;
    for (;;) {
      if (inBlock) {
        const close = rest.indexOf('*/');
        if (close < 0) {
          rest = '';
          break;
        }
        inBlock = false;
        rest = rest.slice(close + 2).trim();
      } else if (rest.startsWith('//')) {
        rest = '';
        break;
      } else if (rest.startsWith('/*')) {
        inBlock = true;
        rest = rest.slice(2).trim();
      } else break;
    }
    if (rest !== '') break;
  }
  if (goBuild !== undefined) return { expr: goBuild };
  const plus: string[] = [];
  for (const raw of src.slice(0, plusEnd).split('\n')) {
    const m = /^\/\/\s*\+build(?:\s+(.*))?$/.exec(raw.trim());
    if (m) plus.push(...plusBuildExpression(m[1] ?? ''));
  }
  return plus.length ? { expr: plus.map(e => `(${e})`).join(' && ') } : {};
}

/**
 * A // +build line's options as one //go:build expression, read as
 * go/build/constraint reads them: a space is or, a comma is and; no option,
 * or a literal that is not a tag (`!!x`, `a&&b`), is the tag `ignore`. A
 * line of over 100 operators Go skips: none then.
 */
function plusBuildExpression(text: string): string[] {
  const options = text.split(/\s+/).filter(Boolean);
  const literal = (lit: string) => {
    const neg = /^![^!]/.test(lit);
    const tag = neg ? lit.slice(1) : lit;
    // A non-ASCII tag is valid to Go but never set: false, as `ignore` is.
    const z = /^[A-Za-z0-9_.]+$/.test(tag) ? tag : 'ignore';
    return neg ? `!${z}` : z;
  };
  const clauses = options.map(o => o.split(',').map(literal));
  const operators = clauses.reduce((n, c) => n + c.length, 0) - 1;
  if (operators > 100) return [];
  if (!clauses.length) return ['ignore'];
  return [clauses.map(c => `(${c.join(' && ')})`).join(' || ')];
}

/**
 * Go's file-name constraint: `x_windows.go`, `x_arm64.go`,
 * `x_linux_amd64_test.go` build only for that GOOS and/or GOARCH.
 *
 * @public
 */
export function goFileNameMatches(fileName: string, t: GoBuildTarget): boolean {
  const base = fileName.replace(/\.go$/, '');
  const first = base.indexOf('_');
  if (first < 0) return true;
  const parts = base.slice(first).split('_');
  if (parts[parts.length - 1] === 'test') parts.pop();
  const n = parts.length;
  const os = (p: string) =>
    p === t.goos ||
    (p === 'linux' && t.goos === 'android') ||
    (p === 'darwin' && t.goos === 'ios') ||
    (p === 'solaris' && t.goos === 'illumos');
  if (n >= 2 && GOOS.has(parts[n - 2]) && GOARCH.has(parts[n - 1]))
    return os(parts[n - 2]) && parts[n - 1] === t.goarch;
  if (n >= 1 && GOOS.has(parts[n - 1])) return os(parts[n - 1]);
  if (n >= 1 && GOARCH.has(parts[n - 1])) return parts[n - 1] === t.goarch;
  return true;
}

/**
 * Whether `go build` (or with `t.tests`, `go test`) compiles the Go file `fileName` with
 * source `src` into its package on `t`: not for a name starting with `_` or
 * `.`, a `_test.go` file, a name for another GOOS/GOARCH, or a build
 * constraint that does not hold; undefined when the constraint cannot be
 * judged (see {@link evalGoBuildExpression}, {@link readGoBuildConstraint}).
 * Without `src`, only what the name tells (true: the source decides).
 *
 * @public
 */
export function goFileBuilds(
  fileName: string,
  t: GoBuildTarget,
  src?: string,
): boolean | undefined {
  if (!fileName.endsWith('.go') || /^[_.]/.test(fileName)) return false;
  if (fileName.endsWith('_test.go') && !t.tests) return false;
  if (!goFileNameMatches(fileName, t)) return false;
  if (src === undefined) return true;
  const c = readGoBuildConstraint(src);
  if (c.error) return undefined;
  return c.expr === undefined ? true : evalGoBuildExpression(c.expr, t);
}
