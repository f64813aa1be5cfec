import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  GoldenPathFleetClient,
  GoldenPathInsightsClient,
  GoldenPathOnboardingClient,
  goldenPathFleetApiRef,
  goldenPathInsightsApiRef,
  goldenPathOnboardingApiRef,
} from '../api';

/** The insights client as a utility API of the new frontend system. */
export const goldenPathInsightsApi = ApiBlueprint.make({
  name: 'insights',
  params: defineParams =>
    defineParams({
      api: goldenPathInsightsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathInsightsClient({ discoveryApi, fetchApi }),
    }),
});

/** The onboarding client as a utility API of the new frontend system. */
export const goldenPathOnboardingApi = ApiBlueprint.make({
  name: 'onboarding',
  params: defineParams =>
    defineParams({
      api: goldenPathOnboardingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathOnboardingClient({ discoveryApi, fetchApi }),
    }),
});

/** The fleet client as a utility API of the new frontend system. */
export const goldenPathFleetApi = ApiBlueprint.make({
  name: 'fleet',
  params: defineParams =>
    defineParams({
      api: goldenPathFleetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathFleetClient({ discoveryApi, fetchApi }),
    }),
});
