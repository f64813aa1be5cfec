import fs from 'node:fs';
import path from 'node:path';
import { testSettings, writeFiles } from '../__testUtils__/context';
import {
  actionRunner,
  committedLocalMonorepo,
} from '../__testUtils__/localMonorepo';
import { createPublishLocalBranchAction } from '../actions/publishLocalBranch';

/*
 * A local monorepo's .git is not the bundle's: whoever can write under the
 * local root can give it config, attributes and links. git must run no
 * program of its config and write nowhere but into the repository itself.
 */

/** A committed monorepo under a local root, a workspace with one change, and `outside/` beside the root. */
function setup() {
  const { s, local, repo, git } = committedLocalMonorepo({
    'services/a/main.go': 'package a\n',
    'README.md': '# shop\n',
  });
  writeFiles(path.join(s.workspace, 'changes'), {
    'services/a/main.go': 'package a // v2\n',
  });
  const action = createPublishLocalBranchAction({
    settings: testSettings({ localRoots: [local] }),
  });
  const run = actionRunner(action, s.workspace, {
    path: 'shop',
    sourcePath: 'changes',
    branchName: 'golden-path/change-a',
    message: 'chore(a): change',
  });
  return { s, repo, git, run };
}

describe('git on a local monorepo (golden-path:publish:local-branch)', () => {
  it("runs none of the repository's filter drivers: not when git status reads the working tree, not when the files are hashed", async () => {
    const { s, repo, git, run } = setup();
    try {
      // A clean filter that leaves a mark inside .git (writable in the sandbox too).
      git('config', 'filter.mark.clean', 'echo ran >> .git/filter-ran; cat');
      git('config', 'filter.mark.required', 'true');
      fs.writeFileSync(
        path.join(repo, '.git/info/attributes'),
        '* filter=mark\n',
      );
      // A stat change without a content change: git status re-reads the file.
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(path.join(repo, 'README.md'), later, later);
      const outputs = await run();
      expect(outputs.committed).toBe(true);
      expect(fs.existsSync(path.join(repo, '.git/filter-ran'))).toBe(false);
      expect(git('show', 'golden-path/change-a:services/a/main.go')).toBe(
        'package a // v2\n',
      );
    } finally {
      s.cleanup();
    }
  });

  it("fetches nothing for a partial clone's missing objects (a lazy fetch would run the repository's core.sshCommand)", async () => {
    const { s, repo, git, run } = setup();
    try {
      const tree = git('rev-parse', 'HEAD^{tree}').trim();
      fs.rmSync(
        path.join(repo, '.git/objects', tree.slice(0, 2), tree.slice(2)),
      );
      git('config', 'core.repositoryformatversion', '1');
      git('config', 'extensions.partialClone', 'origin');
      git('config', 'remote.origin.url', 'ssh://forge.invalid/shop');
      git('config', 'remote.origin.promisor', 'true');
      git('config', 'core.sshCommand', 'echo ran >> .git/ssh-ran; false');
      await expect(run()).rejects.toThrow(
        "shop (under the local publish root): fatal: transport 'ssh' not allowed",
      );
      expect(fs.existsSync(path.join(repo, '.git/ssh-ran'))).toBe(false);
    } finally {
      s.cleanup();
    }
  });

  it("reads the monorepo's own directory whatever core.worktree says (no listing of another directory)", async () => {
    const { s, git, run } = setup();
    try {
      git('config', 'core.worktree', s.outside);
      const outputs = await run();
      expect(outputs.committed).toBe(true);
    } finally {
      s.cleanup();
    }
  });

  it('refuses a .git that is a symlink, or whose refs lead out, writing nothing outside the repository', async () => {
    const { s, repo, run } = setup();
    try {
      // Another repository outside the root, and .git/refs/heads/golden-path leading there.
      const other = path.join(s.outside, 'refs');
      fs.mkdirSync(other);
      fs.symlinkSync(other, path.join(repo, '.git/refs/heads/golden-path'));
      await expect(run()).rejects.toThrow(
        'branch golden-path/change-a "refs/heads/golden-path/change-a" goes through a symlink (refs/heads/golden-path); symlinks are not followed here: replace it with a regular directory',
      );
      expect(fs.readdirSync(other)).toEqual([]);
      fs.unlinkSync(path.join(repo, '.git/refs/heads/golden-path'));

      fs.writeFileSync(path.join(repo, '.git/commondir'), s.outside);
      await expect(run()).rejects.toThrow(
        'shop (under the local publish root): .git/commondir makes it a linked worktree of another repository; a change is committed only to a repository of its own: clone the monorepo there instead',
      );
      fs.unlinkSync(path.join(repo, '.git/commondir'));

      fs.renameSync(path.join(repo, '.git'), path.join(s.outside, 'dot-git'));
      fs.symlinkSync(path.join(s.outside, 'dot-git'), path.join(repo, '.git'));
      await expect(run()).rejects.toThrow(
        'shop (under the local publish root) is not a git repository',
      );
      expect(
        fs.readdirSync(path.join(s.outside, 'dot-git/refs/heads')),
      ).toEqual(['main']);
    } finally {
      s.cleanup();
    }
  });
});
