import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Describe a new service for the catalog',
    'golden-path:catalog:write',
    {
      name: 'order-service',
      owner: 'group:default/team-orders',
      system: 'system:default/shop',
      serviceDir: 'services/order-service',
      protoPath: '../../api/proto/order/v1/order_service.proto',
    },
  ),
];
