// `golden-path tools install --dir`: the pinned CLIs for a backend host or
// image, built the way a team outside this repository gets them. The real
// command installs into a temporary directory (Go's module and build caches
// and npm's cache are the machine's own, so a warm run takes seconds), each
// installed binary is run, a second run only checks versions, the packed CLI
// tarball carries the Go sources and builds from them, and bad input gets one
// clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './lib/processes.mjs';

const exec = promisify(execFile);
const CLI = join(ROOT, 'packages/cli');
const versions = Object.fromEntries(
  readFileSync(join(ROOT, 'tools/versions.env'), 'utf8')
    .split('\n')
    .map(l => /^([A-Z0-9_]+)=(\S+)$/.exec(l))
    .filter(Boolean)
    .map(m => [m[1], m[2]]),
);

async function run(cmd, args, opts = {}) {
  try {
    const r = await exec(cmd, args, {
      timeout: 600_000,
      maxBuffer: 16 << 20,
      ...opts,
    });
    return { code: 0, ...r };
  } catch (e) {
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const cli = args => run(join(CLI, 'bin/golden-path'), args, { cwd: CLI });

const scratch = mkdtempSync(join(tmpdir(), 'gp-tools-install-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

const TOOLS = [
  ['buf', ['--version'], versions.BUF_VERSION],
  ['sqlc', ['version'], versions.SQLC_VERSION],
  ['protoc-gen-go', ['--version'], versions.PROTOC_GEN_GO_VERSION],
  [
    'protoc-gen-go-grpc',
    ['--version'],
    versions.PROTOC_GEN_GO_GRPC_VERSION.replace(/^v/, ''),
  ],
  ['atlas', ['version'], 'atlas version v'],
];

test('installs the pinned tools, each runs, and a second run only checks', async () => {
  const dir = join(scratch, 'tools');
  const first = await cli(['tools', 'install', '--dir', dir]);
  assert.equal(first.code, 0, first.stderr);
  const lines = first.stdout.trim().split('\n');
  assert.equal(lines.length, 7, first.stdout);
  for (const [tool] of [...TOOLS, ['golden-path-launcher']])
    assert.match(first.stdout, new RegExp(`^${tool} +\\S.* installed$`, 'm'));
  assert.match(
    lines[6],
    new RegExp(
      `^tools ready in ${dir}/bin: set goldenPath.tools.dir to ${dir}$`,
    ),
  );

  for (const [tool, args, want] of TOOLS) {
    const r = await run(join(dir, 'bin', tool), args);
    assert.equal(r.code, 0, `${tool}: ${r.stderr}`);
    assert.ok(r.stdout.includes(want), `${tool} printed ${r.stdout}`);
  }
  // The launcher serves the backend over stdin: closed stdin, clean exit.
  const launcher = await run('sh', [
    '-c',
    'exec "$0" </dev/null',
    join(dir, 'bin/golden-path-launcher'),
  ]);
  assert.equal(launcher.code, 0, launcher.stderr);
  // buf really works: it lints a proto.
  const proto = join(scratch, 'proto');
  await run('mkdir', ['-p', join(proto, 'shop/v1')]);
  writeFileSync(join(proto, 'buf.yaml'), 'version: v2\n');
  writeFileSync(
    join(proto, 'shop/v1/shop.proto'),
    'syntax = "proto3";\npackage shop.v1;\nmessage Order { string id = 1; }\n',
  );
  const lint = await run(join(dir, 'bin/buf'), ['build'], { cwd: proto });
  assert.equal(lint.code, 0, lint.stderr);

  const started = Date.now();
  const second = await cli(['tools', 'install', '--dir', dir]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout.match(/ up to date$/gm)?.length, 6, second.stdout);
  assert.doesNotMatch(second.stdout, / installed$/m);
  assert.ok(Date.now() - started < 20_000, 'the second run only checks');
});

test('the packed CLI carries the pinned Go sources and builds from them', async () => {
  const tgz = join(scratch, 'cli.tgz');
  const yarnPath = /^yarnPath: *(\S+)/m.exec(
    readFileSync(join(ROOT, '.yarnrc.yml'), 'utf8'),
  )[1];
  const packed = await run(
    process.execPath,
    [join(ROOT, yarnPath), 'pack', '-o', tgz],
    { cwd: CLI, env: { ...process.env, YARN_ENABLE_TELEMETRY: '0' } },
  );
  assert.equal(packed.code, 0, packed.stdout + packed.stderr);
  const list = (await run('tar', ['tzf', tgz])).stdout.split('\n');
  for (const f of [
    'package/toolchain/versions.env',
    'package/toolchain/go/go.mod',
    'package/toolchain/go/go.sum',
    'package/toolchain/atlas/go.mod',
    'package/toolchain/atlas/main.go',
    'package/toolchain/launcher/main.go',
    'package/bin/golden-path',
  ])
    assert.ok(list.includes(f), `${f} is in the tarball`);
  assert.ok(!list.some(f => f.endsWith('_test.go')), 'no Go tests are packed');
  assert.deepEqual(
    readdirSync(CLI).filter(f => f === 'toolchain'),
    [],
    'postpack removes the copied sources',
  );
  const unpacked = join(scratch, 'unpacked');
  await run('mkdir', ['-p', unpacked]);
  await run('tar', ['xzf', tgz, '-C', unpacked]);
  const manifest = JSON.parse(
    readFileSync(join(unpacked, 'package/package.json'), 'utf8'),
  );
  assert.equal(manifest.main, 'dist/index.cjs.js');

  // Build from the tarball's sources (found as the packed CLI finds them).
  const dir = join(scratch, 'from-tarball');
  const script = `
    require('@backstage/cli/config/nodeTransform.cjs');
    const { installTools } = require('./src/tools/installTools.ts');
    const { findToolSources } = require('./src/tools/toolSources.ts');
    const sources = findToolSources(${JSON.stringify(
      join(unpacked, 'package/dist'),
    )});
    installTools({ dir: ${JSON.stringify(
      dir,
    )}, sources, log: l => console.log(l) });
    console.log('sources ' + sources.dir);`;
  const r = await run(process.execPath, ['-e', script], { cwd: CLI });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(`^sources ${unpacked}/package/toolchain$`, 'm'),
  );
  assert.match(r.stdout, /^atlas +v\S+ +installed$/m);
  assert.match(r.stdout, /^golden-path-launcher +.* installed$/m);
});

test('bad input: one clear line each', async () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'not a directory\n');
  const cases = [
    [
      ['--dir', file],
      /^golden-path tools install: --dir .*a-file is not a directory: pass a directory/,
    ],
    [
      ['--dir', '/sys/golden-path-tools'],
      /^golden-path tools install: cannot write \/sys\/golden-path-tools\/bin \(E\w+\): pass a --dir this user can write/,
    ],
    [
      ['--dir', ''],
      /^golden-path tools install: --dir is empty: pass the tools directory$/,
    ],
    [['--dir', file, '--force'], /^error: unknown option '--force'$/],
    [[], /^error: required option '--dir <dir>' not specified$/],
  ];
  for (const [args, want] of cases) {
    const r = await cli(['tools', 'install', ...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: exit ${r.code}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0], want);
    assert.equal(r.stdout, '');
  }
});
