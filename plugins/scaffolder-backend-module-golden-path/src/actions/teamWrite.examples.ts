import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Describe a new team for the catalog', 'golden-path:team:write', {
    name: 'team-orders',
    displayName: 'Orders team',
    description: 'Owns checkout and order management',
    parent: 'group:default/engineering',
  }),
];
