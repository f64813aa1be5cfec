import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Fail when sqlcgen/ is stale', 'sqlc:diff', {
    workingDirectory: 'services/order-service/db',
  }),
];
