import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { goServiceEntity, plainEntity } from '../__fixtures__/insights';
import { goldenPathInsightsApiRef } from '../api';
import { goldenPathInsightsApi } from './apis';
import { goldenPathInsightsEntityCard } from './entityCard';
import { goldenPathArchitectureEntityContent } from './entityContent';
import { goldenPathPlugin } from './plugin';

const apiEntity = { ...goServiceEntity, kind: 'API' };

describe('golden-path frontend plugin', () => {
  it('has the golden-path id', () => {
    expect(goldenPathPlugin.pluginId).toBe('golden-path');
  });

  it('provides the Architecture tab at architecture, for Go services only', () => {
    const tester = createExtensionTester(goldenPathArchitectureEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('architecture');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Architecture',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(goServiceEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);
    expect(filter?.(apiEntity)).toBe(false);
  });

  it('provides the overview card for Go services only', () => {
    const tester = createExtensionTester(goldenPathInsightsEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(goServiceEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);
  });

  it('provides the insights API', () => {
    const tester = createExtensionTester(goldenPathInsightsApi);
    expect(tester.get(ApiBlueprint.dataRefs.factory).api.id).toBe(
      goldenPathInsightsApiRef.id,
    );
  });
});
