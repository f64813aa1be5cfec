import { templatePkgFiles, withoutFunc } from '../__testUtils__/monorepoPkg';
import { runPlanAction } from '../__testUtils__/planAction';
import { createDependencyPlanAction } from './dependencyPlan';

const action = createDependencyPlanAction();

/** The values templates/go-service/template.yaml records, for a service named `name`. */
function recorded(
  name: string,
  aggregate: string,
  grpcPort: number,
  dependencies: Record<string, unknown>[] = [],
) {
  const protoPkg = name.replace(/-/g, '');
  return {
    name,
    serviceName: `${name}-service`,
    pkgModule: 'github.com/acme/go-pkg',
    module: `github.com/acme/${name}-service`,
    protoPkg,
    aggregate,
    aggSnake: aggregate.toLowerCase(),
    aggLower: aggregate.toLowerCase(),
    aggCamel: aggregate.toLowerCase(),
    aggPlural: `${aggregate}s`,
    table: `${aggregate.toLowerCase()}s`,
    fields: [{ name: 'title', type: 'string' }],
    states: [],
    transitions: [],
    hasStateMachine: false,
    stage: 'mvp',
    grpcPort,
    jobs: [],
    dependencies,
    jobsMigration: '0002',
  };
}

/** A service of the monorepo: recorded values, proto and generated code. */
function service(values: ReturnType<typeof recorded>) {
  const p = values.protoPkg;
  return {
    [`services/${values.serviceName}/.golden-path/values.json`]: JSON.stringify(
      { template: 'go-service', version: 1, values },
    ),
    [`api/proto/${p}/v1/${p}_service.proto`]: `syntax = "proto3";\npackage ${p}.v1;\nservice ${values.aggregate}Service {\n  rpc Get${values.aggregate}(Get${values.aggregate}Request) returns (Get${values.aggregate}Response);\n}\n`,
    [`pkg/proto/${p}/v1/${p}_service.pb.go`]: `package ${p}v1\n`,
  };
}

const orderHistory = recorded('order-history', 'OrderLine', 50071);
const monorepo = {
  'pkg/circuitbreaker/circuitbreaker.go': 'package circuitbreaker\n',
  'pkg/middleware/grpc/interceptor/client.go': 'package interceptor\n',
  ...service(orderHistory),
  ...service(recorded('catalog', 'Product', 50072)),
  // invoice calls billing, billing calls catalog: catalog -> invoice is a cycle.
  ...service(
    recorded('billing', 'Bill', 50073, [
      { name: 'catalog', aggregate: 'Product' },
    ]),
  ),
  ...service(
    recorded('invoice', 'Invoice', 50074, [
      { name: 'billing', aggregate: 'Bill' },
    ]),
  ),
  // The same aggregate as order-history.
  ...service(recorded('order-archive', 'OrderLine', 50075)),
  'services/legacy-service/main.go': 'package main\n',
};

const plan = (input: Record<string, unknown>, files = monorepo) =>
  runPlanAction(action, files, {
    service: 'component:default/catalog-service',
    ...input,
  });

