import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { defaultDefinitionWidgets } from '@backstage/plugin-api-docs';
import {
  grpcApiDefinitionWidget,
  withGrpcApiDefinitionWidget,
} from './grpcApiDefinitionWidget';

jest.setTimeout(30_000);

describe('grpcApiDefinitionWidget', () => {
  it('replaces the grpc widget of api-docs, once', () => {
    const widgets = withGrpcApiDefinitionWidget(defaultDefinitionWidgets());
    expect(widgets.filter(w => w.type === 'grpc')).toEqual([
      grpcApiDefinitionWidget,
    ]);
    expect(widgets.map(w => w.type).sort()).toEqual(
      defaultDefinitionWidgets()
        .map(w => w.type)
        .sort(),
    );
    expect(withGrpcApiDefinitionWidget([])).toEqual([grpcApiDefinitionWidget]);
  });

  it('renders the proto browser for a definition', async () => {
    await renderInTestApp(
      grpcApiDefinitionWidget.component(
        'syntax = "proto3";\npackage a.v1;\n// Pinger pings.\nservice Pinger { rpc Ping(P) returns (stream P); }\nmessage P {}\n',
      ),
    );
    expect(await screen.findByLabelText('service Pinger')).toBeInTheDocument();
    expect(screen.getByText('Pinger pings.')).toBeInTheDocument();
  });
});
