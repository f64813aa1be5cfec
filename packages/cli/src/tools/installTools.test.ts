import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bufPackage, installTools } from './installTools';
import { findToolSources, moduleFiles, parseVersionsEnv } from './toolSources';
import { ToolsInstallError } from './ToolsInstallError';

describe('tool sources', () => {
  it('reads the pins of versions.env', () => {
    expect(
      parseVersionsEnv(
        '# pins\nBUF_VERSION=1.2.3\n\n  SQLC_VERSION=v1.0.0 \nbad line\n',
      ),
    ).toEqual({ BUF_VERSION: '1.2.3', SQLC_VERSION: 'v1.0.0' });
  });

  it('finds the repository tools in a checkout, with every pin', () => {
    const s = findToolSources();
    expect(s.dir).toBe(path.resolve(__dirname, '../../../../tools'));
    expect(s.versions.BUF_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(moduleFiles(path.join(s.dir, 'launcher'))).toContain('main.go');
    expect(
      moduleFiles(path.join(s.dir, 'launcher')).some(f =>
        f.endsWith('_test.go'),
      ),
    ).toBe(false);
  });

  it('names the buf package of each supported platform', () => {
    expect(bufPackage('linux', 'x64')).toBe('@bufbuild/buf-linux-x64');
    expect(bufPackage('linux', 'arm64')).toBe('@bufbuild/buf-linux-aarch64');
    expect(bufPackage('darwin', 'arm64')).toBe('@bufbuild/buf-darwin-arm64');
  });
});

describe('bad input: golden-path tools install', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-tools-unit-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('refuses a --dir that is a file', () => {
    const file = path.join(scratch, 'file');
    fs.writeFileSync(file, 'x');
    expect(() => installTools({ dir: file })).toThrow(
      new ToolsInstallError(
        `--dir ${file} is not a directory: pass a directory (it is created when missing)`,
      ),
    );
  });

  it('refuses an empty --dir', () => {
    expect(() => installTools({ dir: ' ' })).toThrow(/--dir is empty/);
  });

  it('refuses a platform buf has no build for', () => {
    expect(() => bufPackage('win32', 'x64')).toThrow(
      'buf has no npm build for win32/x64: use a linux or darwin host on x64 or arm64',
    );
  });

  it('refuses sources without a pin, naming the file', () => {
    const dir = path.join(scratch, 'pkg');
    fs.mkdirSync(path.join(dir, 'toolchain'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: '@golden-path/cli' }),
    );
    fs.writeFileSync(
      path.join(dir, 'toolchain/versions.env'),
      'BUF_VERSION=1\n',
    );
    expect(() => findToolSources(path.join(dir, 'dist'))).toThrow(
      `${path.join(
        dir,
        'toolchain/versions.env',
      )} names no GO_MIN_VERSION: reinstall @golden-path/cli`,
    );
  });
});
