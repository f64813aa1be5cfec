import { stepExample } from '../lib/examples';

export const examples = [
  stepExample(
    "Read a monorepo's branch from its forge",
    'golden-path:forge:locate',
    { repoUrl: 'gitea.example.com?owner=platform&repo=shop', branch: 'main' },
  ),
];
