import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Open a pull request with the changed files of a day-2 template',
    'golden-path:gitea:pull-request',
    {
      repoUrl: 'gitea.example.com?owner=platform&repo=shop',
      sourcePath: '.golden-path-update/changes',
      branchName: 'add-expire-orders-job-to-orders-service',
      targetBranchName: 'main',
      title: 'feat(orders-service): add the expire_orders scheduled job',
      description: 'Made with the "Add a scheduled job to a service" template.',
    },
  ),
];
