import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isGoldenPathService } from '../filters';

/** The insights card of Go services' overview. */
export const goldenPathInsightsEntityCard = EntityCardBlueprint.make({
  name: 'insights',
  params: {
    filter: isGoldenPathService,
    loader: () =>
      import('../components/InsightsCard').then(m => <m.InsightsCard />),
  },
});
