import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Record the version of the running template and store its skeletons',
    'golden-path:template:version',
    {},
  ),
];