describe('golden-path:dependency:plan', () => {
  it('plans the first dependency: the client, its port, the connection and the Fx module', async () => {
    const out = await plan({
      dependency: 'component:default/order-history-service',
    });
    expect(out.serviceDir).toBe('services/catalog-service');
    expect(out.dependency).toEqual({
      name: 'order-history',
      serviceName: 'order-history-service',
      protoPkg: 'orderhistory',
      aggregate: 'OrderLine',
      aggPlural: 'OrderLines',
      aggSnake: 'order_line',
      grpcPort: 50071,
      pascal: 'OrderHistory',
      camel: 'orderHistory',
      snake: 'order_history',
      env: 'ORDER_HISTORY',
    });
    expect(out.files).toEqual([
      'services/catalog-service/internal/adapter/outbound/grpcclient/conn.go',
      'services/catalog-service/internal/adapter/outbound/grpcclient/order_history_client.go',
      'services/catalog-service/internal/adapter/outbound/grpcclient/order_history_client_test.go',
      'services/catalog-service/internal/application/port/output/order_history_client.go',
      'services/catalog-service/internal/infrastructure/fx/external_module.go',
    ]);
    // The renders: the Go service template's skeletons, with the client's
    // two parts only in next.
    expect(out.base.map((r: any) => r.url)).toEqual(['./go-service/skeleton']);
    expect(out.base[0].values.dependencies).toEqual([]);
    expect(out.next.map((r: any) => r.url)).toEqual([
      './go-service/skeleton',
      './go-service/skeleton-dependencies',
      './go-service/skeleton-dependency',
    ]);
    expect(out.next[0].values.dependencies).toEqual([out.dependency]);
    expect(out.next[2].values).toEqual({
      name: 'catalog',
      serviceName: 'catalog-service',
      module: 'github.com/acme/catalog-service',
      pkgModule: 'github.com/acme/go-pkg',
      dep: out.dependency,
    });
  });

  it('plans a second dependency next to the recorded one', async () => {
    const first = (await plan({ dependency: 'order-history' })).dependency;
    const files = {
      ...monorepo,
      ...service(recorded('catalog', 'Product', 50072, [first])),
    };
    const out = await plan({ dependency: 'billing-service' }, files).catch(
      e => e,
    );
    // billing calls catalog: refused as a cycle, the recorded one kept.
    expect(out.message).toBe(
      'dependency "billing": billing -> catalog exists already, so catalog -> billing would make a cycle',
    );
    const ok = await plan(
      {
        service: 'component:default/invoice-service',
        dependency: 'order-history',
      },
      files,
    );
    expect(ok.base[0].values.dependencies).toEqual([
      { name: 'billing', aggregate: 'Bill' },
    ]);
    expect(ok.next[0].values.dependencies.map((d: any) => d.name)).toEqual([
      'billing',
      'order-history',
    ]);
    expect(ok.files).not.toContain(
      'services/invoice-service/internal/infrastructure/fx/external_module.go',
    );
    const clients = (renders: any[]) =>
      renders
        .filter(r => r.url === './go-service/skeleton-dependency')
        .map(r => r.values.dep.name);
    expect(clients(ok.base)).toEqual(['billing']);
    expect(clients(ok.next)).toEqual(['billing', 'order-history']);
  });

  it.each([
    [
      'a service not in the monorepo',
      { dependency: 'component:default/shipping-service' },
      'dependency "shipping": the monorepo has no services/shipping-service; its services are billing, catalog, invoice, legacy, order-archive, order-history',
    ],
    [
      'the service itself',
      { dependency: 'catalog' },
      'dependency "catalog" is the service itself: a service cannot depend on itself (a cycle)',
    ],
    [
      'a cycle through the recorded values',
      { dependency: 'invoice' },
      'dependency "invoice": invoice -> billing -> catalog exists already, so catalog -> invoice would make a cycle',
    ],
    [
      'a part of the monorepo that is not a service',
      { dependency: 'component:default/gateway' },
      'dependency "gateway" is not a service: gateway is a part of the monorepo every service shares',
    ],
    [
      'a directory that is no Go service of the template',
      { dependency: 'legacy' },
      'dependency "legacy": services/legacy-service is not a Go service made by the Go service template (no .golden-path/values.json), so its API cannot be read',
    ],
    [
      'an entity of another kind',
      { dependency: 'api:default/order-history-grpc-api' },
      'dependency "api:default/order-history-grpc-api" is not a Go service: give its Component (component:default/order-service), its name (order-service or order)',
    ],
    [
      'a hostile string',
      { dependency: 'order-history\n$(rm -rf /)' },
      'dependency "order-history\\n$(rm -rf /)" is not a Go service: give its Component (component:default/order-service), its name (order-service or order)',
    ],
    [
      'a path',
      { dependency: '../../etc' },
      'dependency "../../etc" is not a Go service: give its Component (component:default/order-service), its name (order-service or order)',
    ],
  ])(
    'refuses %s in one line, writing nothing',
    async (_label, input, message) => {
      const error = await plan(input).then(
        () => new Error('accepted'),
        e => e,
      );
      expect(error.message).toBe(message);
    },
  );

  it('refuses a service it calls already', async () => {
    const first = (await plan({ dependency: 'order-history' })).dependency;
    await expect(
      plan(
        { dependency: 'order-history' },
        {
          ...monorepo,
          ...service(recorded('catalog', 'Product', 50072, [first])),
        },
      ),
    ).rejects.toThrow(
      'dependency "order-history": catalog-service calls order-history-service already (its recorded dependencies); nothing to add',
    );
  });

  it('refuses a second service with the aggregate of one it calls', async () => {
    const first = (await plan({ dependency: 'order-history' })).dependency;
    await expect(
      plan(
        { dependency: 'order-archive' },
        {
          ...monorepo,
          ...service(recorded('catalog', 'Product', 50072, [first])),
        },
      ),
    ).rejects.toThrow(
      'dependency "order-archive": its aggregate OrderLine is also the one of the order-history client it has, and the output ports are named after it; call one of them by hand',
    );
  });
});

describe("golden-path:dependency:plan against the monorepo's pkg module", () => {
  const withoutStopTicks = withoutFunc(
    'job/scheduler.go',
    'func (s *Scheduler) StopTicks(',
  );

  it('refuses an older pkg in one line naming what it lacks', async () => {
    const files = { ...monorepo, ...templatePkgFiles(withoutStopTicks) };
    await expect(
      plan({ dependency: 'component:default/order-history-service' }, files),
    ).rejects.toThrow(
      "services/catalog-service needs pkg APIs this monorepo's pkg module lacks (job.Scheduler.StopTicks in pkg/job): its pkg is older than the go-service template; run the upgrade-monorepo template on the monorepo first, then add the dependency",
    );
  });

  it("plans against the template's pkg", async () => {
    const files = { ...monorepo, ...templatePkgFiles() };
    const out = await plan(
      { dependency: 'component:default/order-history-service' },
      files,
    );
    expect(out.serviceDir).toBe('services/catalog-service');
  });
});
