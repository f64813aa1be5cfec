// Reads a service's Grafana dashboard (deploy/grafana/dashboards/<name>.json)
// and prints its Prometheus queries as a Prometheus rule file, so that
// `promtool check rules` parses every query with Prometheus's own parser.
// Before that it checks, one line per problem, what promtool cannot see:
// every metric a query names is registered by pkg (the RPC metrics in
// pkg/middleware/grpc/interceptor, the job metrics in pkg/job, the pool's in
// pkg/database), the pool panels are there (every service has a database), every query
// selects the service's own series (service="<name>", the label of its
// Prometheus target file), the job panels are there exactly when the service
// has jobs, and the uid fits Grafana's 40 characters.
//
// Usage: node dashboard-rules.mjs DASHBOARD MONOREPO_DIR SERVICE HAS_JOBS(true|false) > rules.yml
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [file, root, service, hasJobs] = process.argv.slice(2);
const dashboard = JSON.parse(readFileSync(file, 'utf8'));
const registered = [
  'pkg/middleware/grpc/interceptor/metrics.go',
  'pkg/job/metrics.go',
  'pkg/database/metrics.go',
]
  .map(f => readFileSync(join(root, f), 'utf8'))
  .join('\n');
const problems = [];
if (!dashboard.uid || dashboard.uid.length > 40)
  problems.push(`${file}: uid "${dashboard.uid}" must be 1 to 40 characters`);
const queries = dashboard.panels.flatMap(p =>
  (p.targets ?? [])
    .filter(t => (t.datasource ?? p.datasource)?.type === 'prometheus')
    .map(t => ({ panel: p.title, refId: t.refId, expr: t.expr })),
);
if (!queries.length) problems.push(`${file}: no Prometheus query`);
for (const q of queries) {
  const where = `${file}: panel "${q.panel}" ${q.refId}`;
  if (!q.expr.includes(`service="${service}"`))
    problems.push(`${where} does not select service="${service}"`);
  for (const m of q.expr.match(/\b(grpc_server|job|db_pool)_[a-z_]+/g) ?? []) {
    const base = m.replace(/_(bucket|sum|count)$/, '');
    if (!registered.includes(`"${base}"`))
      problems.push(`${where} uses ${m}, which pkg does not register`);
  }
}
if (!queries.some(q => /\bdb_pool_/.test(q.expr)))
  problems.push(`${file}: no panel of the database pool (db_pool_*)`);
const jobPanels = queries.some(q => /\bjob_/.test(q.expr));
if (jobPanels !== (hasJobs === 'true'))
  problems.push(
    `${file}: job panels ${jobPanels ? 'present' : 'missing'} for a service ${
      hasJobs === 'true' ? 'with' : 'without'
    } jobs`,
  );
if (
  !dashboard.panels.some(p =>
    (p.targets ?? []).some(t => t.expr === `{service_name="${service}"}`),
  )
)
  problems.push(`${file}: no Loki logs panel for service_name="${service}"`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
// Grafana's $__rate_interval is not PromQL: promtool sees a fixed range.
console.log('groups:\n  - name: dashboard-queries\n    rules:');
queries.forEach((q, i) => {
  console.log(`      - record: dashboard:query_${i}`);
  console.log(
    `        expr: ${JSON.stringify(
      q.expr.replaceAll('$__rate_interval', '5m'),
    )}`,
  );
});
