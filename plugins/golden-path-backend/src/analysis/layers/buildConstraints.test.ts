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
    expect(
      readBuildConstraint('/* license */\n//go:build ignore\npackage x\n'),
    ).toBeUndefined();
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
