import { execFileSync } from 'node:child_process';

/** git in `dir` as the team (real git, no global or system config). */
export function teamGit(dir: string) {
  return (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=team', '-c', 'user.email=team@localhost', ...args],
      {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
        },
      },
    );
}

/** Makes `dir` a git repository with everything in it committed on main, as local publish leaves a monorepo. */
export function commitAll(dir: string, message = 'initial') {
  const git = teamGit(dir);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', message);
  return git;
}
