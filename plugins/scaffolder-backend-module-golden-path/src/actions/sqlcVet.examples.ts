import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Vet the queries of a service', 'sqlc:vet', {
    workingDirectory: 'services/order-service/db',
  }),
];
