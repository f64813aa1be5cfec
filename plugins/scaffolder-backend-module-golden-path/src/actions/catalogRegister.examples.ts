import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Register a monorepo published to the local root',
    'golden-path:catalog:register',
    {
      localPath: 'shop-platform',
    },
  ),
  stepExample(
    'Register a service from its repository',
    'golden-path:catalog:register',
    {
      catalogInfoUrl:
        'https://github.com/acme/shop-platform/blob/main/services/order-service/catalog-info.yaml',
      entityRef: 'component:default/order-service',
    },
  ),
];
