import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check a local Go service for an upgrade to the current template',
    'golden-path:upgrade:plan',
    {
      service: 'component:default/order-service',
      workingDirectory: '.golden-path-update/before',
      localPath: 'shop',
    },
  ),
];
