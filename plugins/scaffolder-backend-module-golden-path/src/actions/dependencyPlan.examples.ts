import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check a service to call, against the monorepo checked out into the workspace',
    'golden-path:dependency:plan',
    {
      service: 'component:default/catalog-service',
      dependency: 'component:default/order-history-service',
      workingDirectory: '.golden-path-update/before',
    },
  ),
  stepExample(
    'The same with the services named',
    'golden-path:dependency:plan',
    {
      service: 'catalog',
      dependency: 'order-history',
    },
  ),
];
