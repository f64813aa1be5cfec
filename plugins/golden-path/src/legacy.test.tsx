import { getComponentData } from '@backstage/core-plugin-api';
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityGoldenPathArchitectureContent,
  EntityGoldenPathInsightsCard,
  goldenPathLegacyPlugin,
  isGoldenPathService,
  goldenPathInsightsApiRef,
  GoServiceDependencyPickerFieldExtension,
  GoServiceDependenciesPickerFieldExtension,
} from './index';
import {
  goServiceEntity,
  insightsFixture,
  plainEntity,
} from './__fixtures__/insights';

describe('legacy exports', () => {
  it('register the insights, onboarding and fleet APIs with the old frontend system', () => {
    expect(goldenPathLegacyPlugin.getId()).toBe('golden-path');
    expect([...goldenPathLegacyPlugin.getApis()].map(f => f.api.id)).toEqual([
      goldenPathInsightsApiRef.id,
      'plugin.golden-path.onboarding',
      'plugin.golden-path.fleet',
    ]);
    // a routable extension, mounted by <EntityLayout.Route path="/architecture">
    expect(EntityGoldenPathArchitectureContent).toBeDefined();
  });

  it('provide the scaffolder fields for <ScaffolderFieldExtensions>', () => {
    for (const [Extension, name] of [
      [GoServiceDependencyPickerFieldExtension, 'GoServiceDependencyPicker'],
      [
        GoServiceDependenciesPickerFieldExtension,
        'GoServiceDependenciesPicker',
      ],
    ] as const) {
      // what <ScaffolderFieldExtensions> collects from its children
      const field = getComponentData<any>(
        <Extension />,
        'scaffolder.extensions.field.v1',
      );
      expect(field?.name).toBe(name);
      expect(typeof field?.validation).toBe('function');
    }
  });

  it('tell Go services apart', () => {
    expect(isGoldenPathService(goServiceEntity)).toBe(true);
    expect(isGoldenPathService(plainEntity)).toBe(false);
    expect(isGoldenPathService({ ...goServiceEntity, kind: 'API' })).toBe(
      false,
    );
  });

  it('render the card inside an entity page', async () => {
    await renderInTestApp(
      <EntityProvider entity={goServiceEntity}>
        <EntityGoldenPathInsightsCard />
      </EntityProvider>,
      {
        apis: [
          [
            goldenPathInsightsApiRef,
            { getInsights: async () => insightsFixture },
          ],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Golden Path insights')).toBeInTheDocument();
    expect(
      await screen.findByText('1 dependency-rule violation'),
    ).toBeInTheDocument();
  });
});
