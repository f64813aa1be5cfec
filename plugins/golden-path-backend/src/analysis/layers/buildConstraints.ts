// Whether a Go file is part of a package as `go list` and `go build` see it
// on the target services are built for (linux/amd64, no extra tags): a
// generator marked //go:build ignore, a tools.go marked //go:build tools or a
// file_windows.go is not, and its package name and imports do not count.

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
const TARGET = { goos: 'linux', goarch: 'amd64' };

/** The tags satisfied on the target: its GOOS and GOARCH, unix, gc, cgo and every go1.N release tag. */
function satisfied(tag: string): boolean {
  return (
    tag === TARGET.goos ||
    tag === TARGET.goarch ||
    tag === 'unix' ||
    tag === 'gc' ||
    tag === 'cgo' ||
    /^go1\.\d+$/.test(tag)
  );
}

/**
 * The build constraint lines of a Go file's header: the //go:build
 * expression, or the legacy // +build lines (all must hold), before the
 * package clause.
 */
export function readBuildConstraint(src: string): string | undefined {
  const plus: string[] = [];
  for (let at = 0; at < src.length; ) {
    const end = src.indexOf('\n', at);
    const line = src.slice(at, end < 0 ? src.length : end).trim();
    at = end < 0 ? src.length : end + 1;
    if (line === '') continue;
    if (!line.startsWith('//')) break;
    const goBuild = /^\/\/go:build\s+(.+)$/.exec(line);
    if (goBuild) return goBuild[1].trim();
    const legacy = /^\/\/ ?\+build\s+(.+)$/.exec(line);
    if (legacy) plus.push(legacyExpression(legacy[1].trim()));
  }
  return plus.length ? plus.map(e => `(${e})`).join(' && ') : undefined;
}

/** `a,b !c` (// +build) as `(a && b) || (!c)`. */
function legacyExpression(line: string): string {
  return line
    .split(/\s+/)
    .map(option => `(${option.split(',').join(' && ')})`)
    .join(' || ');
}

/** Whether a //go:build expression holds on the target; one Go could not read counts as holding. */
export function evalBuildExpression(expr: string): boolean {
  const tokens = expr.match(/&&|\|\||[!()]|[A-Za-z0-9_.]+|\S/g) ?? [];
  let i = 0;
  function fail(): never {
    throw new Error('unreadable');
  }
  function or(): boolean {
    let v = and();
    while (tokens[i] === '||') {
      i++;
      v = and() || v;
    }
    return v;
  }
  function and(): boolean {
    let v = not();
    while (tokens[i] === '&&') {
      i++;
      v = not() && v;
    }
    return v;
  }
  function not(): boolean {
    const t = tokens[i++];
    if (t === '!') return !not();
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') fail();
      return v;
    }
    if (t === undefined || !/^[A-Za-z0-9_.]+$/.test(t)) fail();
    return satisfied(t);
  }
  try {
    const v = or();
    return i === tokens.length ? v : true;
  } catch {
    return true;
  }
}

/** Go's file-name constraint: `x_windows.go`, `x_arm64.go`, `x_linux_amd64_test.go`. */
export function fileNameMatchesTarget(fileName: string): boolean {
  let name = fileName.replace(/\.go$/, '').replace(/_test$/, '');
  const first = name.indexOf('_');
  if (first < 0) return true;
  name = name.slice(first);
  const parts = name.split('_');
  const last = parts[parts.length - 1];
  const before = parts.length >= 3 ? parts[parts.length - 2] : undefined;
  if (before !== undefined && GOOS.has(before) && GOARCH.has(last))
    return before === TARGET.goos && last === TARGET.goarch;
  if (GOOS.has(last)) return last === TARGET.goos;
  if (GOARCH.has(last)) return last === TARGET.goarch;
  return true;
}

/** Whether the file at `path` with source `src` is built on the target (its name and its build constraint). */
export function isBuiltOnTarget(path: string, src: string): boolean {
  if (!fileNameMatchesTarget(path.slice(path.lastIndexOf('/') + 1)))
    return false;
  const expr = readBuildConstraint(src);
  return expr === undefined || evalBuildExpression(expr);
}
