import fs from 'node:fs';
import path from 'node:path';
import * as actions from '../actions';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import {
  BUF_YAML,
  GOOD_PROTO,
  GOOD_QUERIES,
  SCHEMA_SQL,
  protoWorkspace,
  sqlcWorkspace,
} from '../__testUtils__/fixtures';

/**
 * Bad input: each case is a failed step with a specific message, and nothing
 * outside the task workspace is read into the output or written.
 */

type Case = [
  string,
  (s: ReturnType<typeof makeSandbox>) => any,
  Record<string, unknown>,
  Record<string, string>,
  RegExp,
];

const settings = testSettings();
const deps = { settings };
const factories: Record<string, () => any> = {
  'buf:lint': () => actions.createBufLintAction(deps),
  'buf:build': () => actions.createBufBuildAction(deps),
  'buf:generate': () => actions.createBufGenerateAction(deps),
  'buf:breaking': () => actions.createBufBreakingAction(deps),
  'sqlc:generate': () => actions.createSqlcGenerateAction(deps),
  'sqlc:vet': () => actions.createSqlcVetAction(deps),
  'atlas:migrate:hash': () => actions.createAtlasMigrateHashAction(deps),
  'atlas:migrate:diff': () => actions.createAtlasMigrateDiffAction(deps),
  'atlas:migrate:validate': () =>
    actions.createAtlasMigrateValidateAction(deps),
};

const BAD_PATHS: [string, RegExp][] = [
  ['../x', /points outside the task workspace/],
  ['a/../../x', /points outside the task workspace/],
  ['/etc', /is absolute/],
  ['C:/Windows', /names a drive/],
  ['..\\..\\etc', /contains a backslash/],
  ['api\0', /contains a NUL byte/],
  ['escape', /leads outside the task workspace/],
  ['chain/deeper', /leads outside the task workspace/],
  ['dangling', /dangling symlink/],
];

const links = (s: ReturnType<typeof makeSandbox>) => {
  fs.symlinkSync(s.outside, path.join(s.workspace, 'escape'));
  fs.symlinkSync('escape', path.join(s.workspace, 'chain'));
  fs.symlinkSync(
    path.join(s.root, 'nowhere'),
    path.join(s.workspace, 'dangling'),
  );
};

const pathCases: Case[] = [];
for (const id of [
  'buf:lint',
  'buf:build',
  'buf:generate',
  'sqlc:generate',
  'sqlc:vet',
  'atlas:migrate:hash',
]) {
  for (const [p, message] of BAD_PATHS) {
    pathCases.push([
      `${id} workingDirectory ${JSON.stringify(p)}`,
      links,
      { workingDirectory: p },
      {},
      message,
    ]);
  }
}

