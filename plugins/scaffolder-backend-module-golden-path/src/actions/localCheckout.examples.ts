import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check out a service of a local monorepo with its API and generated code',
    'golden-path:local:checkout',
    {
      entityRef: 'component:default/order-service',
      localPath: 'shop',
      paths: ['services/order-service', 'api/proto', 'pkg/proto/order'],
      targetPath: '.golden-path-update/before',
    },
  ),
];
