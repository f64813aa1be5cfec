import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Upgrade every Go service of a system, one branch per service',
    'golden-path:upgrade:batch',
    {
      templateRef: 'template:default/upgrade-service',
      localPath: 'shop',
      system: 'system:default/shop',
    },
  ),
  stepExample(
    'Upgrade the Go services a team owns, one pull request per service on Gitea',
    'golden-path:upgrade:batch',
    {
      templateRef: 'template:default/upgrade-service',
      publishTo: 'gitea',
      repoUrl: 'gitea.example.com?owner=acme&repo=shop',
      owner: 'group:default/payments',
      onConflict: 'markers',
    },
  ),
];
