import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSqlcConfig, resolveSqlcProcessPlugins } from './sqlc';

const SQL =
  'sql:\n  - engine: postgresql\n    schema: schema.sql\n    queries: queries\n';

describe('checkSqlcConfig', () => {
  let dir: string;
  let plugin: string;
  let bin: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-sqlc-check-'));
    bin = path.join(dir, 'tools/bin');
    fs.mkdirSync(bin, { recursive: true });
    plugin = path.join(bin, 'sqlc-gen-allowed');
    fs.writeFileSync(plugin, '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'gen.sh'), '#!/bin/sh\n', { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const policy = () => ({
    processCommands: resolveSqlcProcessPlugins(
      ['sqlc-gen-allowed'],
      path.join(dir, 'tools'),
    ),
    searchPath: [bin, '/usr/bin', '/bin'],
  });
  const withProcess = (name: string, cmd: string) =>
    `version: "2"\nplugins:\n  - name: ${name}\n    process:\n      cmd: ${cmd}\n${SQL}    codegen:\n      - plugin: ${name}\n        out: gen\n`;

  it.each([
    ['by name, looked up on the tools PATH', 'sqlc-gen-allowed'],
    ['by its absolute path', '__PLUGIN__'],
  ])('accepts an allow-listed program %s', (_name, cmd) => {
    expect(() =>
      checkSqlcConfig(
        withProcess('x', cmd.replace('__PLUGIN__', plugin)),
        policy(),
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'a workspace program under an allowed plugin name',
      'protoc-gen-go',
      './gen.sh',
      /plugins\[0\]\.process\.cmd "\.\/gen\.sh" is refused: it runs a program of the workspace, which is not an allowed sqlc plugin program; install the plugin in the tools directory and list it in goldenPath\.tools\.sqlcProcessPlugins$/,
    ],
    [
      'a workspace program by a relative path',
      'x',
      'sub/../gen.sh',
      /"sub\/\.\.\/gen\.sh" is refused: it runs a program of the workspace/,
    ],
    [
      'a system program by name',
      'sqlc-gen-allowed',
      'sh',
      /"sh" is refused: it runs \/.*, which is not an allowed sqlc plugin program/,
    ],
    [
      'a program by an absolute path',
      'x',
      '__GEN__',
      /is refused: it runs \/.*gen\.sh, which is not an allowed/,
    ],
    [
      'a program that does not exist',
      'x',
      'nope-not-here',
      /"nope-not-here" is refused: it runs no program on the tools PATH/,
    ],
  ])('refuses %s', (_name, name, cmd, message) => {
    const text = withProcess(
      name,
      cmd.replace('__GEN__', path.join(dir, 'gen.sh')),
    );
    expect(() => checkSqlcConfig(text, policy())).toThrow(message);
  });

  it('refuses a symlink of the workspace to an allowed program (the cmd is a workspace path)', () => {
    fs.symlinkSync(plugin, path.join(dir, 'link'));
    expect(() => checkSqlcConfig(withProcess('x', './link'), policy())).toThrow(
      /runs a program of the workspace/,
    );
  });

  it('refuses a command line, not one program', () => {
    const text =
      'version: "2"\nplugins:\n  - name: x\n    process:\n      cmd: [sh, -c, id]\n';
    expect(() => checkSqlcConfig(text, policy())).toThrow(
      'plugins[0].process.cmd must be the name or absolute path of one program',
    );
  });

  it('refuses every WASM plugin', () => {
    const text =
      'version: "2"\nplugins:\n  - name: py\n    wasm:\n      url: https://example.com/p.wasm\n      sha256: abc\n';
    expect(() => checkSqlcConfig(text, policy())).toThrow(
      /plugins\[0\]\.wasm is refused: WASM plugins are downloaded by URL/,
    );
  });

  it.each([
    [
      'a URI',
      `version: "2"\n${SQL}    database:\n      uri: postgresql://postgres@127.0.0.1:5432/postgres\n`,
    ],
    [
      'an ${ENV} URI',
      `version: "2"\n${SQL}    database:\n      uri: \${DATABASE_URL}\n`,
    ],
    [
      'a managed database',
      `version: "2"\n${SQL}    database:\n      managed: true\n`,
    ],
    ['an empty database', `version: "2"\n${SQL}    database:\n`],
    [
      'a database merged in',
      `version: "2"\nsql:\n  - <<: {database: {uri: "sqlite:///tmp/x.db"}}\n    engine: sqlite\n`,
    ],
  ])('refuses sql[].database: %s', (_name, text) => {
    expect(() => checkSqlcConfig(text, policy(), 'db/sqlc.yaml')).toThrow(
      /^db\/sqlc\.yaml: sql\[0\]\.database is refused: sqlc would connect to it \(expanding \$\{ENV\} in its URI\) from the backend; remove it: sqlc generate and vet work from the schema files$/,
    );
  });

  it('refuses servers (managed databases are created there)', () => {
    const text = `version: "2"\nservers:\n  - engine: postgresql\n    uri: postgresql://x@h/db\n${SQL}`;
    expect(() => checkSqlcConfig(text, policy())).toThrow(
      /^sqlc\.yaml: servers is refused: sqlc would connect/,
    );
  });
});

describe('resolveSqlcProcessPlugins', () => {
  it('resolves names in the tools directory and keeps absolute paths, real paths only', () => {
    const dir = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'gp-sqlc-allow-')),
    );
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.writeFileSync(path.join(dir, 'bin/p'), '', { mode: 0o755 });
      fs.symlinkSync(path.join(dir, 'bin/p'), path.join(dir, 'link'));
      expect(
        resolveSqlcProcessPlugins(
          ['p', path.join(dir, 'link'), 'missing'],
          dir,
        ),
      ).toEqual([path.join(dir, 'bin/p'), path.join(dir, 'bin/p')]);
      expect(() => resolveSqlcProcessPlugins(['bin/p'], dir)).toThrow(
        'goldenPath.tools.sqlcProcessPlugins: "bin/p" must be an absolute path or the name of a program in the tools directory\'s bin',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