const GEN = (plugins: string) => `version: v2\nplugins:\n${plugins}`;
const configCases: Case[] = [
  [
    'buf:generate remote plugin',
    () => 0,
    { workingDirectory: 'p' },
    {
      'p/buf.gen.yaml': GEN(
        '  - remote: buf.build/protocolbuffers/go\n    out: gen\n',
      ),
    },
    /remote plugins need the network/,
  ],
  [
    'buf:generate remote plugin through a merge key',
    () => 0,
    { workingDirectory: 'p' },
    {
      'p/buf.gen.yaml': GEN(
        '  - <<: {remote: buf.build/protocolbuffers/go}\n    local: protoc-gen-go\n    out: gen\n',
      ),
    },
    /remote plugins need the network/,
  ],
  [
    'buf:generate local plugin by path',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.gen.yaml': GEN('  - local: ./evil.sh\n    out: gen\n') },
    /"\.\/evil\.sh" is not an allowed plugin/,
  ],
  [
    'buf:generate local plugin as a command line',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.gen.yaml': GEN('  - local: [sh, -c, "id"]\n    out: gen\n') },
    /must be one plugin name/,
  ],
  [
    'buf:generate unknown plugin name',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.gen.yaml': GEN('  - local: protoc-gen-evil\n    out: gen\n') },
    /"protoc-gen-evil" is not an allowed plugin/,
  ],
  [
    'buf:generate protoc builtin',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.gen.yaml': GEN('  - protoc_builtin: cpp\n    out: gen\n') },
    /protoc_builtin is refused/,
  ],
  [
    'buf:generate output outside the workspace',
    () => 0,
    { workingDirectory: 'p' },
    {
      'p/buf.gen.yaml': GEN(
        '  - local: protoc-gen-go\n    out: ../../outside\n',
      ),
    },
    /points outside the task workspace/,
  ],
  [
    'buf:generate git input',
    () => 0,
    { workingDirectory: 'p' },
    {
      'p/buf.gen.yaml': `${GEN(
        '  - local: protoc-gen-go\n    out: gen\n',
      )}inputs:\n  - git_repo: https://example.com/x.git\n`,
    },
    /inputs\[0\]\.git_repo is refused/,
  ],
  [
    'buf:generate v1 config',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.gen.yaml': 'version: v1\nplugins: []\n' },
    /version must be v2/,
  ],
  [
    'buf:generate malformed YAML',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.gen.yaml': 'version: v2\nplugins: [\n' },
    /is not valid YAML/,
  ],
  [
    'buf:generate missing buf.gen.yaml',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/x.proto': GOOD_PROTO },
    /no buf\.gen\.yaml in p/,
  ],
  [
    'buf:lint BSR deps',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.yaml': `${BUF_YAML}deps:\n  - buf.build/googleapis/googleapis\n` },
    /deps are refused/,
  ],
  [
    'buf:lint check plugin',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.yaml': `${BUF_YAML}plugins:\n  - plugin: ./lint-evil\n` },
    /not an allowed check plugin/,
  ],
  [
    'buf:lint check plugin in the buf.yaml above the working directory (buf looks upwards)',
    () => 0,
    { workingDirectory: 'p' },
    {
      'buf.yaml':
        'version: v2\nmodules:\n  - path: p\nplugins:\n  - plugin: [bash, x/run.txt]\n',
      'x/run.txt': 'touch /tmp/pwned\n',
      'p/a/v1/a.proto': GOOD_PROTO,
    },
    /^buf\.yaml: plugins\[0\]\.plugin \["bash","x\/run\.txt"\] is not an allowed check plugin \(allowed: .*goldenPath\.tools\.allowedPlugins\)$/,
  ],
  [
    'buf:breaking check plugin two directories above the against directory',
    () => 0,
    { workingDirectory: 'p', againstDirectory: 'old/v1/proto' },
    {
      'p/buf.yaml': BUF_YAML,
      'p/x.proto': GOOD_PROTO,
      'old/buf.yaml': `${BUF_YAML}plugins:\n  - plugin: ./lint-evil\n`,
      'old/v1/proto/x.proto': GOOD_PROTO,
    },
    /^old\/buf\.yaml: plugins\[0\]\.plugin "\.\/lint-evil" is not an allowed check plugin/,
  ],
  [
    'buf:generate BSR deps in the buf.yaml above an input directory',
    () => 0,
    { workingDirectory: 'p' },
    {
      'p/buf.gen.yaml':
        'version: v2\ninputs:\n  - directory: ../q/r\nplugins:\n  - local: protoc-gen-go\n    out: gen\n',
      'q/buf.yaml': `${BUF_YAML}deps:\n  - buf.build/googleapis/googleapis\n`,
      'q/r/x.proto': GOOD_PROTO,
    },
    /^q\/buf\.yaml: deps are refused/,
  ],
  [
    'buf:lint check plugin in a module a buf.work.yaml lists',
    () => 0,
    { workingDirectory: 'p' },
    {
      'buf.work.yaml': 'version: v1\ndirectories: [p, m]\n',
      'p/x.proto': GOOD_PROTO,
      'm/buf.yaml': `${BUF_YAML}plugins:\n  - plugin: ./lint-evil\n`,
    },
    /^m\/buf\.yaml: plugins\[0\]\.plugin "\.\/lint-evil" is not an allowed check plugin/,
  ],
  [
    'buf:lint a buf.work.yaml listing a directory outside the workspace',
    () => 0,
    { workingDirectory: 'p' },
    {
      'buf.work.yaml': 'version: v1\ndirectories: [../..]\n',
      'p/x.proto': GOOD_PROTO,
    },
    /buf\.work\.yaml directories\[0\].*points outside the task workspace/,
  ],
  [
    'buf:lint a buf.work.yaml whose directories are not a list',
    () => 0,
    { workingDirectory: 'p' },
    {
      'buf.work.yaml': 'version: v1\ndirectories: p\n',
      'p/x.proto': GOOD_PROTO,
    },
    /^buf\.work\.yaml: directories must be a list of module directories$/,
  ],
  [
    'sqlc:generate a sqlc.yaml of 17 KB whose aliases stand for 160,000 paths',
    () => 0,
    { workingDirectory: 'd' },
    {
      'd/sqlc.yaml': `version: "2"\nsql:\n  - &e {engine: postgresql, queries: q.sql, gen: {go: {package: db, out: gen}}, schema: [${Array.from(
        { length: 400 },
        (_, i) => `s${i}.sql`,
      ).join(', ')}]}\n${'  - *e\n'.repeat(399)}`,
    },
    /^d\/sqlc\.yaml expands to more than 100,000 values through YAML aliases/,
  ],
  [
    'buf:lint malformed buf.yaml',
    () => 0,
    { workingDirectory: 'p' },
    { 'p/buf.yaml': 'version: [v2\n' },
    /buf\.yaml is not valid YAML/,
  ],
  [
    'buf:breaking without a baseline',
    () => 0,
    { workingDirectory: 'api/proto' },
    protoWorkspace(GOOD_PROTO),
    /exactly one of againstDirectory or againstGitRef/,
  ],
  [
    'buf:breaking git ref injection',
    () => 0,
    { workingDirectory: 'api/proto', againstGitRef: 'main,subdir=../../' },
    protoWorkspace(GOOD_PROTO),
    /is not a branch or tag name/,
  ],
  [
    'sqlc:generate process plugin',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      'version: "2"\nplugins:\n  - name: evil\n    process:\n      cmd: /bin/sh\nsql: []\n',
    ),
    /plugins\[0\]\.process\.cmd "\/bin\/sh" is refused: it runs \/\S+, which is not an allowed sqlc plugin program/,
  ],
  [
    'sqlc:generate process plugin through a merge key',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      'version: "2"\nplugins:\n  - name: evil\n    <<: {process: {cmd: /bin/sh}}\nsql: []\n',
    ),
    /plugins\[0\]\.process\.cmd "\/bin\/sh" is refused: it runs \/\S+, which is not an allowed sqlc plugin program/,
  ],
  [
    'sqlc:generate wasm plugin',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      'version: "2"\nplugins:\n  - name: py\n    wasm:\n      url: https://example.com/p.wasm\n      sha256: abc\nsql: []\n',
    ),
    /plugins\[0\]\.wasm is refused: WASM plugins are downloaded by URL/,
  ],
  [
    'sqlc:generate cloud',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      'version: "2"\ncloud:\n  project: x\nsql: []\n',
    ),
    /cloud is refused/,
  ],
  [
    'sqlc:generate schema outside the workspace',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      'version: "2"\nsql:\n  - engine: postgresql\n    schema: ../../../outside/sentinel.txt\n    queries: queries\n    gen:\n      go:\n        package: x\n        out: gen\n',
    ),
    /schema.*points outside the task workspace/,
  ],
  [
    'sqlc:generate output outside the workspace',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      'version: "2"\nsql:\n  - engine: postgresql\n    schema: schema/schema.sql\n    queries: queries\n    gen:\n      go:\n        package: x\n        out: ../../../outside\n',
    ),
    /gen\.go\.out.*points outside the task workspace/,
  ],
  [
    'sqlc:generate JSON output outside the workspace',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      'version: "2"\nsql:\n  - engine: postgresql\n    schema: schema/schema.sql\n    queries: queries\n    gen:\n      json:\n        out: ../../../outside/pwned\n',
    ),
    /gen\.json\.out.*points outside the task workspace/,
  ],
  [
    'sqlc:generate version 1 config',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, 'version: "1"\npackages: []\n'),
    /version must be "2"/,
  ],
  [
    'sqlc:generate malformed sqlc.yaml',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, 'version: "2"\nsql: [\n'),
    /sqlc\.yaml is not valid YAML/,
  ],
  [
    'sqlc:generate missing sqlc.yaml',
    () => 0,
    { workingDirectory: 'svc' },
    { 'svc/schema.sql': SCHEMA_SQL },
    /no sqlc\.yaml in svc/,
  ],
  [
    'atlas:migrate:hash data "external" in atlas.hcl',
    () => 0,
    { workingDirectory: 'db' },
    {
      'db/atlas.hcl': 'data "external" "x" {\n  program = ["sh"]\n}\n',
      'db/migrations/1_a.sql': 'select 1;',
    },
    /atlas\.hcl:1: the block data "external" "x" is refused/,
  ],
  [
    'atlas:migrate:hash external_schema',
    () => 0,
    { workingDirectory: 'db' },
    {
      'db/atlas.hcl': 'data "external_schema" "orm" {\n}\n',
      'db/migrations/1_a.sql': 'select 1;',
    },
    /data "external_schema" "orm" is refused/,
  ],
  [
    'atlas:migrate:hash getenv',
    () => 0,
    { workingDirectory: 'db' },
    {
      'db/atlas.hcl': 'env "local" {\n  url = getenv("DATABASE_URL")\n}\n',
      'db/migrations/1_a.sql': 'select 1;',
    },
    /the function call getenv\(\) in env\.url is refused/,
  ],
  [
    'atlas:migrate:hash runtimevar',
    () => 0,
    { workingDirectory: 'db' },
    {
      'db/atlas.hcl':
        'data "runtimevar" "pass" {\n  url = "gcpsecretmanager://x"\n}\n',
      'db/migrations/1_a.sql': 'select 1;',
    },
    /data "runtimevar" "pass" is refused/,
  ],
  [
    'atlas:migrate:hash data "external" behind a comment',
    () => 0,
    { workingDirectory: 'db' },
    {
      'db/atlas.hcl': 'data /* c */ "external" "x" {\n  program = ["sh"]\n}\n',
      'db/migrations/1_a.sql': 'select 1;',
    },
    /atlas\.hcl:1: the block data "external" "x" is refused/,
  ],
  [
    'atlas:migrate:hash dir outside',
    () => 0,
    { workingDirectory: 'db', dir: '../../outside' },
    { 'db/x': '' },
    /points outside the task workspace/,
  ],
  [
    'atlas:migrate:diff bad name',
    () => 0,
    { workingDirectory: 'db', to: 'schema.sql', name: 'Init; DROP' },
    { 'db/schema.sql': SCHEMA_SQL },
    /name "Init; DROP" must be lowercase/,
  ],
  [
    'atlas:migrate:diff schema outside',
    () => 0,
    { workingDirectory: 'db', to: '../../outside/sentinel.txt', name: 'init' },
    { 'db/x': '' },
    /to "\.\.\/outside\/sentinel\.txt" points outside/,
  ],
];

