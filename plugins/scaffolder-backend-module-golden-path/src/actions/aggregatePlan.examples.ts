import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check an aggregate to add to a service checked out into the workspace',
    'golden-path:aggregate:plan',
    {
      service: 'component:default/order-service',
      aggregate: {
        name: 'Supplier',
        fields: [
          { name: 'title', type: 'string' },
          { name: 'rating', type: 'int' },
        ],
      },
      workingDirectory: '.golden-path-update/before',
    },
  ),
  stepExample(
    'Check an aggregate whose plural is given',
    'golden-path:aggregate:plan',
    {
      service: 'order',
      aggregate: {
        name: 'Staff',
        plural: 'StaffMembers',
        fields: [{ name: 'hired_at', type: 'timestamp' }],
      },
    },
  ),
];
