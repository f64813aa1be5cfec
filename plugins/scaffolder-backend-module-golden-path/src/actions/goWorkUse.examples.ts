import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Add a published service to the local monorepo go.work',
    'golden-path:go:work-use',
    {
      localPath: 'shop',
      dir: 'services/order-service',
    },
  ),
];
