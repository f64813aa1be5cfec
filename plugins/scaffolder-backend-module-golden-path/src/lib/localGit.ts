import { InputError } from '@backstage/errors';
import {
  confinedRoot,
  locateBinary,
  runTool,
  ToolFailedError,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GoldenPathSettings } from './settings';
import { withFileLock } from './fileLock';
import { toolLaunch } from './toolLaunch';
import { toolSandbox } from './toolSandbox';

/** Options of the git runs on a local monorepo. */
export interface LocalGitOptions {
  settings: GoldenPathSettings;
  signal?: AbortSignal;
  /** Names the repository in messages (its localPath). */
  label: string;
}

/** A file of a commit: its path in the repository and where its content is. */
export interface CommitFile {
  path: string;
  source: string;
}

const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

/** The author and committer of the commits the actions make. */
const GOLDEN_PATH_AUTHOR = {
  GIT_AUTHOR_NAME: 'Golden Path',
  GIT_AUTHOR_EMAIL: 'golden-path@localhost',
  GIT_COMMITTER_NAME: 'Golden Path',
  GIT_COMMITTER_EMAIL: 'golden-path@localhost',
};

/** How many files one git command takes at most. */
const BATCH = 200;

/**
 * Writes each file's source (read unfiltered) into the repository's objects
 * through `hashObjects` (git hash-object -w of the sources given), BATCH
 * files a command; returns the `--cacheinfo` arguments that stage each file
 * at its path with its mode.
 */
async function hashFiles(
  files: CommitFile[],
  hashObjects: (sources: string[]) => Promise<string>,
): Promise<string[]> {
  const cacheinfo: string[] = [];
  for (let i = 0; i < files.length; i += BATCH) {
    const batch = files.slice(i, i + BATCH);
    const blobs = (await hashObjects(batch.map(f => f.source)))
      .trim()
      .split('\n');
    batch.forEach((f, j) => {
      const mode = fs.statSync(f.source).mode & 0o100 ? '100755' : '100644';
      cacheinfo.push('--cacheinfo', `${mode},${blobs[j]},${f.path}`);
    });
  }
  return cacheinfo;
}

