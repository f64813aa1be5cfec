// The team's shell in a monorepo published locally: the repository's pinned
// tools and Go first on PATH, and git committing as the team.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './processes.mjs';

const run = promisify(execFile);
const TOOLS = join(ROOT, '.tools/bin');

/** `sh` (cwd defaults to `mono`), `git` as the team, `gitChanges` (the files changed or new since the last commit, sorted), `bufBreakingAgainstHead`, `checkGoService` and `integrationTestsVerbose`. */
export function monorepoShell(mono) {
  const env = {
    ...process.env,
    PATH: `${TOOLS}:/usr/local/go/bin:${process.env.PATH}`,
    GOFLAGS: '',
    GOTOOLCHAIN: 'local',
  };
  const sh = (cmd, args, cwd = mono) =>
    run(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  const git = (...args) =>
    sh('git', [
      '-c',
      'user.name=team',
      '-c',
      'user.email=team@localhost',
      ...args,
    ]);
  const gitChanges = async () =>
    (await git('status', '--porcelain', '--untracked-files=all')).stdout
      .split('\n')
      .filter(Boolean)
      .map(l => l.slice(3))
      .sort();
  /** buf breaking: the monorepo's API against the previous commit's. */
  const bufBreakingAgainstHead = async () => {
    await sh(
      join(TOOLS, 'buf'),
      ['breaking', '--against', '../../.git#branch=main,subdir=api/proto'],
      join(mono, 'api/proto'),
    );
  };
  /**
   * gofmt, go mod tidy, build and vet of the service at `service` (relative to
   * the monorepo), in the monorepo's go.work; then `go test -race` of the
   * `tests` given, if any: their output is printed as TAP comments and returned.
   */
  const checkGoService = async (service, tests) => {
    const svc = join(mono, service);
    const gofmt = await sh('gofmt', ['-l', service]);
    assert.equal(gofmt.stdout, '', `gofmt -l lists files:\n${gofmt.stdout}`);
    await sh('go', ['mod', 'tidy', '-diff'], svc);
    await sh('go', ['build', './...'], svc);
    await sh('go', ['vet', './...'], svc);
    if (!tests) return '';
    const r = await sh('go', ['test', '-race', '-count=1', ...tests], svc);
    process.stdout.write(r.stdout.replace(/^/gm, '# '));
    return r.stdout;
  };
  /** `go test -race -v` of the integration tests of `service` matching `pattern`; resolves with the command's output. */
  const integrationTestsVerbose = (service, pattern) =>
    sh(
      'go',
      [
        'test',
        '-race',
        '-count=1',
        '-v',
        '-run',
        pattern,
        './tests/integration/',
      ],
      join(mono, service),
    );
  return {
    sh,
    git,
    gitChanges,
    bufBreakingAgainstHead,
    checkGoService,
    integrationTestsVerbose,
  };
}
