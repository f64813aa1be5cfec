import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  computeOnboarding,
  summarizeOnboardingRun,
} from '@golden-path/plugin-golden-path-common';
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
  docs: {
    /** The page's address, e.g. `/golden-path?team=…`. */
    url?: string;
  } = {},
) {
  return renderInTestApp(<GoldenPathPage />, {
    initialRouteEntries: docs.url ? [docs.url] : undefined,
    apis: [
      [catalogApiRef, { getEntities } as any],
      [identityApiRef, identity as any],
      [goldenPathOnboardingApiRef, { getOnboarding }],
    ],
  });
}

const paymentsRef = 'group:default/team-payments';
const twoTeams = [
  ...groups,
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default' },
    spec: { profile: { displayName: 'Payments team' } },
  },
];

/** The text the team picker shows (its selected team or placeholder). */
async function pickerText() {
  const picker = await screen.findByRole('button', { name: /Team/ });
  return picker.textContent;
}

describe('GoldenPathPage opened with a team in its URL', () => {
  const open = (team: string, items = twoTeams) => {
    const getOnboarding = jest.fn(async (ref: string) =>
      computeOnboarding({ teamRef: ref, owned: [] }),
    );
    return {
      getOnboarding,
      rendered: renderPage(
        getOnboarding,
        jest.fn(async () => ({ items })),
        { url: `/golden-path?team=${encodeURIComponent(team)}` },
      ),
    };
  };

  it("shows that team in the picker and its steps, not the user's own team", async () => {
    const { getOnboarding, rendered } = open(paymentsRef);
    await rendered;
    expect(await screen.findByLabelText('progress')).toHaveTextContent(
      `0 of 7 steps done for ${paymentsRef}`,
    );
    await waitFor(async () =>
      expect(await pickerText()).toContain(`Payments team (${paymentsRef})`),
    );
    expect(getOnboarding).not.toHaveBeenCalledWith(teamRef);
  });

  it('reads a short team reference as the group it names', async () => {
    const { getOnboarding, rendered } = open('team-payments');
    await rendered;
    await waitFor(async () =>
      expect(await pickerText()).toContain(`Payments team (${paymentsRef})`),
    );
    expect(getOnboarding).toHaveBeenCalledWith(paymentsRef);
  });

  it('shows a team the catalog does not list yet (just onboarded) instead of an empty picker', async () => {
    const { getOnboarding, rendered } = open('group:default/team-new');
    await rendered;
    await waitFor(async () =>
      expect(await pickerText()).toContain(
        'group:default/team-new (not in the catalog yet)',
      ),
    );
    expect(getOnboarding).toHaveBeenCalledWith('group:default/team-new');
  });
});

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

  it('names what a failed onboarding run published but left unregistered', async () => {
    const run = summarizeOnboardingRun(
      {
        id: 'task-1',
        status: 'failed',
        spec: {
          steps: [{ id: 'register-local', name: 'Register the monorepo' }],
          parameters: {
            teamName: 'team-orders',
            publishTo: 'local',
            localPath: 'orders',
          },
        },
      },
      [
        { type: 'log', body: { stepId: 'publish-local', status: 'completed' } },
        {
          type: 'log',
          body: { stepId: 'register-team-local', status: 'completed' },
        },
        {
          type: 'log',
          body: {
            stepId: 'register-local',
            status: 'failed',
            message: 'Error: the catalog is down',
          },
        },
      ],
    );
    const onboarding = {
      ...computeOnboarding({ teamRef, owned: [] }),
      runs: [run],
    };
    await renderPage(jest.fn(async () => onboarding));
    const alert = await screen.findByLabelText('onboarding run task-1');
    expect(alert).toHaveTextContent(
      'The onboarding run of team-orders failed at "Register the monorepo": the catalog is down. It published orders (under the local publish root) but did not register the monorepo and its System: register catalog-info.yaml there',
    );
    expect(
      within(alert).getByRole('link', { name: 'Open the run' }),
    ).toHaveAttribute('href', '/create/tasks/task-1');
  });

  it('says so when the scaffolder cannot list the runs, and still shows the steps', async () => {
    const onboarding = {
      ...computeOnboarding({ teamRef, owned: [] }),
      runsError:
        'Failed or cancelled onboarding runs could not be read: the scaffolder answered 503',
    };
    await renderPage(jest.fn(async () => onboarding));
    expect(
      await screen.findByText(
        'Failed or cancelled onboarding runs could not be read: the scaffolder answered 503',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('progress')).toHaveTextContent(
      `0 of 7 steps done for ${teamRef}`,
    );
  });

  it('"Check again" reads the steps with refresh, and the page reads them again by itself', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const before = computeOnboarding({ teamRef, owned: [] });
      const after = computeOnboarding({
        teamRef,
        team: { kind: 'Group', metadata: { name: 'team-orders' } },
        owned: [],
      });
      const getOnboarding = jest
        .fn()
        .mockResolvedValueOnce(before)
        .mockResolvedValue(after);
      await renderPage(getOnboarding);
      expect(await screen.findByLabelText('progress')).toHaveTextContent(
        '0 of 7 steps done',
      );
      act(() => {
        jest.advanceTimersByTime(10_000);
      });
      await waitFor(() =>
        expect(screen.getByLabelText('progress')).toHaveTextContent(
          '1 of 7 steps done',
        ),
      );
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      await waitFor(() =>
        expect(getOnboarding).toHaveBeenLastCalledWith(teamRef, {
          refresh: true,
        }),
      );
    } finally {
      jest.useRealTimers();
    }
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

  it('names the docs the backend found failing to build, where to fix them and the log', async () => {
    const onboarding = computeOnboarding({ teamRef, owned: [] });
    await renderPage(
      jest.fn(async () => ({
        ...onboarding,
        docsBuildFailures: [
          {
            entityRef: 'component:default/orders',
            source: '/srv/publish/shop/services/orders-service',
            error: "ERROR - Config value 'nav': a relative path was not found",
          },
        ],
      })),
    );
    const alert = await screen.findByLabelText(
      'docs build of component:default/orders',
    );
    expect(alert).toHaveTextContent(
      "The docs of component:default/orders failed to build: ERROR - Config value 'nav': a relative path was not found. Fix mkdocs.yml or docs/ in /srv/publish/shop/services/orders-service; open the docs page for the full log.",
    );
    expect(
      within(alert).getByRole('link', { name: 'Open the docs page' }),
    ).toHaveAttribute('href', '/docs/default/component/orders');
  });

  it('shows no docs alert when the backend names no failed build', async () => {
    await renderPage(
      jest.fn(async () => ({
        ...computeOnboarding({ teamRef, owned: [] }),
        docsBuildFailures: [],
      })),
    );
    expect(await screen.findByLabelText('progress')).toHaveTextContent(
      `0 of 7 steps done for ${teamRef}`,
    );
    expect(screen.queryByText(/failed to build/)).toBeNull();
  });
});
