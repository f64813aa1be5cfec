import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { actionContext, makeSandbox } from '../__testUtils__/context';
import { createGiteaPullRequestAction } from './giteaPullRequest';

// A Gitea host nothing listens on: every refusal below comes before the forge is asked.
const action = createGiteaPullRequestAction({
  integrations: ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        gitea: [
          {
            host: '127.0.0.1:9',
            baseUrl: 'http://127.0.0.1:9',
            username: 'bot',
            password: 'token',
          },
        ],
      },
    }),
  ),
});

describe('golden-path:gitea:pull-request', () => {
  it('refuses a file to delete that is not a plain relative path, or is also pushed, in one line', async () => {
    const s = makeSandbox({
      'changes/services/order-service/Makefile': 'all:\n',
    });
    try {
      const run = (filesToDelete: string[]) =>
        action.handler(
          actionContext(s.workspace, {
            repoUrl: '127.0.0.1:9?owner=acme&repo=shop',
            branchName: 'golden-path/upgrade-order-service',
            title: 'chore(order-service): upgrade',
            sourcePath: 'changes',
            filesToDelete,
          }).ctx,
        );
      for (const bad of [
        '../etc/passwd',
        '/etc/passwd',
        'services/./x',
        '.git/config',
        '',
      ])
        await expect(run([bad])).rejects.toThrow(
          /^filesToDelete: ".*" is not a plain relative path of a file in the repository \(like services\/orders-service\/Makefile\)$/,
        );
      await expect(run(['services/order-service/Makefile'])).rejects.toThrow(
        /^filesToDelete: services\/order-service\/Makefile is also one of the files to push; a file is either changed or deleted$/,
      );
    } finally {
      s.cleanup();
    }
  });

  it('says in a dry run what it would push and delete', async () => {
    const s = makeSandbox({ 'changes/services/order-service/a.go': 'x\n' });
    try {
      const { ctx, outputs } = actionContext(s.workspace, {
        repoUrl: '127.0.0.1:9?owner=acme&repo=shop',
        branchName: 'golden-path/upgrade-order-service',
        title: 'chore(order-service): upgrade',
        sourcePath: 'changes',
        filesToDelete: ['services/order-service/old.go'],
      });
      (ctx as any).isDryRun = true;
      await action.handler(ctx);
      expect(ctx.logger.info).toHaveBeenCalledWith(
        'Dry run: would push 1 file(s) and delete 1 to branch golden-path/upgrade-order-service of acme/shop on 127.0.0.1:9 and open a pull request into main',
      );
      expect(outputs.branchName).toBe('golden-path/upgrade-order-service');
    } finally {
      s.cleanup();
    }
  });
});