/** Issue 14: the inputs that got through, each refused at its root before a tool runs. */
const SQLC_SQL =
  'sql:\n  - engine: postgresql\n    schema: schema/schema.sql\n    queries: queries\n';
const sqlcProcess = (name: string, cmd: string) =>
  `version: "2"\nplugins:\n  - name: ${name}\n    process:\n      cmd: ${cmd}\n${SQLC_SQL}    codegen:\n      - plugin: ${name}\n        out: gen\n`;
const sqlcDatabase = (database: string) =>
  `version: "2"\n${SQLC_SQL}    database:\n${database}`;
const genSh = (s: ReturnType<typeof makeSandbox>) =>
  fs.writeFileSync(
    path.join(s.workspace, 'svc/db/gen.sh'),
    `#!/bin/sh\ncat >/dev/null\ntouch ${path.join(s.outside, 'ran')}\n`,
    { mode: 0o755 },
  );
const UP = '%2e%2e/%2e%2e/outside';
const HCL_DB = (hcl: string) => ({
  'db/atlas.hcl': hcl,
  'db/migrations/1_a.sql': 'select 1;',
});
const issue14Cases: Case[] = [
  [
    'sqlc:generate process cmd ./gen.sh under the allowed name protoc-gen-go',
    genSh,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, sqlcProcess('protoc-gen-go', './gen.sh')),
    /process\.cmd "\.\/gen\.sh" is refused: it runs a program of the workspace/,
  ],
  [
    'sqlc:vet process cmd ./gen.sh under the allowed name protoc-gen-go-grpc',
    genSh,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, sqlcProcess('protoc-gen-go-grpc', './gen.sh')),
    /process\.cmd "\.\/gen\.sh" is refused/,
  ],
  [
    'sqlc:generate process cmd sh (a system program by name)',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, sqlcProcess('protoc-gen-go', 'sh')),
    /process\.cmd "sh" is refused: it runs \/\S+, which is not an allowed sqlc plugin program/,
  ],
  [
    'sqlc:generate process cmd a/../gen.sh',
    genSh,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, sqlcProcess('x', 'a/../gen.sh')),
    /process\.cmd "a\/\.\.\/gen\.sh" is refused: it runs a program of the workspace/,
  ],
  [
    'sqlc:generate database uri to a local server',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      sqlcDatabase(
        '      uri: postgresql://postgres@127.0.0.1:5432/postgres\n',
      ),
    ),
    /svc\/db\/sqlc\.yaml: sql\[0\]\.database is refused: sqlc would connect to it/,
  ],
  [
    'sqlc:vet database uri from ${ENV}',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, sqlcDatabase('      uri: ${DATABASE_URL}\n')),
    /sql\[0\]\.database is refused/,
  ],
  [
    'sqlc:generate database sqlite file outside',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      sqlcDatabase('      uri: file:../../../outside/x.db\n'),
    ),
    /sql\[0\]\.database is refused/,
  ],
  [
    'sqlc:generate database managed',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(GOOD_QUERIES, sqlcDatabase('      managed: true\n')),
    /sql\[0\]\.database is refused/,
  ],
  [
    'sqlc:generate servers',
    () => 0,
    { workingDirectory: 'svc/db' },
    sqlcWorkspace(
      GOOD_QUERIES,
      `version: "2"\nservers:\n  - engine: postgresql\n    uri: postgresql://x@127.0.0.1/db\n${SQLC_SQL}`,
    ),
    /servers is refused: sqlc would connect/,
  ],
  [
    'buf:breaking againstDirectory with buf input options',
    () => 0,
    {
      workingDirectory: 'api/proto',
      againstDirectory: '.git#format=git,branch=main,recurse_submodules=true',
    },
    protoWorkspace(GOOD_PROTO),
    /againstDirectory "\.git#format=git,branch=main,recurse_submodules=true" is refused: "#" starts buf input options/,
  ],
  [
    'buf:breaking againstDirectory with a # in its name',
    () => 0,
    { workingDirectory: 'api/proto', againstDirectory: 'prev#1' },
    { ...protoWorkspace(GOOD_PROTO), 'prev#1/buf.yaml': BUF_YAML },
    /againstDirectory "prev#1" is refused: "#" starts buf input options/,
  ],
  [
    'buf:breaking working directory that would add a git option',
    () => 0,
    { workingDirectory: 'api,recurse_submodules=true', againstGitRef: 'main' },
    {
      'api,recurse_submodules=true/buf.yaml': BUF_YAML,
      'api,recurse_submodules=true/a.proto': GOOD_PROTO,
      '.git/HEAD': 'ref: refs/heads/main\n',
    },
    /its subdir "api,recurse_submodules=true" holds one; rename the directory/,
  ],
  [
    'buf:generate input directory outside the workspace',
    () => 0,
    { workingDirectory: 'p' },
    {
      'p/buf.gen.yaml': `${GEN(
        '  - local: protoc-gen-go\n    out: gen\n',
      )}inputs:\n  - directory: ../../outside\n`,
    },
    /inputs\[0\]\.directory.*points outside the task workspace/,
  ],
  [
    'atlas:migrate:hash percent-encoded dir',
    () => 0,
    { workingDirectory: 'db', dir: UP },
    { 'db/migrations/1_a.sql': 'select 1;', '../outside/1_a.sql': 'select 1;' },
    /dir "%2e%2e\/%2e%2e\/outside" is not a directory in db/,
  ],
  [
    'atlas:migrate:validate percent-encoded dir',
    () => 0,
    { workingDirectory: 'db', dir: UP },
    { 'db/migrations/1_a.sql': 'select 1;', '../outside/1_a.sql': 'select 1;' },
    /dir "%2e%2e\/%2e%2e\/outside" is not a directory in db/,
  ],
  [
    'atlas:migrate:hash atlas.hcl heredoc',
    () => 0,
    { workingDirectory: 'db' },
    HCL_DB('env "local" {\n  url = <<EOT\n${getenv("X")}\nEOT\n}\n'),
    /db\/atlas\.hcl:2: a heredoc \(<<\) is refused/,
  ],
  [
    'atlas:migrate:hash atlas.hcl interpolation',
    () => 0,
    { workingDirectory: 'db' },
    HCL_DB('env "local" {\n  url = "postgres://${getenv("U")}@h/db"\n}\n'),
    /the interpolation \$\{…\} in a string is refused/,
  ],
  [
    'atlas:migrate:hash atlas.hcl function call behind a comment',
    () => 0,
    { workingDirectory: 'db' },
    HCL_DB('env "local" {\n  url = getenv /* x */ ("DATABASE_URL")\n}\n'),
    /the function call getenv\(\) in env\.url is refused/,
  ],
  [
    'atlas:migrate:validate atlas.hcl docker block',
    () => 0,
    { workingDirectory: 'db' },
    HCL_DB('docker "postgres" "dev" {\n  image = "postgres:17"\n}\n'),
    /the block docker "postgres" "dev" is refused/,
  ],
  [
    'atlas:migrate:diff atlas.hcl exec in an env',
    () => 0,
    { workingDirectory: 'db', to: 'schema.sql', name: 'init' },
    {
      ...HCL_DB('env "local" {\n  exec {\n    src = "x"\n  }\n}\n'),
      'db/schema.sql': SCHEMA_SQL,
    },
    /the block env > exec is refused/,
  ],
  [
    'atlas:migrate:hash atlas.hcl data source after an unterminated comment',
    () => 0,
    { workingDirectory: 'db' },
    HCL_DB('env "x" {\n}\n/* data "external" "x" {}\n'),
    /an unterminated \/\* comment is refused/,
  ],
];

const idOf = (name: string) => name.split(' ')[0];

describe('bad input corpus', () => {
  const all = [...pathCases, ...configCases, ...issue14Cases];

  it('has at least 60 cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
  });

  it.each(all)('%s', async (_name, prepare, input, files, message) => {
    const s = makeSandbox(files);
    try {
      prepare(s);
      const before = s.outsideListing();
      const { ctx } = actionContext(s.workspace, input);
      await expect(factories[idOf(_name)]().handler(ctx)).rejects.toThrow(
        message,
      );
      expect(s.outsideListing()).toEqual(before);
      expect(
        fs.readFileSync(path.join(s.outside, 'sentinel.txt'), 'utf8'),
      ).toBe('untouched');
    } finally {
      s.cleanup();
    }
  });
});
