import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Create the first migration of a new service',
    'atlas:migrate:diff',
    {
      workingDirectory: 'services/order-service/db',
      dir: 'migrations',
      to: 'schema/schema.sql',
      name: 'init',
    },
  ),
];
