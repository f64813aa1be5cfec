import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  FleetResponse,
  FleetServiceSummary,
} from '@golden-path/plugin-golden-path-common';
import { goldenPathFleetApiRef } from '../../api/GoldenPathFleetApi';
import { FleetPage } from './FleetPage';
import { PENDING_POLL_MS } from './useFleet';

const row = (
  name: string,
  extra: Partial<FleetServiceSummary> = {},
): FleetServiceSummary => ({
  entityRef: `component:default/${name}`,
  namespace: 'default',
  name,
  owner: 'group:default/team-a',
  system: 'system:default/shop',
  status: 'analysed',
  analysedAt: '2026-12-04T09:58:00.000Z',
  upgradeBranches: [],
  dependencyViolations: 0,
  layoutProblems: 0,
  protoProblems: 0,
  migrationProblems: 0,
  migrations: [{ name: 'dev', status: 'ok', pending: 0, failed: 0 }],
  template: {
    name: 'go-service',
    recorded: '1.1.0',
    current: '1.1.0',
    behind: false,
  },
  ...extra,
});

const fleet = (items: FleetServiceSummary[]): FleetResponse => ({
  generatedAt: '2026-12-04T10:00:00.000Z',
  total: items.length,
  pending: items.filter(i => i.status === 'pending').length,
  environments: ['dev'],
  items,
});

const FLEET = fleet([
  row('order-service', {
    dependencyViolations: 2,
    localPath: 'shop',
    template: {
      name: 'go-service',
      recorded: '1.0.0',
      current: '1.1.0',
      behind: true,
    },
    migrations: [{ name: 'dev', status: 'pending', pending: 1, failed: 0 }],
  }),
  row('ledger-service', {
    owner: 'group:default/team-b',
    system: 'system:default/bank',
    protoProblems: 3,
    upgradeBranches: ['golden-path/upgrade-ledger-service-0123456789ab'],
  }),
  row('audit-service', {
    status: 'error',
    error: 'dir: source location not found',
    analysedAt: undefined,
    migrations: [],
  }),
]);

function renderPage(getFleet: jest.Mock, url = '/fleet') {
  return renderInTestApp(<FleetPage />, {
    initialRouteEntries: [url],
    apis: [[goldenPathFleetApiRef, { getFleet }]],
  });
}

const rowOf = (name: string) =>
  screen.getByText(name).closest('[role="row"]') as HTMLElement;

describe('FleetPage', () => {
  it('lists the services with links to what fixes each cell', async () => {
    await renderPage(jest.fn(async () => FLEET));
    expect(await screen.findByText('order-service')).toBeInTheDocument();
    expect(screen.getByLabelText('fleet summary')).toHaveTextContent(
      '3 of 3 services shown; 1 behind the template, 1 with violations or failed migrations.',
    );
    const order = rowOf('order-service');
    expect(
      within(order).getByText('order-service').closest('a'),
    ).toHaveAttribute('href', '/catalog/default/component/order-service');
    const upgrade = within(order).getByLabelText(
      'Open the upgrade template for order-service',
    );
    const href = upgrade.getAttribute('href')!;
    expect(
      href.startsWith('/create/templates/default/upgrade-service?formData='),
    ).toBe(true);
    expect(JSON.parse(decodeURIComponent(href.split('formData=')[1]))).toEqual({
      service: 'component:default/order-service',
      localPath: 'shop',
    });
    expect(
      within(order).getByText('1.0.0 (current 1.1.0)').closest('a'),
    ).toHaveAttribute('href', href);
    expect(
      within(order).getByLabelText(
        '2 dependency violations of order-service: open the Architecture tab',
      ),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/order-service/architecture',
    );
    expect(within(order).getByText('1 pending').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/order-service/architecture',
    );
    expect(within(order).getByText('2 min ago')).toBeInTheDocument();

    const ledger = rowOf('ledger-service');
    expect(
      within(ledger).getByText(
        'golden-path/upgrade-ledger-service-0123456789ab',
      ),
    ).toBeInTheDocument();
    expect(
      within(ledger).getByLabelText(
        '3 proto problems of ledger-service: open the Architecture tab',
      ),
    ).toBeInTheDocument();
    // no link where there is nothing to fix
    expect(
      within(ledger).queryByLabelText(
        /dependency violations of ledger-service/,
      ),
    ).toBeNull();

    expect(
      within(rowOf('audit-service')).getByText(
        'dir: source location not found',
      ),
    ).toBeInTheDocument();
  });

  it('filters by team and system from the URL', async () => {
    await renderPage(
      jest.fn(async () => FLEET),
      '/fleet?team=group:default/team-b',
    );
    expect(await screen.findByText('ledger-service')).toBeInTheDocument();
    expect(screen.queryByText('order-service')).toBeNull();
    expect(screen.getByLabelText('fleet summary')).toHaveTextContent(
      '1 of 3 services shown',
    );
  });

  it('sorts by any column', async () => {
    await renderPage(jest.fn(async () => FLEET));
    await screen.findByText('order-service');
    const names = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map(r => within(r).getAllByRole('rowheader')[0].textContent);
    expect(names()[0]).toMatch(/^audit-service/);
    fireEvent.click(
      screen.getByRole('columnheader', { name: /Proto problems/ }),
    );
    await waitFor(() => expect(names()[2]).toMatch(/^ledger-service/));
    fireEvent.click(
      screen.getByRole('columnheader', { name: /Proto problems/ }),
    );
    await waitFor(() => expect(names()[0]).toMatch(/^ledger-service/));
  });

  it('asks again while services are being analysed', async () => {
    jest.useFakeTimers();
    try {
      const pending = fleet([
        row('order-service', { status: 'pending', analysedAt: undefined }),
      ]);
      const getFleet = jest
        .fn()
        .mockResolvedValueOnce(pending)
        .mockResolvedValue(fleet([row('order-service')]));
      await renderPage(getFleet);
      expect(await screen.findByText('analysing…')).toBeInTheDocument();
      expect(screen.getByLabelText('fleet summary')).toHaveTextContent(
        '1 being analysed',
      );
      await act(async () => {
        jest.advanceTimersByTime(PENDING_POLL_MS);
      });
      await waitFor(() => expect(getFleet).toHaveBeenCalledTimes(2));
      expect(await screen.findByText('2 min ago')).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it("shows the backend's message when the fleet cannot be read", async () => {
    await renderPage(
      jest.fn(async () => {
        throw new Error('team: give one group reference');
      }),
    );
    expect(
      await screen.findByText(
        'The fleet could not be read: team: give one group reference',
      ),
    ).toBeInTheDocument();
  });
});
