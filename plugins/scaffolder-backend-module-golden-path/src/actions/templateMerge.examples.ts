import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Update a service in place from two renders of its template',
    'golden-path:template:merge',
    {
      base: '.golden-path-update/base',
      next: '.golden-path-update/next',
    },
  ),
  stepExample(
    'Write the updated service beside the copy it was checked out to',
    'golden-path:template:merge',
    {
      base: '.golden-path-update/base',
      next: '.golden-path-update/next',
      current: '.golden-path-update/before',
      targetPath: '.',
    },
  ),
];
