import { isBuiltOnTarget } from './buildConstraints';

/** Whether `go list` on linux/amd64 keeps a file with this header, Go 1.26. */
const built = (src: string, path = 'a/x.go', goMinor = 26) =>
  isBuiltOnTarget(path, `${src}\n\npackage x\n`, goMinor);

describe('build constraints, as go list sees them on linux/amd64', () => {
  it.each([
    ['ignore', false],
    ['tools', false],
    ['integration', false],
    ['linux', true],
    ['!windows', true],
    ['linux && amd64', true],
    ['linux && arm64', false],
    ['darwin || linux', true],
    ['!(darwin || windows) && go1.21', true],
    ['unix && cgo', true],
    ['gc && !purego', true],
    // newer than the go.mod's Go: true on a newer toolchain, so it counts
    ['go1.99', true],
    ['!go1.99', true],
    ['goexperiment.synctest', true],
    // unreadable: Go refuses the file and go list reports it; it stays in the package
    ['(linux', true],
  ])('%s -> %s', (expr, want) => {
    expect(built(`//go:build ${expr}`)).toBe(want);
  });

  it('holds go1.N up to the Go version of the go.mod', () => {
    // Before, every go1.N held; now only up to the go.mod's Go, and a file
    // for older toolchains than that counts, as some toolchain builds it.
    expect(built('//go:build !go1.21', 'a/x.go', 26)).toBe(false);
    expect(built('//go:build !go1.21', 'a/x.go', 20)).toBe(true);
  });

  it('reads the legacy // +build lines: space or, comma and, every line', () => {
    expect(built('// +build linux,amd64 darwin')).toBe(true);
    expect(built('// +build linux,arm64 darwin')).toBe(false);
    expect(built('// +build linux\n// +build !cgo')).toBe(false);
    // Go reads a bare // +build as `ignore` (was kept before)
    expect(built('// +build')).toBe(false);
  });

  it('keeps a file with two //go:build lines, which Go refuses', () => {
    // Was left out before (the first line, ignore, counted); go list reports the file.
    expect(built('//go:build ignore\n//go:build linux')).toBe(true);
  });

  // go list -f '{{.GoFiles}} {{.IgnoredGoFiles}}' on each of these files
  it.each([
    // a Kubernetes-style license block before the constraint
    [
      '/*\nCopyright 2024 The Authors.\n*/\n\n//go:build integration\n\npackage x\n',
      false,
    ],
    ['/* license */\n//go:build ignore\npackage x\n', false],
    ['// a\n/* b\n   c */\n// d\n//go:build windows\n\npackage x\n', false],
    // not a line of its own: code-free text follows a comment, Go ignores it
    ['/* a */ //go:build ignore\npackage x\n', true],
    // legacy lines count only before the blank line ending the leading // comments
    ['/*\nlicense\n*/\n\n// +build ignore\n\npackage x\n', true],
    ['// x\n// +build ignore\npackage x\n', true],
    ['// x\n\n// +build ignore\n/* y */\n\npackage x\n', true],
    ['package x\n\n//go:build ignore\n', true],
  ])('reads the header %j as go/build does', (src, want) => {
    expect(isBuiltOnTarget('a/x.go', src, 26)).toBe(want);
  });

  it.each([
    ['order.go', true],
    ['linux.go', true],
    ['sys_linux.go', true],
    ['sys_windows.go', false],
    ['sys_arm64.go', false],
    ['sys_linux_amd64_test.go', true],
    ['sys_windows_test.go', false],
    ['order_test.go', true],
    ['sys_darwin_amd64.go', false],
    ['read_only.go', true],
    // Go ignores these names (were kept before)
    ['_gen.go', false],
    ['.x.go', false],
  ])('file name %s -> %s', (name, want) => {
    expect(isBuiltOnTarget(`a/${name}`, 'package a\n', 26)).toBe(want);
  });

  it('combines the file name and the constraint', () => {
    expect(
      isBuiltOnTarget('a/gen.go', '//go:build ignore\n\npackage main\n', 26),
    ).toBe(false);
    expect(isBuiltOnTarget('a/x_windows.go', 'package a\n', 26)).toBe(false);
    expect(isBuiltOnTarget('a/x.go', '//go:build linux\npackage a\n', 26)).toBe(
      true,
    );
  });
});
