import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check that no migration was edited after hashing',
    'atlas:migrate:validate',
    {
      workingDirectory: 'services/order-service/db',
    },
  ),
];
