import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Lint the newest migration of a service', 'atlas:migrate:lint', {
    workingDirectory: 'services/order-service/db',
    latest: 1,
  }),
];
