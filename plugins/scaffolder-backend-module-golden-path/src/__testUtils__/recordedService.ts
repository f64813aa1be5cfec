/**
 * The values templates/go-service/template.yaml records for an order service
 * (aggregate Order with the field customer_id, no jobs yet), with `overrides`
 * (other fields, the values a template passes besides).
 */
export function recordedOrderService<T extends object = {}>(
  overrides: T = {} as T,
) {
  return {
    name: 'order',
    serviceName: 'order-service',
    pkgModule: 'github.com/acme/go-pkg',
    module: 'github.com/acme/order-service',
    protoPkg: 'order',
    aggregate: 'Order',
    aggSnake: 'order',
    aggLower: 'order',
    aggCamel: 'order',
    aggPlural: 'Orders',
    table: 'orders',
    fields: [{ name: 'customer_id', type: 'uuid' }],
    states: [],
    transitions: [],
    hasStateMachine: false,
    stage: 'mvp',
    jobs: [],
    jobsMigration: '0002',
    ...overrides,
  };
}
