// The bench scripts' command lines (bench/lib/options.mjs), those of bench/
// and the packages' own: --help prints the usage; a wrong argument is refused
// with one line naming it, before any backend, database or fleet is made.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './lib/processes.mjs';

// A package's bench runs from the package (bench/<name>.bench.cjs there).
const PACKAGE_BENCHES = {
  'insights.bench.cjs': 'plugins/golden-path-backend',
  'actions.bench.cjs': 'plugins/scaffolder-backend-module-golden-path',
};

const bench = (script, ...args) => {
  const cwd = join(ROOT, PACKAGE_BENCHES[script] ?? '.');
  const r = spawnSync(process.execPath, [join('bench', script), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const SCRIPTS = [
  'burst.mjs',
  'fleet.mjs',
  'insights-load.mjs',
  ...Object.keys(PACKAGE_BENCHES),
];

test('--help prints the usage of each bench script and exits 0', () => {
  for (const script of SCRIPTS) {
    const r = bench(script, '--help');
    assert.equal(r.code, 0, `${script}: ${r.err}`);
    assert.match(r.out, new RegExp(`^usage: .*node bench/${script}`));
  }
});

describe('bad input: bench command lines', () => {
  const cases = [
    ['burst.mjs', ['--bogus'], /Unknown option '--bogus'/],
    [
      'burst.mjs',
      ['--services', '13'],
      /--services 13 is not a whole number from 0 to 12/,
    ],
    [
      'burst.mjs',
      ['--concurrency', '0'],
      /--concurrency 0 is not a whole number from 1 up/,
    ],
    [
      'fleet.mjs',
      ['--port', '70000'],
      /--port 70000 is not a whole number from 1 to 65535/,
    ],
    ['fleet.mjs', ['--rounds'], /Option '--rounds <value>' argument missing/],
    ['fleet.mjs', ['extra'], /Unexpected argument 'extra'/],
    [
      'insights-load.mjs',
      ['--users', '2.5'],
      /--users 2\.5 is not a whole number/,
    ],
    [
      'insights-load.mjs',
      ['--json=yes'],
      /Option '--json' does not take an argument/,
    ],
    [
      'insights.bench.cjs',
      ['--services', 'x'],
      /--services x is not a whole number from 1 to 500/,
    ],
    ['insights.bench.cjs', ['50'], /Unexpected argument '50'/],
    ['actions.bench.cjs', ['--bogus'], /Unknown option '--bogus'/],
    [
      'actions.bench.cjs',
      ['--rss=abc'],
      /--rss abc is not a whole number from 0 to 16384/,
    ],
  ];
  for (const [script, args, why] of cases) {
    test(`${script} ${args.join(' ')}`, () => {
      const r = bench(script, ...args);
      assert.equal(r.code, 2, r.err);
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines.length, 1, `more than one line:\n${r.err}`);
      assert.match(lines[0], new RegExp(`^bench/${script}: `));
      assert.match(lines[0], why);
      assert.match(lines[0], /; usage: /);
    });
  }
});
