import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Fail when a proto is not formatted', 'buf:format', {
    workingDirectory: 'api/proto',
    mode: 'check',
  }),
  stepExample('Format the protos in place', 'buf:format', {
    workingDirectory: 'api/proto',
    mode: 'write',
  }),
];
