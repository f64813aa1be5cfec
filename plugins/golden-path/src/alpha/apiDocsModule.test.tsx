import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import type { ApiEntity } from '@backstage/catalog-model';
import type { ApiDocsConfig } from '@backstage/plugin-api-docs';
import { grpcApiDefinitionWidget } from '../grpcApiDefinitionWidget';
import { goldenPathApiDocsModule, grpcApiDocsConfigApi } from './apiDocsModule';

const api = (type: string) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: `${type}-api` },
    spec: { type, lifecycle: 'production', owner: 'me', definition: '' },
  } as ApiEntity);

describe('goldenPathApiDocsModule', () => {
  it('overrides the api-docs config API of the api-docs plugin', () => {
    expect(goldenPathApiDocsModule).toMatchObject({ pluginId: 'api-docs' });
    const tester = createExtensionTester(grpcApiDocsConfigApi);
    const factory = tester.get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe('plugin.api-docs.config');
  });

  it('gives grpc APIs the proto browser and keeps the other widgets', () => {
    const factory = createExtensionTester(grpcApiDocsConfigApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    const config = factory.factory({}) as ApiDocsConfig;
    expect(config.getApiDefinitionWidget(api('grpc'))).toBe(
      grpcApiDefinitionWidget,
    );
    expect(config.getApiDefinitionWidget(api('openapi'))).toMatchObject({
      type: 'openapi',
      title: 'OpenAPI',
    });
    expect(config.getApiDefinitionWidget(api('unknown'))).toBeUndefined();
  });
});
