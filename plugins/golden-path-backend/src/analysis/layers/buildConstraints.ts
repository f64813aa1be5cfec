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
 * The build constraint of a Go file's header, read as go/build reads it
 * (parseFileHeader): the header is the comments before the package clause,
 * line and block comments alike (a Kubernetes-style license block comes
 * first in many files); a //go:build line anywhere in it counts, and legacy
 * // +build lines (all must hold) only before the blank line that ends the
 * leading `//` comments.
 */
export function readBuildConstraint(src: string): string | undefined {
  let goBuild: string | undefined;
  // end of the part where // +build lines count: the last blank line before anything but // comments
  let plusEnd = 0;
  let ended = false;
  let inBlock = false;
  for (let at = 0; at < src.length; ) {
    const nl = src.indexOf('\n', at);
    const next = nl < 0 ? src.length : nl + 1;
    const line = src.slice(at, next).trim();
    at = next;
    if (line === '' && !ended) {
      plusEnd = at;
      continue;
    }
    if (!line.startsWith('//')) ended = true;
    if (!inBlock && goBuild === undefined) {
      const m = /^\/\/go:build(?:\s+(.*))?$/.exec(line);
      if (m) goBuild = (m[1] ?? '').trim();
    }
    // what the line holds besides comments
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
    if (rest !== '') break; // code: the header ends
  }
  if (goBuild !== undefined) return goBuild;
  const plus: string[] = [];
  for (const raw of src.slice(0, plusEnd).split('\n')) {
    const legacy = /^\/\/\s*\+build\s+(.+)$/.exec(raw.trim());
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
