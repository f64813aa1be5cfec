import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Check a job to add to a service checked out into the workspace',
    'golden-path:job:plan',
    {
      service: 'component:default/order-service',
      job: { name: 'expire_orders', schedule: '0 */5 * * * *', timeout: '1m' },
      workingDirectory: '.golden-path-update/before',
    },
  ),
  stepExample('Check a nightly job in a time zone', 'golden-path:job:plan', {
    service: 'order',
    job: {
      name: 'nightly_report',
      schedule: 'CRON_TZ=Europe/Paris 0 30 3 * * *',
      timeout: '20m',
    },
  }),
];
