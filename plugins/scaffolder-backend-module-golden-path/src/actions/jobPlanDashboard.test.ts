import { runPlanAction } from '../__testUtils__/planAction';
import { recordedOrderService } from '../__testUtils__/recordedService';
import { createJobPlanAction } from './jobPlan';

/**
 * The service's Grafana dashboard (deploy/grafana/dashboards/<name>-service.json,
 * in the monorepo's deploy/) is one of the paths add-scheduled-job merges and
 * publishes when the checkout has it: the first job brings its job panels.
 */
const values = recordedOrderService({
  description: 'gRPC service owning the Order aggregate',
  goVersion: '1.26',
  dbIdent: 'order',
  grpcPort: 50051,
  owner: 'group:default/platform-team',
  system: 'system:default/shop',
  inlineApiDefinition: true,
});

const svc = 'services/order-service';
const files = {
  [`${svc}/cmd/main.go`]: 'package main\n',
  [`${svc}/db/migrations/0001_init.sql`]: '-- migration\n',
  [`${svc}/db/migrations/atlas.sum`]: 'h1:x\n',
  [`${svc}/.golden-path/values.json`]: JSON.stringify({
    template: 'go-service',
    version: 1,
    values,
  }),
};
const input = {
  service: 'component:default/order-service',
  job: { name: 'expire_orders', schedule: '0 */5 * * * *', timeout: '1m' },
};

describe('golden-path:job:plan and the dashboard', () => {
  const action = createJobPlanAction();

  it('merges and publishes the dashboard the checkout has', async () => {
    const out = await runPlanAction(
      action,
      {
        ...files,
        'deploy/grafana/dashboards/order-service.json': '{}\n',
        'deploy/grafana/dashboards/payment-service.json': '{}\n',
      },
      input,
    );
    expect(out.dashboard).toBe('deploy/grafana/dashboards/order-service.json');
    expect(out.paths).toEqual([
      'services/order-service',
      'api/proto/order',
      'pkg/proto/order',
      'deploy/grafana/dashboards/order-service.json',
    ]);
  });

  it('leaves it out for a service without one (made before dashboards): no conflict, nothing added', async () => {
    const out = await runPlanAction(
      action,
      {
        ...files,
        'deploy/grafana/dashboards/payment-service.json': '{}\n',
      },
      input,
    );
    expect(out.dashboard).toBe('');
    expect(out.paths).toEqual([
      'services/order-service',
      'api/proto/order',
      'pkg/proto/order',
    ]);
  });
});
