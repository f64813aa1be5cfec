import fs from 'node:fs';
import path from 'node:path';
import { testSettings, writeFiles } from '../__testUtils__/context';
import {
  actionRunner,
  committedLocalMonorepo,
} from '../__testUtils__/localMonorepo';
import { createPublishLocalCommitAction } from './publishLocalCommit';

/** A committed monorepo under a local root, then a service a template wrote into it. */
function setup() {
  const { s, local, repo, git } = committedLocalMonorepo({
    'go.work': 'go 1.26\n\nuse ./pkg\n',
    'README.md': '# shop\n',
    'pkg/go.mod': 'module pkg\n',
  });
  const action = createPublishLocalCommitAction({
    settings: testSettings({ localRoots: [local] }),
  });
  const run = actionRunner(action, s.workspace, {
    path: 'shop',
    message: 'feat: add order-service',
  });
  /** What a Go service task leaves: its directories and its go.work line. */
  const writeService = (name: string) => {
    writeFiles(repo, {
      [`services/${name}-service/go.mod`]: `module ${name}\n`,
      [`services/${name}-service/.golden-path/values.json`]: '{}\n',
      [`api/proto/${name}/v1/${name}.proto`]: 'syntax = "proto3";\n',
    });
    fs.appendFileSync(
      path.join(repo, 'go.work'),
      `use ./services/${name}-service\n`,
    );
  };
  const servicePaths = (name: string) => [
    `services/${name}-service`,
    `api/proto/${name}`,
    'go.work',
  ];
  return { s, repo, git, run, writeService, servicePaths };
}

describe('golden-path:publish:local-commit', () => {
  it("commits exactly the given files on the checked-out branch, staged as committed; the team's other changes stay uncommitted", async () => {
    const { s, repo, git, run, writeService, servicePaths } = setup();
    try {
      const before = git('rev-parse', 'HEAD').trim();
      // The team's own work in progress: an edit and a new file.
      fs.appendFileSync(path.join(repo, 'README.md'), 'draft\n');
      fs.writeFileSync(path.join(repo, 'notes.txt'), 'wip\n');
      writeService('order');
      const outputs = await run({ paths: servicePaths('order') });
      expect(outputs).toMatchObject({
        branch: 'main',
        filesCommitted: [
          'api/proto/order/v1/order.proto',
          'go.work',
          'services/order-service/.golden-path/values.json',
          'services/order-service/go.mod',
        ],
      });
      expect(git('rev-parse', 'HEAD').trim()).toBe(outputs.commit);
      expect(git('rev-parse', 'HEAD^').trim()).toBe(before);
      expect(git('log', '-1', '--format=%s|%an').trim()).toBe(
        'feat: add order-service|Golden Path',
      );
      expect(
        git('diff', '--name-status', 'HEAD^', 'HEAD').trim().split('\n'),
      ).toEqual([
        'A\tapi/proto/order/v1/order.proto',
        'M\tgo.work',
        'A\tservices/order-service/.golden-path/values.json',
        'A\tservices/order-service/go.mod',
      ]);
      expect(git('show', 'HEAD:go.work')).toBe(
        'go 1.26\n\nuse ./pkg\nuse ./services/order-service\n',
      );
      // Only the team's own changes are left, unstaged and untracked.
      expect(
        git('status', '--porcelain', '--untracked-files=all').split('\n'),
      ).toEqual([' M README.md', '?? notes.txt', '']);
    } finally {
      s.cleanup();
    }
  });

  it('two services committed at the same time both land, one commit each', async () => {
    const { s, git, run, writeService, servicePaths } = setup();
    try {
      writeService('order');
      writeService('invoice');
      await Promise.all([
        run({ paths: servicePaths('order'), message: 'feat: add order' }),
        run({ paths: servicePaths('invoice'), message: 'feat: add invoice' }),
      ]);
      expect(git('log', '--format=%s').trim().split('\n').sort()).toEqual([
        'feat: add invoice',
        'feat: add order',
        'initial',
      ]);
      expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
    } finally {
      s.cleanup();
    }
  });

  it('refuses in one line, committing nothing: no git repository, a detached HEAD, a missing path, a path out of the monorepo, a symlink', async () => {
    const { s, repo, git, run, writeService, servicePaths } = setup();
    try {
      writeService('order');
      const head = git('rev-parse', 'HEAD').trim();
      await expect(run({ paths: ['services/none-service'] })).rejects.toThrow(
        /^services\/none-service was not found in shop \(under the local publish root\): nothing to commit there$/,
      );
      await expect(run({ paths: ['../outside'] })).rejects.toThrow(
        /^"\.\.\/outside" is not a path of the monorepo/,
      );
      await expect(run({ paths: ['.git/config'] })).rejects.toThrow(
        /^"\.git\/config" is not a path of the monorepo/,
      );
      fs.symlinkSync(
        path.join(repo, 'services/order-service'),
        path.join(repo, 'services/link-service'),
      );
      await expect(run({ paths: ['services/link-service'] })).rejects.toThrow(
        /^paths: services\/link-service goes through a symlink in shop/,
      );
      fs.rmSync(path.join(repo, 'services/link-service'));
      git('checkout', '-q', '--detach');
      await expect(run({ paths: servicePaths('order') })).rejects.toThrow(
        /^shop \(under the local publish root\) has no branch checked out/,
      );
      expect(git('rev-parse', 'HEAD').trim()).toBe(head);
      fs.rmSync(path.join(repo, '.git'), { recursive: true });
      await expect(run({ paths: servicePaths('order') })).rejects.toThrow(
        "shop (under the local publish root) is not a git repository: a new service lands as a commit of the monorepo's repository; run git init and commit the monorepo there first",
      );
    } finally {
      s.cleanup();
    }
  });
});
