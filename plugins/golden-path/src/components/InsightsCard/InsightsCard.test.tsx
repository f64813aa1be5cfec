import { screen, within } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { insightsFixture, plainEntity } from '../../__fixtures__/insights';
import type { GoldenPathInsightsApi } from '../../api';
import { renderWithInsights } from '../../__testUtils__/renderWithInsights';
import { InsightsCard } from './InsightsCard';

function renderCard(
  getInsights: GoldenPathInsightsApi['getInsights'],
  entity?: Entity,
) {
  return renderWithInsights(<InsightsCard />, getInsights, entity, {
    '/catalog/:namespace/:kind/:name': entityRouteRef,
  });
}

describe('InsightsCard', () => {
  it('summarises layers, APIs and migrations and links to the tab', async () => {
    await renderCard(jest.fn(async () => insightsFixture));
    const layers = await screen.findByLabelText('Layers');
    expect(within(layers).getByText('domain 2')).toBeInTheDocument();
    expect(
      within(layers).getByText('1 dependency-rule violation'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('APIs')).getByText(
        '1 service, 2 RPCs; 1 convention problem',
      ),
    ).toBeInTheDocument();
    const migrations = screen.getByLabelText('Migrations');
    expect(
      within(migrations).getByText('atlas.sum mismatch'),
    ).toBeInTheDocument();
    expect(
      within(migrations).getByText('staging: pending'),
    ).toBeInTheDocument();
    expect(within(migrations).getByText('qa: unreachable')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open the Architecture tab' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/order-service/architecture',
    );
  });

  it.each([
    [true, 'warning'],
    [false, 'neutral'],
  ])(
    'shows an empty layer as missing only in the golden-path layout (follows: %s → %s)',
    async (followsGoldenPath, tone) => {
      await renderCard(
        jest.fn(async () => ({
          ...insightsFixture,
          layers: {
            ...insightsFixture.layers,
            followsGoldenPath,
            layers: insightsFixture.layers.layers.map(l =>
              l.layer === 'application' ? { ...l, packages: 0 } : l,
            ),
          },
        })),
      );
      const layers = await screen.findByLabelText('Layers');
      expect(within(layers).getByText('application 0')).toHaveAttribute(
        'data-tone',
        tone,
      );
    },
  );

  it('counts proto problems, not the note that an import was not analysed', async () => {
    await renderCard(
      jest.fn(async () => ({
        ...insightsFixture,
        protos: {
          ...insightsFixture.protos,
          problems: [
            {
              severity: 'info' as const,
              code: 'proto-import-not-analysed',
              message:
                'import "google/api/annotations.proto" (in order.proto) is not in the source tree',
            },
          ],
        },
      })),
    );
    expect(
      await within(await screen.findByLabelText('APIs')).findByText(
        '1 service, 2 RPCs; 1 convention problem',
      ),
    ).toBeInTheDocument();
  });

  it('lists what needs attention first: unreachable databases, unparsable protos, unread files', async () => {
    const [file] = insightsFixture.protos.files;
    const broken = {
      ...insightsFixture,
      source: {
        ...insightsFixture.source,
        problems: [
          {
            severity: 'warning' as const,
            code: 'binary-file',
            message: 'binary content; not analysed',
            path: 'services/order-service/internal/logo.go',
          },
          {
            severity: 'warning' as const,
            code: 'symlink-loop',
            message: 'symlink loop: leads back to internal',
            path: 'services/order-service/internal/self',
          },
          {
            severity: 'warning' as const,
            code: 'file-too-large',
            message: '10 MiB, over the limit of 1 MiB per file',
            path: 'api/proto/order/v1/huge.proto',
          },
        ],
      },
      protos: {
        ...insightsFixture.protos,
        files: [
          {
            ...file,
            services: [],
            parseError: { message: 'expected ")"', line: 9, column: 40 },
          },
        ],
      },
    };
    await renderCard(jest.fn(async () => broken));
    const attention = await screen.findByLabelText('Needs attention');
    const items = within(attention)
      .getAllByRole('listitem')
      .map(i => i.textContent);
    expect(items).toEqual([
      'qadatabase unreachable: connect ECONNREFUSED 10.0.0.5:5432',
      `proto${file.path} does not parse: expected ")" (line 9)`,
      'sourcebinary content; not analysed (services/order-service/internal/logo.go)',
      'sourcesymlink loop: leads back to internal (services/order-service/internal/self)',
    ]);
    expect(
      within(attention).getByText('and 1 more on the Architecture tab'),
    ).toBeInTheDocument();
  });

  it('lists nothing to attend to when all is well', async () => {
    await renderCard(
      jest.fn(async () => ({
        ...insightsFixture,
        migrations: { ...insightsFixture.migrations, environments: [] },
      })),
    );
    await screen.findByLabelText('Layers');
    expect(screen.queryByLabelText('Needs attention')).toBeNull();
  });

  it('asks for the annotation on other Components', async () => {
    const getInsights = jest.fn();
    await renderCard(getInsights, plainEntity);
    expect(
      screen.getByText(
        /Add golden-path\.dev\/go-service to catalog-info\.yaml/,
      ),
    ).toBeInTheDocument();
    expect(getInsights).not.toHaveBeenCalled();
  });
});