/** Stages the files of `cacheinfo` (from {@link hashFiles}) through `updateIndex`, BATCH files a command. */
async function stageFiles(
  cacheinfo: string[],
  updateIndex: (args: string[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < cacheinfo.length; i += 2 * BATCH)
    await updateIndex([
      'update-index',
      '--add',
      ...cacheinfo.slice(i, i + 2 * BATCH),
    ]);
}

/** git ran and failed (not: git could not be run, e.g. no sandbox). */
class GitFailedError extends Error {}

/**
 * Runs git on the monorepo `repo` (an absolute directory under the local
 * publish root) without a shell, with no system or global config, no
 * repository discovery above it, neither hooks nor an fsmonitor of the
 * repository's own config, and no transport at all (a partial clone's lazy
 * fetch would run the repository's core.sshCommand); in the tool sandbox,
 * which may write only the repository's .git and a scratch directory. The
 * repository's filter drivers are switched off where git reads the working
 * tree ({@link cleanRepoState}); hash-object reads files unfiltered.
 */
async function git(
  repo: string,
  args: string[],
  o: LocalGitOptions & {
    env?: Record<string, string>;
    readable?: string[];
    scratch?: string;
    allowedExitCodes?: number[];
  },
): Promise<string> {
  const binary = locateBinary('git', {
    configuredPath: o.settings.binaries.git,
    configKey: 'goldenPath.tools.git',
  });
  const scratch =
    o.scratch ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gp-git-'));
  try {
    const result = await runTool({
      binary,
      args: [
        '-c',
        'safe.directory=*',
        '-c',
        'core.fsmonitor=false',
        '-c',
        'core.hooksPath=/dev/null',
        '-c',
        'protocol.allow=never',
        ...args,
      ],
      cwd: repo,
      env: {
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CEILING_DIRECTORIES: path.dirname(repo),
        GIT_TERMINAL_PROMPT: '0',
        GIT_OPTIONAL_LOCKS: '0',
        ...o.env,
      },
      pathDirs: [path.dirname(binary)],
      timeoutMs:
        o.settings.timeouts['golden-path:git'] ?? o.settings.defaultTimeoutMs,
      signal: o.signal,
      maxOutputBytes: 8 * 1024 * 1024,
      allowedExitCodes: o.allowedExitCodes,
      launch: toolLaunch(o.settings),
      sandbox: toolSandbox(o.settings),
      sandboxPaths: {
        writable: [path.join(repo, '.git'), scratch],
        readable: [repo, ...(o.readable ?? [])],
      },
    });
    return result.stdout;
  } catch (e) {
    if (e instanceof ToolFailedError) {
      throw new GitFailedError(
        `git ${args[0]} failed in ${o.label}: ${
          e.result.stderr.trim().split('\n')[0] || e.message
        }`,
      );
    }
    throw e;
  } finally {
    if (!o.scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** What a monorepo's git says before a change is made to it. */
export interface RepoState {
  /** The commit checked out. */
  head: string;
  /** The branch checked out ('' when detached). */
  branch: string;
}

/**
 * The commit checked out in `repo`, which must be a git repository of its own
 * (its .git a directory, not a link) with a commit; one line otherwise, saying
 * how the action's result `lands` in the repository and what to `rerun`.
 */
async function checkedOutCommit(
  repo: string,
  o: LocalGitOptions,
  say: { lands: string; rerun: string },
): Promise<string> {
  // lstat: a .git that is a symlink (or a gitdir file) would have git write elsewhere.
  if (
    !fs
      .lstatSync(path.join(repo, '.git'), { throwIfNoEntry: false })
      ?.isDirectory()
  ) {
    throw new InputError(
      `${o.label} is not a git repository: ${say.lands}; run git init and commit the monorepo there first`,
    );
  }
  checkOwnGitDir(repo, o.label);
  try {
    return (
      await git(repo, ['rev-parse', '--verify', 'HEAD^{commit}'], o)
    ).trim();
  } catch (e) {
    // Only git's own failure means no commit; a sandbox that cannot be made says so itself.
    if (!(e instanceof GitFailedError)) throw e;
    throw new InputError(
      `${o.label} has no commit yet: commit the monorepo first, then run ${say.rerun} again`,
    );
  }
}

/**
 * Checks that `repo` is a git repository (its own, not a directory of
 * another) with a commit checked out and nothing uncommitted; one line otherwise.
 */
export async function cleanRepoState(
  repo: string,
  o: LocalGitOptions,
): Promise<RepoState> {
  const head = await checkedOutCommit(repo, o, {
    lands:
      "a change lands as a commit on a new branch of the monorepo's repository",
    rerun: 'the change',
  });
  // The working tree is the monorepo's directory whatever its config says
  // (core.worktree), and its filter drivers do not run: git status would
  // start them on files whose stat data differs from the index.
  const status = await git(
    repo,
    [
      'status',
      '--porcelain=v1',
      '--untracked-files=all',
      '--ignore-submodules=all',
      '-z',
    ],
    {
      ...o,
      env: {
        GIT_DIR: path.join(repo, '.git'),
        GIT_WORK_TREE: repo,
        ...(await filtersOff(repo, o)),
      },
    },
  );
  const dirty = status
    .split('\0')
    .filter(Boolean)
    .map(l => l.slice(3));
  if (dirty.length) {
    throw new InputError(
      `${o.label} has uncommitted changes (${dirty.slice(0, 5).join(', ')}${
        dirty.length > 5 ? `, and ${dirty.length - 5} more` : ''
      }): commit or remove them first, so that the change starts from a commit`,
    );
  }
  const branch = (
    await git(repo, ['symbolic-ref', '-q', '--short', 'HEAD'], o).catch(
      () => '',
    )
  ).trim();
  return { head, branch };
}

/**
 * Refuses a .git whose objects or refs live elsewhere: a `commondir` file
 * (a linked worktree's) or objects/refs that are not plain directories, so
 * that the commit and the branch are written into this repository only.
 */
function checkOwnGitDir(repo: string, label: string): void {
  const gitDir = path.join(repo, '.git');
  const bad = [
    fs.lstatSync(path.join(gitDir, 'commondir'), { throwIfNoEntry: false })
      ? 'commondir'
      : undefined,
    ...['objects', 'refs', 'refs/heads'].filter(
      d =>
        !fs
          .lstatSync(path.join(gitDir, d), { throwIfNoEntry: false })
          ?.isDirectory(),
    ),
  ].filter(Boolean);
  if (bad.length)
    throw new InputError(
      `${label}: .git/${bad[0]} ${
        bad[0] === 'commondir'
          ? 'makes it a linked worktree of another repository'
          : 'is not a directory (a symlink leads elsewhere)'
      }; a change is committed only to a repository of its own: clone the monorepo there instead`,
    );
}

/**
 * GIT_CONFIG_COUNT/KEY/VALUE entries that empty every filter driver the
 * repository's config defines (includes followed), so that git reading the
 * working tree runs none of them: an empty command is no filter (and not
 * a required one). Environment entries, not -c: a driver's name may hold "=".
 */
async function filtersOff(
  repo: string,
  o: LocalGitOptions,
): Promise<Record<string, string>> {
  const listed = await git(
    repo,
    ['config', '-z', '--includes', '--name-only', '--get-regexp', '^filter\\.'],
    { ...o, env: { GIT_DIR: path.join(repo, '.git') }, allowedExitCodes: [1] },
  );
  const drivers = new Set(
    listed
      .split('\0')
      .filter(k => /^filter\..+\.[^.]+$/s.test(k))
      .map(k => k.slice('filter.'.length, k.lastIndexOf('.'))),
  );
  const env: Record<string, string> = {};
  let n = 0;
  for (const d of drivers)
    for (const [key, value] of [
      ['clean', ''],
      ['smudge', ''],
      ['process', ''],
      ['required', 'false'],
    ]) {
      env[`GIT_CONFIG_KEY_${n}`] = `filter.${d}.${key}`;
      env[`GIT_CONFIG_VALUE_${n++}`] = value;
    }
  return n ? { ...env, GIT_CONFIG_COUNT: String(n) } : {};
}

/** Fails with one line when `branch` is not a new, valid branch name of `repo`. */
export async function checkNewBranch(
  repo: string,
  branch: string,
  o: LocalGitOptions,
): Promise<void> {
  if (!BRANCH.test(branch) || branch.includes('..') || branch.endsWith('.lock'))
    throw new InputError(
      `branch "${branch.slice(
        0,
        80,
      )}" is not a branch name (letters, digits, ".", "_", "-", "/")`,
    );
  // The branch's ref file is written through no symlink of .git/refs.
  confinedRoot(path.join(repo, '.git'), { name: `${o.label}'s .git` }).entry(
    `refs/heads/${branch}`,
    { label: `branch ${branch}`, forWrite: true, symlinks: 'refuse' },
  );
  const exists = await git(
    repo,
    ['for-each-ref', '--format=%(refname)', `refs/heads/${branch}`],
    o,
  );
  if (exists.trim()) {
    throw new InputError(
      `branch ${branch} already exists in ${o.label}: merge or delete it, then run the change again`,
    );
  }
}

/**
 * Commits `files` (added or replaced) and `remove` (deleted) on top of
 * `parent` as the new branch `branch`, as a pull request's branch would be:
 * through a scratch index, so neither the working tree, nor the index, nor
 * the checked-out branch of the monorepo changes. Returns the commit.
 */
export async function commitToNewBranch(
  repo: string,
  c: {
    parent: string;
    branch: string;
    message: string;
    files: CommitFile[];
    remove: string[];
    /** The directory holding every file's source (read by git). */
    sourceRoot: string;
  },
  o: LocalGitOptions,
): Promise<string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-commit-'));
  try {
    const env = {
      GIT_INDEX_FILE: path.join(scratch, 'index'),
      ...GOLDEN_PATH_AUTHOR,
    };
    const run = (args: string[], readable: string[] = []) =>
      git(repo, args, { ...o, env, scratch, readable });
    await run(['read-tree', c.parent]);
    const cacheinfo = await hashFiles(c.files, sources =>
      run(
        ['hash-object', '-w', '--no-filters', '--', ...sources],
        [c.sourceRoot],
      ),
    );
    await stageFiles(cacheinfo, args => run(args));
    for (let i = 0; i < c.remove.length; i += BATCH)
      await run([
        'update-index',
        '--force-remove',
        '--',
        ...c.remove.slice(i, i + BATCH),
      ]);
    const tree = (await run(['write-tree'])).trim();
    const commit = (
      await run([
        'commit-tree',
        '--no-gpg-sign',
        tree,
        '-p',
        c.parent,
        '-m',
        c.message,
      ])
    ).trim();
    // Created only if it still does not exist (the all-zero old value).
    await run([
      'update-ref',
      `refs/heads/${c.branch}`,
      commit,
      '0000000000000000000000000000000000000000',
    ]);
    return commit;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Fails with one line when `branch` is not a branch name git takes. */
export function checkBranchName(branch: string): void {
  if (!BRANCH.test(branch) || branch.includes('..') || branch.endsWith('.lock'))
    throw new InputError(
      `branch "${branch.slice(
        0,
        80,
      )}" is not a branch name (letters, digits, ".", "_", "-", "/")`,
    );
}

/**
 * Makes `repo` (a directory the action has just written, with no .git) a git
 * repository whose branch `branch` holds every file of it in one commit, the
 * way a forge's repository starts: `git init` in the .git directory created
 * here, then `git add -A` and `git commit` as Golden Path. Files the
 * monorepo's own .gitignore names stay out of the commit. Returns the commit.
 */
export async function initRepository(
  repo: string,
  c: { branch: string; message: string },
  o: LocalGitOptions,
): Promise<string> {
  checkBranchName(c.branch);
  // The sandbox lets git write only below .git: it is made here, empty.
  fs.mkdirSync(path.join(repo, '.git'));
  const run = (args: string[]) =>
    git(repo, args, { ...o, env: GOLDEN_PATH_AUTHOR });
  await run(['init', '-q', '--template=', '-b', c.branch]);
  await run(['add', '-A']);
  await run(['commit', '-q', '--no-verify', '-m', c.message]);
  return (await run(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
}

/**
 * The commit and branch checked out in `repo`, which must be a git repository
 * of its own with a commit and a branch checked out; one line otherwise.
 * Uncommitted changes are allowed: a new service is committed on its own.
 */
export async function checkedOutBranch(
  repo: string,
  o: LocalGitOptions,
): Promise<RepoState> {
  const head = await checkedOutCommit(repo, o, {
    lands: "a new service lands as a commit of the monorepo's repository",
    rerun: 'the template',
  });
  const branch = (
    await git(repo, ['symbolic-ref', '-q', '--short', 'HEAD'], o).catch(
      () => '',
    )
  ).trim();
  if (!branch)
    throw new InputError(
      `${o.label} has no branch checked out (a detached HEAD at ${head.slice(
        0,
        12,
      )}): check out the branch the service should land on`,
    );
  return { head, branch };
}

/**
 * Commits `files` (added or replaced; read unfiltered from their sources) as
 * one commit on top of the branch checked out in `repo`, and stages exactly
 * these files in its index: as if the team had run git add and git commit on
 * them alone, so other uncommitted changes stay as they were. One commit at a
 * time per repository (tasks on other replicas too), and the branch moves
 * only from the commit it was read at. Returns the commit and the branch.
 */
export async function commitOnCheckedOutBranch(
  repo: string,
  c: { message: string; files: CommitFile[]; sourceRoot: string },
  o: LocalGitOptions,
): Promise<RepoState> {
  // Refused in one line before the lock is made in .git.
  await checkedOutBranch(repo, o);
  return withFileLock(
    path.join(repo, '.git', 'golden-path-commit'),
    async () => {
      const state = await checkedOutBranch(repo, o);
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-commit-'));
      try {
        const index = {
          ...GOLDEN_PATH_AUTHOR,
          GIT_INDEX_FILE: path.join(scratch, 'index'),
        };
        const run = (
          args: string[],
          env: Record<string, string> = index,
          readable: string[] = [],
        ) => git(repo, args, { ...o, env, scratch, readable });
        await run(['read-tree', state.head]);
        const cacheinfo = await hashFiles(c.files, sources =>
          run(['hash-object', '-w', '--no-filters', '--', ...sources], index, [
            c.sourceRoot,
          ]),
        );
        await stageFiles(cacheinfo, args => run(args));
        const tree = (await run(['write-tree'])).trim();
        const commit =
          // --no-gpg-sign as in commitToNewBranch: no gpg.program of the
          // repository's config (commit-tree ignores commit.gpgSign anyway).
          (
            await run([
              'commit-tree',
              '--no-gpg-sign',
              tree,
              '-p',
              state.head,
              '-m',
              c.message,
            ])
          ).trim();
        await run([
          'update-ref',
          `refs/heads/${state.branch}`,
          commit,
          state.head,
        ]);
        // The checkout's own index: these files staged as committed.
        await stageFiles(cacheinfo, args => run(args, {}));
        return { head: commit, branch: state.branch };
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    },
    // A burst of services made at once queues here: a commit takes seconds,
    // so wait minutes, and take over a lock only when no commit can still hold it.
    { staleMs: 120_000, timeoutMs: 600_000 },
  );
}

/**
 * What an upgrade plan checks of a local monorepo's git checkout before
 * anything is written: nothing uncommitted, and (unless up to date) no branch
 * `branch` yet. In a dry run nothing of it is looked at: the scaffolder's
 * dry-run API runs a template anyone with template-create permission
 * uploads, so its refusals would tell them, for any monorepo under the
 * publish root, the names of uncommitted files and which branches exist.
 * The dry run logs one line instead; the real run refuses.
 */
export async function checkUpgradeCheckout(
  repo: string,
  branch: string | undefined,
  o: LocalGitOptions & {
    isDryRun?: boolean;
    logger: { info(message: string): void };
  },
): Promise<void> {
  if (o.isDryRun) {
    o.logger.info(
      `dry run: the git checkout of ${
        o.label
      } is not looked at; the run refuses it if it has uncommitted changes${
        branch ? ` or a branch ${branch}` : ''
      }`,
    );
    return;
  }
  await cleanRepoState(repo, o);
  if (branch) await checkNewBranch(repo, branch, o);
}
