import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Check that the protos compile', 'buf:build', {
    workingDirectory: 'api/proto',
  }),
];
