import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Rehash the migrations of a service', 'atlas:migrate:hash', {
    workingDirectory: 'services/order-service/db',
    dir: 'migrations',
  }),
];
