import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Commit a new service published to a local monorepo',
    'golden-path:publish:local-commit',
    {
      path: 'shop',
      paths: [
        'services/order-service',
        'api/proto/order',
        'pkg/proto/order',
        'go.work',
      ],
      message: 'feat: add order-service',
    },
  ),
];
