import type { ApiDefinitionWidget } from '@backstage/plugin-api-docs';
import { GrpcApiDefinition } from './components/GrpcApiDefinition';

/**
 * The Definition tab's widget for `spec.type: grpc` API entities: the proto
 * browser (services, RPCs with their streaming, request and response fields
 * with their comments, enums, links to the source lines) with a Raw toggle.
 * Old frontend system: add it to the widgets of your `apiDocsConfigRef`
 * factory (see the README); the new frontend system installs it with
 * `goldenPathApiDocsModule` from `@golden-path/plugin-golden-path/alpha`.
 *
 * @public
 */
export const grpcApiDefinitionWidget: ApiDefinitionWidget = {
  type: 'grpc',
  title: 'gRPC',
  component: (definition: string) => (
    <GrpcApiDefinition definition={definition} />
  ),
};

/**
 * The given definition widgets with the `grpc` one replaced by
 * {@link grpcApiDefinitionWidget} (added when missing).
 *
 * @public
 */
export function withGrpcApiDefinitionWidget(
  widgets: ApiDefinitionWidget[],
): ApiDefinitionWidget[] {
  return [
    ...widgets.filter(w => w.type !== grpcApiDefinitionWidget.type),
    grpcApiDefinitionWidget,
  ];
}
