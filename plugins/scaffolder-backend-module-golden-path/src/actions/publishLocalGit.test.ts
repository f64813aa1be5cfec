import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { createPublishLocalAction } from './publishLocal';

const FILES = {
  'catalog-info.yaml': 'kind: System\n',
  'go.work': 'go 1.26\n',
  '.gitignore': 'bin/\n',
  'bin/tool': 'built\n',
  'scripts/init-db.sh': '#!/bin/sh\n',
};

function setup() {
  const s = makeSandbox(FILES);
  fs.chmodSync(path.join(s.workspace, 'scripts/init-db.sh'), 0o755);
  const root = path.join(s.root, 'repos');
  const action = createPublishLocalAction({
    settings: testSettings({ localRoots: [root] }),
  });
  const run = (input: Record<string, unknown>) => {
    const { ctx, outputs } = actionContext(s.workspace, {
      path: 'shop',
      ...input,
    });
    return action.handler(ctx).then(() => outputs);
  };
  const repo = path.join(root, 'shop');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  return { s, root, repo, run, git };
}

describe('golden-path:publish:local with gitCommitMessage', () => {
  it('makes the new directory a git repository with every file in one initial commit, nothing left uncommitted', async () => {
    const { s, repo, run, git } = setup();
    try {
      const outputs = await run({
        gitCommitMessage: 'chore: create shop',
      });
      expect(outputs.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(git('rev-parse', 'HEAD').trim()).toBe(outputs.commit);
      expect(git('symbolic-ref', '--short', 'HEAD').trim()).toBe('main');
      expect(git('log', '--format=%s|%an|%P').trim()).toBe(
        'chore: create shop|Golden Path|',
      );
      // The monorepo's .gitignore applies: bin/ is written, not committed.
      expect(git('ls-files').trim().split('\n')).toEqual([
        '.gitignore',
        'catalog-info.yaml',
        'go.work',
        'scripts/init-db.sh',
      ]);
      expect(fs.existsSync(path.join(repo, 'bin/tool'))).toBe(true);
      expect(git('ls-files', '-s', 'scripts/init-db.sh')).toMatch(/^100755 /);
      expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
      // No sample hooks copied from a git template directory.
      expect(fs.readdirSync(path.join(repo, '.git'))).not.toContain('hooks');
    } finally {
      s.cleanup();
    }
  });

  it('names the branch with defaultBranch', async () => {
    const { s, run, git } = setup();
    try {
      await run({ gitCommitMessage: 'initial', defaultBranch: 'trunk' });
      expect(git('branch', '--format=%(refname:short)').trim()).toBe('trunk');
    } finally {
      s.cleanup();
    }
  });

  it('refuses the git inputs with merge mode, a bad branch name and a lone defaultBranch, in one line and writing nothing', async () => {
    const { s, root, repo, run } = setup();
    try {
      await expect(
        run({ gitCommitMessage: 'x', defaultBranch: '-x' }),
      ).rejects.toThrow(
        /^branch "-x" is not a branch name \(letters, digits, ".", "_", "-", "\/"\)$/,
      );
      // Refused before anything is written.
      expect(fs.existsSync(repo)).toBe(false);
      await expect(run({ defaultBranch: 'main' })).rejects.toThrow(
        /^defaultBranch names the branch of the initial commit: give gitCommitMessage too$/,
      );
      fs.mkdirSync(repo, { recursive: true });
      await expect(
        run({ mode: 'merge', gitCommitMessage: 'x' }),
      ).rejects.toThrow(
        /^gitCommitMessage and defaultBranch start a new repository: they go with mode create, not merge$/,
      );
      expect(fs.readdirSync(root)).toEqual(['shop']);
      expect(fs.readdirSync(repo)).toEqual([]);
    } finally {
      s.cleanup();
    }
  });

  it('without gitCommitMessage writes no repository (a service directory inside a monorepo)', async () => {
    const { s, repo, run } = setup();
    try {
      expect(await run({})).not.toHaveProperty('commit');
      expect(fs.existsSync(path.join(repo, '.git'))).toBe(false);
    } finally {
      s.cleanup();
    }
  });
});
