import { PageBlueprint } from '@backstage/frontend-plugin-api';

/** The Golden Path page (`/golden-path`): a team's onboarding steps. */
export const goldenPathPage = PageBlueprint.make({
  params: {
    path: '/golden-path',
    title: 'Golden Path',
    loader: () =>
      import('../components/GoldenPathPage').then(m => <m.GoldenPathPage />),
  },
});
