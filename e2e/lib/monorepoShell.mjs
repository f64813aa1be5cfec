// The team's shell in a monorepo published locally: the repository's pinned
// tools and Go first on PATH, and git committing as the team.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './processes.mjs';
import { GOFLAGS } from './goFlags.mjs';

const run = promisify(execFile);
const TOOLS = join(ROOT, '.tools/bin');

/** `sh` (cwd defaults to `mono`), `git` as the team, `gitChanges` (the files changed or new since the last commit, sorted), `reviewBranch` and `mergeBranch` (a change a task committed on a branch, as a pull request's reviewer), `bufBreakingAgainstHead`, `checkGoService` and `integrationTestsVerbose`. */
export function monorepoShell(mono) {
  const env = {
    ...process.env,
    PATH: `${TOOLS}:/usr/local/go/bin:${process.env.PATH}`,
    GOFLAGS,
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
  /**
   * A change a task published locally as a commit on the new branch `branch`
   * (day-2 and upgrade templates), looked at as a pull request's reviewer
   * would: the task left the working tree clean and main checked out, and the
   * branch is one commit on top of main. Checks the branch out and resolves
   * with the files the commit changes (sorted); main stays where it was, so
   * bufBreakingAgainstHead compares against the monorepo before the change.
   */
  const reviewBranch = async branch => {
    assert.deepEqual(await gitChanges(), [], 'the task left loose edits');
    assert.equal(
      (await git('symbolic-ref', '--short', 'HEAD')).stdout.trim(),
      'main',
      'the task changed the checked-out branch',
    );
    assert.equal(
      (await git('rev-list', '--count', `main..${branch}`)).stdout.trim(),
      '1',
      `${branch} is not one commit on top of main`,
    );
    const files = (await git('diff', '--name-only', `main...${branch}`)).stdout
      .split('\n')
      .filter(Boolean)
      .sort();
    await git('checkout', '-q', branch);
    return files;
  };
  /** Merges the reviewed `branch` into main (fast-forward), as merging its pull request would, and checks main out. */
  const mergeBranch = async branch => {
    await git('checkout', '-q', 'main');
    await git('merge', '-q', '--ff-only', branch);
  };
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
    // go test reports its failures on stdout, which a failed command's error
    // leaves out: the failing packages' lines go into the message
    const r = await sh(
      'go',
      ['test', '-race', '-count=1', ...tests],
      svc,
    ).catch(e => {
      const failing = `${e.stdout ?? ''}`
        .split('\n')
        .filter(l => !/^(ok|\?)\s/.test(l))
        .slice(-150)
        .join('\n');
      throw new Error(
        `go test -race ${tests.join(' ')} failed in ${service}:\n${failing}\n${
          e.stderr ?? ''
        }`,
      );
    });
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
    reviewBranch,
    mergeBranch,
    bufBreakingAgainstHead,
    checkGoService,
    integrationTestsVerbose,
  };
}
