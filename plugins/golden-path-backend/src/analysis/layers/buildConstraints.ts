import {
  goFileBuilds,
  GoBuildTarget,
} from '@golden-path/plugin-golden-path-common';

/*
 * Whether a Go file is part of a package as `go list` sees it on the target
 * services are built for (linux/amd64, cgo, no extra tags, tests included):
 * a generator marked //go:build ignore, a tools.go marked //go:build tools
 * or a file_windows.go is not, and its package name and imports do not
 * count. The rules are goFileBuilds'; this file holds the insights' policy.
 */

const TARGET: Omit<GoBuildTarget, 'goMinor'> = {
  goos: 'linux',
  goarch: 'amd64',
  cgo: true,
  tests: true,
};

/**
 * Whether the file at `path` with source `src` is built on the target, the
 * go command being at least Go 1.`goMinor` (the module's go.mod). A file the
 * reader cannot judge counts: a constraint Go refuses makes `go list` report
 * the file rather than drop it, and one on a newer release or a
 * GOEXPERIMENT holds on some toolchain the go.mod allows, so its imports
 * are the service's code either way.
 */
export function isBuiltOnTarget(
  path: string,
  src: string,
  goMinor: number,
): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return goFileBuilds(name, { ...TARGET, goMinor }, src) ?? true;
}

/**
 * Whether `./...` run in `dir` reaches the Go file at `path` (below `dir`):
 * the go command skips directories whose names begin with `.` or `_` and
 * those named `testdata`, so an `_examples/` or `testdata/` package is not
 * one of the service's packages.
 */
export function isMatchedByDotDotDot(dir: string, path: string): boolean {
  const rel = dir ? path.slice(dir.length + 1) : path;
  const dirs = rel.split('/').slice(0, -1);
  return !dirs.some(
    d => d.startsWith('.') || d.startsWith('_') || d === 'testdata',
  );
}
