import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  apiDocsConfigRef,
  defaultDefinitionWidgets,
} from '@backstage/plugin-api-docs';
import { withGrpcApiDefinitionWidget } from '../grpcApiDefinitionWidget';

/**
 * The api-docs plugin's `api:api-docs/config` with the Golden Path gRPC
 * definition widget in place of the default one (the other types keep
 * api-docs' own widgets).
 */
export const grpcApiDocsConfigApi = ApiBlueprint.make({
  name: 'config',
  params: defineParams =>
    defineParams({
      api: apiDocsConfigRef,
      deps: {},
      factory: () => {
        const widgets = withGrpcApiDefinitionWidget(defaultDefinitionWidgets());
        return {
          getApiDefinitionWidget: apiEntity =>
            widgets.find(w => w.type === apiEntity.spec.type),
        };
      },
    }),
});

/**
 * A module of the api-docs plugin: its Definition tab shows `grpc` API
 * entities in the Golden Path proto browser. Install it next to the
 * api-docs plugin: `createApp({ features: [goldenPathApiDocsModule] })`.
 *
 * @alpha
 */
export const goldenPathApiDocsModule = createFrontendModule({
  pluginId: 'api-docs',
  extensions: [grpcApiDocsConfigApi],
});
