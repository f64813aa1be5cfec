import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check a query RPC to add to a service checked out into the workspace',
    'golden-path:rpc:plan',
    {
      service: 'component:default/order-service',
      rpc: {
        name: 'FindOrdersByCustomer',
        kind: 'query',
        fields: ['customer_id'],
      },
      workingDirectory: '.golden-path-update/before',
    },
  ),
  stepExample('Check a command RPC', 'golden-path:rpc:plan', {
    service: 'order',
    rpc: { name: 'ChangePriority', kind: 'command', fields: ['priority'] },
  }),
];
