import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    'Stage only the files a day-2 change added or changed',
    'golden-path:workspace:changes',
    {
      before: '.golden-path-update/before',
      paths: ['services/order-service', 'api/proto/order', 'pkg/proto/order'],
      outputPath: '.golden-path-update/changes',
    },
  ),
];
