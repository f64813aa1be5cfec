import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Compare the protos with those on main', 'buf:breaking', {
    workingDirectory: 'api/proto',
    againstGitRef: 'main',
  }),
  stepExample('Compare with a copy of the previous protos', 'buf:breaking', {
    workingDirectory: 'api/proto',
    againstDirectory: 'previous/api/proto',
  }),
];
