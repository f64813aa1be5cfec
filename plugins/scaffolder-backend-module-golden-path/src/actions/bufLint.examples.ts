import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Lint the protos of a monorepo, failing on any violation',
    'buf:lint',
    {
      workingDirectory: 'api/proto',
    },
  ),
  stepExample(
    'Lint without failing, to show the violations in the output',
    'buf:lint',
    {
      workingDirectory: 'api/proto',
      failOnViolations: false,
    },
  ),
];
