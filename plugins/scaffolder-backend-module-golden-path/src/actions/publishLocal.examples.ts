import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Publish a new monorepo to a local directory',
    'golden-path:publish:local',
    { path: 'shop-platform' },
  ),
  stepExample(
    'Add a service to an existing local monorepo',
    'golden-path:publish:local',
    {
      path: 'shop-platform',
      mode: 'merge',
      allowOverwrite: ['go.work', 'scripts/init-db.sh'],
    },
  ),
];
