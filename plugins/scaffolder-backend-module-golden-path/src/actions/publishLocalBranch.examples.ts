import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Commit an upgrade to a new branch of the local monorepo',
    'golden-path:publish:local-branch',
    {
      path: 'shop',
      sourcePath: '.golden-path-update/changes',
      remove: ['services/order-service/internal/domain/service/doc.go'],
      branchName: 'golden-path/upgrade-order-service',
      message: 'chore(order-service): upgrade to go-service 1.1.0',
    },
  ),
];
