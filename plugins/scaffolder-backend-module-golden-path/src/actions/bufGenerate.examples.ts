import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Generate Go code for the protos of a monorepo (buf.gen.yaml in api/proto)',
    'buf:generate',
    {
      workingDirectory: 'api/proto',
    },
  ),
];
