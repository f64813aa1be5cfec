import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import { insightsFixture, plainEntity } from '../../__fixtures__/insights';
import type { GoldenPathInsightsApi } from '../../api';
import { renderWithInsights } from '../../__testUtils__/renderWithInsights';
import { ArchitectureContent } from './ArchitectureContent';

function renderTab(
  api: GoldenPathInsightsApi | GoldenPathInsightsApi['getInsights'],
  entity?: Entity,
) {
  return renderWithInsights(<ArchitectureContent />, api, entity);
}

async function renderWith(insights: GoServiceInsights = insightsFixture) {
  const getInsights = jest.fn(async () => insights);
  await renderTab(getInsights);
  await screen.findByTestId('layer-diagram');
  return getInsights;
}

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        request: { method: 'GET', url: '/' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

describe('ArchitectureContent', () => {
  it('reads the insights of the entity shown', async () => {
    const getInsights = await renderWith();
    expect(getInsights).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'order-service',
    });
  });

  it('draws the layers as boxes with their counts and sub-layers', async () => {
    await renderWith();
    const diagram = screen.getByTestId('layer-diagram');
    for (const title of [
      'Cmd',
      'Infrastructure',
      'Adapter',
      'Application',
      'Domain',
    ]) {
      expect(within(diagram).getByText(title)).toBeInTheDocument();
    }
    expect(
      within(diagram).getByText('2 pkgs · 5 files · 310 lines'),
    ).toBeInTheDocument();
    expect(within(diagram).getByText('entity')).toBeInTheDocument();
    expect(within(diagram).getByText('inbound/grpc')).toBeInTheDocument();
    expect(
      diagram
        .querySelector('[data-layer="domain"]')
        ?.getAttribute('data-violation'),
    ).toBe('true');
  });

  it('draws a violation as an arrow and lists it with file:line', async () => {
    await renderWith();
    const diagram = screen.getByTestId('layer-diagram');
    expect(
      diagram.querySelector('[data-violation-arrow="domain->adapter"]'),
    ).not.toBeNull();
    expect(
      within(diagram).getByText('domain → adapter ×1'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Dependency-rule violations (1)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'services/order-service/internal/domain/entity/order.go:7',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('domain must not import adapter'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('dependency rule source')).toHaveTextContent(
      "Rule from services/order-service/.golangci.yml (depguard, 1 rule: domain), the file the service's architecture test and golangci-lint read.",
    );
    expect(
      screen.getByRole('link', {
        name: 'services/order-service/internal/domain/entity/order.go:7',
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/shop/tree/main/services/order-service/internal/domain/entity/order.go#L7',
    );
    expect(
      screen.getByText(
        'internal/application/usecase has constructors but no di.go',
        {
          exact: false,
        },
      ),
    ).toBeInTheDocument();
  });

  it('lists the packages on request', async () => {
    await renderWith();
    await userEvent.click(
      screen.getByRole('button', { name: /Packages \(2\)/ }),
    );
    expect(
      await screen.findByText('internal/application/usecase'),
    ).toBeVisible();
    expect(screen.getByText('3 files · 200 lines')).toBeVisible();
  });

  it('expands an RPC to show its request and response fields', async () => {
    await renderWith();
    expect(screen.getByText('service OrderService')).toBeInTheDocument();
    expect(screen.queryByText('item_skus')).not.toBeVisible();

    await userEvent.click(screen.getByRole('button', { name: /CreateOrder/ }));

    expect(await screen.findByText('item_skus')).toBeVisible();
    expect(screen.getByText('repeated string')).toBeVisible();
    expect(screen.getByText('map<string, int32>')).toBeVisible();
    expect(screen.getByText('order.v1.CreateOrderResponse')).toBeVisible();
    expect(screen.getByText('google.protobuf.Timestamp')).toBeVisible();
    expect(
      screen.getByRole('button', { name: /WatchOrders/ }),
    ).toHaveTextContent('server streaming');
    expect(
      screen.getByText(
        'enum OrderStatus: the zero value must be ORDER_STATUS_UNSPECIFIED',
      ),
    ).toBeInTheDocument();
  });

  it('says when the backend does not report message fields', async () => {
    const files = insightsFixture.protos.files.map(f => {
      const { messageDetails: _, ...rest } = f as typeof f & {
        messageDetails?: unknown;
      };
      return rest;
    });
    await renderWith({
      ...insightsFixture,
      protos: { ...insightsFixture.protos, files },
    });
    await userEvent.click(screen.getByRole('button', { name: /CreateOrder/ }));
    expect(
      (
        await screen.findAllByText(
          'The insights backend does not report message fields yet.',
        )
      )[0],
    ).toBeVisible();
  });

  it('shows each environment with its migration statuses', async () => {
    await renderWith();
    const staging = screen.getByLabelText('environment staging');
    expect(within(staging).getByText('applied')).toBeInTheDocument();
    // the environment's chip and the version's chip
    expect(within(staging).getAllByText('pending')).toHaveLength(2);
    expect(within(staging).getByText('not applied yet')).toBeInTheDocument();
    const production = screen.getByLabelText('environment production');
    expect(within(production).getByText('baseline')).toBeInTheDocument();
    expect(within(production).getAllByText('failed').length).toBeGreaterThan(0);
    expect(within(production).getByText('1/2 statements')).toBeInTheDocument();
    expect(
      within(production).getByText(
        'ALTER TABLE orders ADD COLUMN status text;',
      ),
    ).toBeInTheDocument();
    expect(within(production).getByText('drift')).toBeInTheDocument();
    expect(
      within(production).getByText(
        'No file in the migration directory for this version.',
      ),
    ).toBeInTheDocument();
    const preview = screen.getByLabelText('environment preview');
    expect(within(preview).getByText('partial')).toBeInTheDocument();
    expect(within(preview).getByText('2/3 statements')).toBeInTheDocument();
    expect(
      within(preview).getByText('file edited since applied'),
    ).toBeInTheDocument();
  });

  it('renders a migration error as text, never as HTML', async () => {
    await renderWith();
    const error = screen.getByTestId('migration-error-20260201000000');
    expect(error).toHaveTextContent('<b>column "status" already exists</b>');
    expect(error.querySelector('b')).toBeNull();
  });

  it('tells which database cannot be reached and what to check', async () => {
    await renderWith();
    const qa = screen.getByLabelText('environment qa');
    expect(
      within(qa).getByText('The qa database cannot be read'),
    ).toBeInTheDocument();
    expect(
      within(qa).getByText('connect ECONNREFUSED 10.0.0.5:5432'),
    ).toBeInTheDocument();
    expect(
      within(qa).getByText(
        /goldenPath\.insights\.migrations\.environments \(qa\)/,
      ),
    ).toBeInTheDocument();
    expect(within(qa).getByText('unreachable')).toBeInTheDocument();
  });

  it('shows the atlas.sum integrity result', async () => {
    await renderWith();
    const sum = screen.getByLabelText('atlas.sum integrity');
    expect(
      within(sum).getByText('atlas.sum does not match'),
    ).toBeInTheDocument();
    expect(within(sum).getByText('edited')).toBeInTheDocument();
    expect(
      within(sum).getByText('20260201000000_add_status.sql'),
    ).toBeInTheDocument();
  });

  it('shows the atlas.sum as ok', async () => {
    await renderWith({
      ...insightsFixture,
      migrations: {
        ...insightsFixture.migrations,
        sum: { status: 'ok', added: [], edited: [], removed: [] },
      },
    });
    expect(screen.getByText('atlas.sum ok')).toBeInTheDocument();
  });

  describe('a service without an application layer', () => {
    const withoutApplication = (followsGoldenPath?: boolean) => ({
      ...insightsFixture,
      layers: {
        ...insightsFixture.layers,
        followsGoldenPath,
        layers: insightsFixture.layers.layers.map(l =>
          l.layer === 'application'
            ? { ...l, packages: 0, files: 0, lines: 0, sublayers: [] }
            : l,
        ),
      },
    });

    it('of the golden-path layout: names the missing layer', async () => {
      await renderWith(withoutApplication(true));
      expect(
        screen.getByText('Missing layer: application'),
      ).toBeInTheDocument();
      expect(screen.queryByLabelText('layout')).toBeNull();
    });

    it('of another layout: says so once and names nothing missing', async () => {
      await renderWith(withoutApplication(false));
      expect(screen.getByLabelText('layout')).toHaveTextContent(
        'This service does not follow the golden-path layout',
      );
      expect(screen.queryByText(/^Missing layer/)).toBeNull();
    });
  });

  it('names the format of the migration directory and what it was recognised by', async () => {
    await renderWith();
    const format = screen.getByLabelText('migration format');
    expect(within(format).getByText('Atlas')).toBeInTheDocument();
    expect(
      within(format).getByText(
        'no other tool’s file names or markers: Atlas’s own format',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('atlas.sum integrity')).getByText(
        '2 migrations',
      ),
    ).toBeInTheDocument();
  });

  it('shows a golang-migrate directory without atlas.sum as such, counted in versions', async () => {
    await renderWith({
      ...insightsFixture,
      migrations: {
        ...insightsFixture.migrations,
        format: 'golang-migrate',
        formatReason:
          'names <version>_<title>.up.sql / .down.sql in 3 of 3 files',
        files: [
          {
            name: '000001_init.up.sql',
            down: '000001_init.down.sql',
            version: '000001',
            description: 'init',
            hash: '',
            sumIgnored: false,
          },
        ],
        sum: {
          status: 'none',
          added: [],
          edited: [],
          removed: [],
          message: 'no atlas.sum: golang-migrate does not use one',
        },
      },
    });
    const format = screen.getByLabelText('migration format');
    expect(within(format).getByText('golang-migrate')).toBeInTheDocument();
    const sum = screen.getByLabelText('atlas.sum integrity');
    expect(within(sum).getByText('no atlas.sum')).toBeInTheDocument();
    expect(within(sum).getByText('1 migration')).toBeInTheDocument();
    expect(
      within(sum).queryByText(/Run atlas migrate hash/),
    ).not.toBeInTheDocument();
  });

  it('says there are no migrations, with no format and no atlas.sum check, when the service has no migration directory', async () => {
    await renderWith({
      ...insightsFixture,
      migrations: {
        ...insightsFixture.migrations,
        format: undefined,
        formatReason:
          'no migration files in services/order-service/db/migrations',
        files: [],
        sum: {
          status: 'none',
          added: [],
          edited: [],
          removed: [],
          message: 'no atlas.sum: there are no migration files to check',
        },
      },
    });
    const format = screen.getByLabelText('migration format');
    expect(within(format).getByText('no migrations')).toBeInTheDocument();
    expect(
      within(format).getByText(
        'no migration files in services/order-service/db/migrations',
      ),
    ).toBeInTheDocument();
    expect(within(format).queryByText('Atlas')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('atlas.sum integrity')).toBeNull();
  });

  it('asks for the annotation on a Component without it', async () => {
    const getInsights = jest.fn();
    await renderTab(getInsights, plainEntity);
    expect(
      screen.getByText(
        /Add golden-path\.dev\/go-service to catalog-info\.yaml/,
      ),
    ).toBeInTheDocument();
    expect(getInsights).not.toHaveBeenCalled();
  });

  it.each([
    [
      403,
      'You may not read the insights of component:default/order-service',
      'Permission denied',
    ],
    [
      400,
      'entity has no backstage.io/source-location annotation (url:… or dir:…) telling where its source is',
      "The service's source cannot be read",
    ],
    [503, 'Service Unavailable', 'The insights could not be loaded'],
  ])('explains a %i from the backend', async (status, message, title) => {
    const error = await responseError(status, message);
    await renderTab(jest.fn(async () => Promise.reject(error)));
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(screen.getByText(message)).toBeInTheDocument();
  });

  describe('"Analyse again"', () => {
    const older = { ...insightsFixture, generatedAt: '2026-05-04T10:00:00Z' };
    const newer = { ...insightsFixture, generatedAt: '2026-05-04T10:05:00Z' };
    const analysedAt = (iso: string) =>
      new RegExp(`analysed ${new Date(iso).toLocaleString()}`);

    async function renderAndRefresh(
      refreshInsights: GoldenPathInsightsApi['refreshInsights'],
    ) {
      const getInsights = jest.fn(async () => older);
      const refresh = jest.fn(refreshInsights);
      await renderTab({ getInsights, refreshInsights: refresh });
      await screen.findByText(analysedAt(older.generatedAt));
      await userEvent.click(
        screen.getByRole('button', { name: 'Analyse again' }),
      );
      await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
      expect(refresh).toHaveBeenCalledWith({
        kind: 'Component',
        namespace: 'default',
        name: 'order-service',
      });
      return refresh;
    }

    it('shows the new analysis when the backend made one', async () => {
      await renderAndRefresh(async () => ({
        insights: newer,
        refresh: 'done',
      }));
      expect(
        await screen.findByText(analysedAt(newer.generatedAt)),
      ).toBeInTheDocument();
      expect(screen.queryByText(/Showing the analysis from/)).toBeNull();
    });

    it('says when the backend deferred it and when a new one can be asked for', async () => {
      await renderAndRefresh(async () => ({
        insights: older,
        refresh: 'deferred',
        retryAfterSeconds: 7,
      }));
      expect(
        await screen.findByText(
          `Showing the analysis from ${new Date(
            older.generatedAt,
          ).toLocaleString()}: a new one can be requested in 7 s (the backend limits forced refreshes)`,
        ),
      ).toBeInTheDocument();
    });

    it('says it was deferred when the backend gave no Retry-After', async () => {
      await renderAndRefresh(async () => ({
        insights: older,
        refresh: 'deferred',
      }));
      expect(
        await screen.findByText(
          /a new one can be requested later \(the backend limits forced refreshes\)$/,
        ),
      ).toBeInTheDocument();
    });
  });
});
