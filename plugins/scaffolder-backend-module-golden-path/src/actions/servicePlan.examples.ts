import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check a service before rendering it',
    'golden-path:service:plan',
    {
      name: 'order',
      aggregate: 'Order',
      stage: 'mvp',
      pkgModule: 'github.com/acme/go-pkg',
      fields: [
        { name: 'customer_id', type: 'uuid' },
        { name: 'priority', type: 'enum', values: ['low', 'normal', 'high'] },
      ],
      states: ['pending', 'confirmed'],
      transitions: [{ name: 'confirm', from: 'pending', to: 'confirmed' }],
      localPath: 'shop',
    },
  ),
  stepExample(
    'Check a service with scheduled jobs',
    'golden-path:service:plan',
    {
      name: 'order',
      aggregate: 'Order',
      stage: 'mvp',
      pkgModule: 'github.com/acme/go-pkg',
      fields: [{ name: 'customer_id', type: 'uuid' }],
      jobs: [
        { name: 'expire_orders', schedule: '0 */5 * * * *', timeout: '1m' },
        {
          name: 'nightly_report',
          schedule: 'CRON_TZ=Europe/Paris 0 30 3 * * *',
          timeout: '20m',
        },
      ],
    },
  ),
];
