// Prints a promtool unit test (`promtool test rules`) of the database pool
// panels of a service's Grafana dashboard: their queries, as the dashboard has
// them, evaluated by Prometheus's engine on the series of two replicas of the
// service and one of another service, must give what the panels' descriptions
// promise: connections summed over the replicas, the mean wait per acquire
// and the share of acquires that waited.
//
// Usage: node dashboard-pool-test.mjs DASHBOARD SERVICE > pool-test.yml
import { readFileSync } from 'node:fs';

const [file, service] = process.argv.slice(2);
const dashboard = JSON.parse(readFileSync(file, 'utf8'));

/** The query of `refId` in the panel titled `title`, as promtool takes it. */
function query(title, refId) {
  const panel = dashboard.panels.find(p => p.title === title);
  const target = panel?.targets?.find(t => t.refId === refId);
  if (!target) {
    console.error(`${file}: no panel "${title}" with a query ${refId}`);
    process.exit(1);
  }
  // Grafana's $__rate_interval is not PromQL.
  return target.expr.replaceAll('$__rate_interval', '5m');
}

// Samples every minute for 10 minutes; counters grow by the given amount a
// minute. Replica a: 10 acquires/s, 2 empty/s, 1 s of wait/s; replica b: 14,
// 4 and 2. Together: 24 acquires/s, 6 of them waited (0.25), 3 s of wait/s
// (0.125 s per acquire).
const series = (metric, instance, values, svc = service) =>
  `      - series: '${metric}{service="${svc}", instance="${instance}"}'\n        values: '${values}'`;
const cases = [
  ['Database connections', 'A', 8],
  ['Database connections', 'B', 3],
  ['Database connections', 'C', 20],
  ['Waiting for a database connection', 'A', 0.125],
  ['Waiting for a database connection', 'B', 0.25],
];
console.log(`rule_files: []
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
${[
  series('db_pool_acquired_connections', 'a', '3x10'),
  series('db_pool_acquired_connections', 'b', '5x10'),
  series('db_pool_idle_connections', 'a', '2x10'),
  series('db_pool_idle_connections', 'b', '1x10'),
  series('db_pool_max_connections', 'a', '10x10'),
  series('db_pool_max_connections', 'b', '10x10'),
  series('db_pool_acquires_total', 'a', '0+600x10'),
  series('db_pool_acquires_total', 'b', '0+840x10'),
  series('db_pool_empty_acquires_total', 'a', '0+120x10'),
  series('db_pool_empty_acquires_total', 'b', '0+240x10'),
  series('db_pool_acquire_wait_seconds_total', 'a', '0+60x10'),
  series('db_pool_acquire_wait_seconds_total', 'b', '0+120x10'),
  // Another service's pool, which no panel of this one may count.
  series('db_pool_acquired_connections', 'c', '100x10', 'other-service'),
  series('db_pool_acquires_total', 'c', '0+6000x10', 'other-service'),
  series(
    'db_pool_acquire_wait_seconds_total',
    'c',
    '0+6000x10',
    'other-service',
  ),
].join('\n')}
    promql_expr_test:
${cases
  .map(
    ([title, refId, value]) => `      - expr: ${JSON.stringify(
      query(title, refId),
    )}
        eval_time: 10m
        exp_samples:
          - labels: '{}'
            value: ${value}`,
  )
  .join('\n')}`);
