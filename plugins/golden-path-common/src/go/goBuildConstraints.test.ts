import {
  evalGoBuildExpression,
  goFileBuilds,
  GoBuildTarget,
  readGoBuildConstraint,
} from './goBuildConstraints';

const LINUX: GoBuildTarget = {
  goos: 'linux',
  goarch: 'amd64',
  cgo: true,
  goMinor: 26,
};

describe('evalGoBuildExpression', () => {
  it.each<[string, boolean | undefined]>([
    ['linux', true],
    ['amd64', true],
    ['unix', true],
    ['cgo', true],
    ['gc', true],
    ['go1.1', true],
    ['go1.26', true],
    ['ignore', false],
    ['tools', false],
    ['integration', false],
    ['windows', false],
    ['gccgo', false],
    ['arm64', false],
    ['!linux', false],
    ['!windows', true],
    ['linux && amd64', true],
    ['linux && !cgo', false],
    ['windows || (linux && !arm64)', true],
    ['!(darwin || windows) && go1.21', true],
    ['(linux', undefined],
    ['linux &&', undefined],
    ['linux amd64', undefined],
    ['', undefined],
    ['linux & amd64', undefined],
    // A newer release tag: true with a newer toolchain, false with 1.26.
    ['go1.27', undefined],
    ['!go1.27', undefined],
    ['go1.27 || linux', true],
    ['go1.27 && windows', false],
    ['goexperiment.foo', undefined],
    [`${'('.repeat(5000)}linux${')'.repeat(5000)}`, undefined],
    [`${'!'.repeat(200)}linux`, undefined],
  ])('%s', (expr, want) => {
    expect(evalGoBuildExpression(expr, LINUX)).toBe(want);
  });
});

describe('readGoBuildConstraint', () => {
  it('reads //go:build in the header, after a license block comment too', () => {
    expect(
      readGoBuildConstraint(
        '/*\nLicense.\n*/\n\n// Package p.\n//go:build ignore\n\npackage p\n',
      ),
    ).toEqual({ expr: 'ignore' });
    expect(
      readGoBuildConstraint('package p\n\n//go:build ignore\nfunc F() {}\n'),
    ).toEqual({});
    expect(
      readGoBuildConstraint('package p\nvar s = `\n//go:build ignore\n`\n'),
    ).toEqual({});
    expect(readGoBuildConstraint('//go:builder x\n\npackage p\n')).toEqual({});
  });

  it('reads // +build lines only without //go:build and only before a blank line', () => {
    expect(
      readGoBuildConstraint(
        '// +build linux,amd64 darwin\n// +build !cgo\n\npackage p\n',
      ),
    ).toEqual({ expr: '((linux && amd64) || (darwin)) && ((!cgo))' });
    expect(
      readGoBuildConstraint(
        '//go:build linux\n// +build windows\n\npackage p\n',
      ),
    ).toEqual({ expr: 'linux' });
    // Part of the package's doc comment, not a constraint.
    expect(readGoBuildConstraint('// +build windows\npackage p\n')).toEqual({});
  });

  it('cannot read two //go:build lines', () => {
    expect(
      readGoBuildConstraint(
        '//go:build linux\n//go:build windows\n\npackage p\n',
      ),
    ).toHaveProperty('error');
  });

  // go/build/constraint's parsePlusBuildExpr: what is not a tag is `ignore`,
  // and a line of over 100 operators is skipped, never an error.
  it.each<[string, boolean]>([
    ['// +build linux&&amd64', false],
    ['// +build !linux&&amd64', true],
    ['// +build !!linux', false],
    ['// +build !', false],
    ['// +build linux,', false],
    ['// +build', false],
    ['//+build linux', true],
    ['// +build é', false],
    ['// +build !é', true],
    [`// +build ${Array(101).fill('x').join(' ')}`, false],
    [`// +build ${Array(102).fill('x').join(' ')}`, true],
  ])('reads %j as Go does', (line, want) => {
    expect(goFileBuilds('x.go', LINUX, `${line}\n\npackage p\n`)).toBe(want);
  });
});

describe('goFileBuilds', () => {
  it.each<[string, string, boolean | undefined]>([
    ['x.go', 'package p\n', true],
    ['windows.go', 'package p\n', true],
    ['x_linux.go', 'package p\n', true],
    ['x_linux_amd64.go', 'package p\n', true],
    ['x_amd64.go', 'package p\n', true],
    ['x_unix.go', 'package p\n', true],
    ['x_windows.go', 'package p\n', false],
    ['x_darwin_arm64.go', 'package p\n', false],
    ['x_linux_arm64.go', 'package p\n', false],
    ['x_arm64.go', 'package p\n', false],
    ['x_android.go', 'package p\n', false],
    ['_x.go', 'package p\n', false],
    ['.x.go', 'package p\n', false],
    ['x_test.go', 'package p\n', false],
    ['x.txt', 'package p\n', false],
    ['x.go', '//go:build ignore\n\npackage main\n', false],
    ['x.go', '//go:build windows\n\npackage p\n', false],
    ['x.go', '//go:build !linux\n\npackage p\n', false],
    ['x.go', '//go:build linux && cgo\n\npackage p\n', true],
    ['x.go', '// +build ignore\n\npackage p\n', false],
    ['x.go', '//go:build go1.30\n\npackage p\n', undefined],
    ['x.go', '//go:build (linux\n\npackage p\n', undefined],
  ])('%s %j', (name, src, want) => {
    expect(goFileBuilds(name, LINUX, src)).toBe(want);
  });

  it.each<[string, boolean]>([
    ['x_test.go', true],
    ['x_linux_test.go', true],
    ['x_windows_test.go', false],
    ['_x_test.go', false],
  ])('builds %s for go test', (name, want) => {
    expect(goFileBuilds(name, { ...LINUX, tests: true }, 'package p\n')).toBe(
      want,
    );
  });

  it('judges by the name alone without the source', () => {
    expect(goFileBuilds('x_windows.go', LINUX)).toBe(false);
    expect(goFileBuilds('x.go', LINUX)).toBe(true);
  });
});
