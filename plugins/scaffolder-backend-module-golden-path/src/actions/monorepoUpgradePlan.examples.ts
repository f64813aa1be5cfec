import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    "Check a local Go monorepo's shared files for an upgrade to the current template",
    'golden-path:monorepo:upgrade-plan',
    {
      workingDirectory: '.golden-path-update/before',
      localPath: 'shop',
    },
  ),
];
