import {
  evalBuildExpression,
  fileNameMatchesTarget,
  isBuiltOnTarget,
  readBuildConstraint,
} from './buildConstraints';

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
    ['go1.99', true],
    ['(linux', true], // unreadable: Go refuses the file; it stays in the package
  ])('%s -> %s', (expr, built) => {
    expect(evalBuildExpression(expr)).toBe(built);
  });

  it('reads //go:build, or the legacy // +build lines, before the package clause only', () => {
    expect(
      readBuildConstraint(
        '// Copyright 2024\n\n//go:build ignore\n\npackage main\n',
      ),
    ).toBe('ignore');
    // legacy lines: a space is or, a comma is and, every line must hold
    const legacy = (src: string) =>
      evalBuildExpression(readBuildConstraint(src)!);
    expect(legacy('// +build linux,amd64 darwin\n\npackage x\n')).toBe(true);
    expect(legacy('// +build linux,arm64 darwin\n\npackage x\n')).toBe(false);
    expect(legacy('// +build linux\n// +build !cgo\n\npackage x\n')).toBe(
      false,
    );
    expect(
      readBuildConstraint('package x\n\n//go:build ignore\n'),
    ).toBeUndefined();
  });

  // go list -f '{{.GoFiles}} {{.IgnoredGoFiles}}' on each of these files
  it.each([
    // a Kubernetes-style license block before the constraint
    [
      '/*\nCopyright 2024 The Authors.\n*/\n\n//go:build integration\n\npackage x\n',
      'integration',
    ],
    ['/* license */\n//go:build ignore\npackage x\n', 'ignore'],
    ['// a\n/* b\n   c */\n// d\n//go:build windows\n\npackage x\n', 'windows'],
    // not a line of its own: code-free text follows a comment, Go ignores it
    ['/* a */ //go:build ignore\npackage x\n', undefined],
    // legacy lines count only before the blank line ending the leading // comments
    ['/*\nlicense\n*/\n\n// +build ignore\n\npackage x\n', undefined],
    ['// x\n// +build ignore\npackage x\n', undefined],
    ['// x\n\n// +build ignore\n/* y */\n\npackage x\n', undefined],
  ])('reads the header %j as go/build does', (src, constraint) => {
    expect(readBuildConstraint(src)).toBe(constraint);
  });

  it.each([
    ['order.go', true],
    ['linux.go', true],
    ['sys_linux.go', true],
    ['sys_windows.go', false],
    ['sys_arm64.go', false],
    ['sys_linux_amd64_test.go', true],
    ['sys_darwin_amd64.go', false],
    ['read_only.go', true],
  ])('file name %s -> %s', (name, built) => {
    expect(fileNameMatchesTarget(name)).toBe(built);
  });

  it('combines the file name and the constraint', () => {
    expect(
      isBuiltOnTarget('a/gen.go', '//go:build ignore\n\npackage main\n'),
    ).toBe(false);
    expect(isBuiltOnTarget('a/x_windows.go', 'package a\n')).toBe(false);
    expect(isBuiltOnTarget('a/x.go', '//go:build linux\npackage a\n')).toBe(
      true,
    );
  });
});
