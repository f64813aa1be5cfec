import fs from 'node:fs';
import path from 'node:path';
import { testSettings, writeFiles } from '../__testUtils__/context';
import {
  actionRunner,
  committedLocalMonorepo,
} from '../__testUtils__/localMonorepo';
import { createPublishLocalBranchAction } from './publishLocalBranch';

/** A monorepo under a local root, committed on main, and a workspace with changes. */
function setup() {
  const { s, local, repo, git } = committedLocalMonorepo({
    'services/a/old.go': 'package a\n',
    'services/a/keep.go': 'package a // v1\n',
    'README.md': '# shop\n',
  });
  writeFiles(path.join(s.workspace, 'changes'), {
    'services/a/new.go': 'package a // new\n',
    'services/a/keep.go': 'package a // v2\n',
  });
  const action = createPublishLocalBranchAction({
    settings: testSettings({ localRoots: [local] }),
  });
  const run = actionRunner(action, s.workspace, {
    path: 'shop',
    sourcePath: 'changes',
    remove: ['services/a/old.go'],
    branchName: 'golden-path/upgrade-a',
    message: 'chore(a): upgrade',
  });
  return { s, repo, git, run };
}

describe('golden-path:publish:local-branch', () => {
  it('commits the files and removals on a new branch, leaving the working tree, index and branch as they were', async () => {
    const { s, repo, git, run } = setup();
    try {
      const head = git('rev-parse', 'HEAD').trim();
      const outputs = await run({});
      expect(outputs).toMatchObject({
        committed: true,
        branch: 'golden-path/upgrade-a',
        filesWritten: ['services/a/keep.go', 'services/a/new.go'],
        filesRemoved: ['services/a/old.go'],
      });
      expect(git('rev-parse', 'HEAD').trim()).toBe(head);
      expect(git('symbolic-ref', '--short', 'HEAD').trim()).toBe('main');
      expect(git('status', '--porcelain')).toBe('');
      expect(
        fs.readFileSync(path.join(repo, 'services/a/keep.go'), 'utf8'),
      ).toBe('package a // v1\n');
      expect(
        git('diff', '--name-status', 'main', 'golden-path/upgrade-a')
          .trim()
          .split('\n'),
      ).toEqual([
        'M\tservices/a/keep.go',
        'A\tservices/a/new.go',
        'D\tservices/a/old.go',
      ]);
      expect(git('rev-parse', 'golden-path/upgrade-a^').trim()).toBe(head);
      expect(git('rev-parse', 'golden-path/upgrade-a').trim()).toBe(
        outputs.commit,
      );
      expect(
        git('log', '-1', '--format=%s|%an', 'golden-path/upgrade-a').trim(),
      ).toBe('chore(a): upgrade|Golden Path');
      expect(git('show', 'golden-path/upgrade-a:services/a/keep.go')).toBe(
        'package a // v2\n',
      );

      // The same branch again: refused, nothing changes.
      await expect(run({})).rejects.toThrow(
        'branch golden-path/upgrade-a already exists in shop (under the local publish root): merge or delete it, then run the change again',
      );
    } finally {
      s.cleanup();
    }
  });

  it('refuses uncommitted changes and a directory that is no git repository, in one line', async () => {
    const { s, repo, git, run } = setup();
    try {
      fs.writeFileSync(path.join(repo, 'services/a/wip.go'), 'package a\n');
      await expect(run({})).rejects.toThrow(
        'shop (under the local publish root) has uncommitted changes (services/a/wip.go): commit or remove them first, so that the change starts from a commit',
      );
      expect(git('branch', '--format=%(refname:short)').trim()).toBe('main');
      fs.rmSync(path.join(repo, '.git'), { recursive: true });
      await expect(run({})).rejects.toThrow(
        "shop (under the local publish root) is not a git repository: a change lands as a commit on a new branch of the monorepo's repository; run git init and commit the monorepo there first",
      );
    } finally {
      s.cleanup();
    }
  });

  it('creates no branch when there is nothing to commit, and refuses bad paths', async () => {
    const { s, git, run } = setup();
    try {
      fs.rmSync(path.join(s.workspace, 'changes'), { recursive: true });
      fs.mkdirSync(path.join(s.workspace, 'changes'));
      expect(await run({ remove: [] })).toMatchObject({
        committed: false,
        branch: '',
      });
      expect(git('branch', '--format=%(refname:short)').trim()).toBe('main');
      await expect(run({ remove: ['../outside'] })).rejects.toThrow(
        '"../outside" is not a path of the monorepo',
      );
      await expect(run({ remove: ['.git/config'] })).rejects.toThrow(
        '".git/config" is not a path of the monorepo',
      );
    } finally {
      s.cleanup();
    }
  });
});
