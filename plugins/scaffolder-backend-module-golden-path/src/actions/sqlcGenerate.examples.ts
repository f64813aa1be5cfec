import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Generate the repository code of a service', 'sqlc:generate', {
    workingDirectory: 'services/order-service/db',
  }),
];
