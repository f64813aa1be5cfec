import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { computeOnboarding } from '@golden-path/plugin-golden-path-common';
import { goldenPathOnboardingApiRef } from '../../api/GoldenPathOnboardingApi';
import { GoldenPathPage } from './GoldenPathPage';

const teamRef = 'group:default/team-orders';
const groups = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-orders', namespace: 'default' },
    spec: { profile: { displayName: 'Orders team' } },
  },
];
const identity = {
  getBackstageIdentity: async () => ({
    type: 'user',
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', teamRef],
  }),
};

function renderPage(
  getOnboarding: jest.Mock,
  getEntities = jest.fn(async () => ({ items: groups })),
) {
  return renderInTestApp(<GoldenPathPage />, {
    apis: [
      [catalogApiRef, { getEntities } as any],
      [identityApiRef, identity as any],
      [goldenPathOnboardingApiRef, { getOnboarding }],
    ],
  });
}

describe('GoldenPathPage', () => {
  it("shows the user's team's steps, done and open, with the link that closes the next one", async () => {
    const onboarding = computeOnboarding({
      teamRef,
      team: { kind: 'Group', metadata: { name: 'team-orders' } },
      owned: [
        {
          kind: 'System',
          metadata: {
            name: 'shop',
            annotations: { 'golden-path.dev/monorepo': 'shop' },
          },
        },
      ],
    });
    const getOnboarding = jest.fn(async () => onboarding);
    await renderPage(getOnboarding);
    expect(await screen.findByLabelText('progress')).toHaveTextContent(
      `3 of 7 steps done for ${teamRef}`,
    );
    expect(getOnboarding).toHaveBeenCalledWith(teamRef);
    const service = screen.getByLabelText(
      'Step 4: A first service is registered',
    );
    expect(within(service).getByText('open')).toBeInTheDocument();
    expect(
      within(service).getByRole('link', { name: 'Add a Go service' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/go-service?formData=${encodeURIComponent(
        JSON.stringify({ owner: teamRef, system: 'system:default/shop' }),
      )}`,
    );
    expect(
      within(
        screen.getByLabelText('Step 1: Your team is in the catalog'),
      ).getByText('done'),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByLabelText(
          'Step 5: Its migrations are applied in the first environment',
        ),
      ).queryByRole('link'),
    ).toBeNull();
  });

  it('says what went wrong when the steps cannot be read', async () => {
    await renderPage(
      jest.fn(async () => Promise.reject(new Error('catalog unavailable'))),
    );
    expect(
      await screen.findByText(
        `The steps of ${teamRef} could not be read: catalog unavailable`,
      ),
    ).toBeInTheDocument();
  });

  it('says so when the catalog cannot list teams', async () => {
    await renderPage(
      jest.fn(),
      jest.fn(async () => Promise.reject(new Error('503 Service Unavailable'))),
    );
    expect(
      await screen.findByText(
        'The catalog could not list teams: 503 Service Unavailable',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Start onboarding a new team' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/onboard-team?formData=${encodeURIComponent(
        '{}',
      )}`,
    );
  });
});
