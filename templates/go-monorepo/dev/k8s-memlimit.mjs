// GOMEMLIMIT against limits.memory in a `kustomize build` output (standard
// input): every container and init container of every workload with a memory
// limit runs a Go binary in the golden path's manifests (the services, Atlas,
// the gateway), so each sets GOMEMLIMIT, a literal, to 85-95% of its limit
// (decision 55 of go-service, 40 of go-monorepo). Prints one line per container
// and one line per problem (where, what, how to fix); exits 1 on a problem.
//
// Usage: kustomize build DIR | node k8s-memlimit.mjs DIR
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const { parseAllDocuments } = createRequire(`${repo}/package.json`)('yaml');
const label = process.argv[2] ?? 'stdin';

// Kubernetes quantities and the Go runtime's GOMEMLIMIT suffixes differ
// (230Mi is a valid limit but an invalid GOMEMLIMIT).
const k8sUnits = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};
const goUnits = {
  '': 1,
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};
const bytes = (value, units) => {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(value ?? ''));
  return m && m[2] in units ? Number(m[1]) * units[m[2]] : undefined;
};
const mib = n => `${Math.floor(n / 2 ** 20)}MiB`;

const podSpec = d =>
  d.kind === 'CronJob'
    ? d.spec?.jobTemplate?.spec?.template?.spec
    : d.kind === 'Pod'
    ? d.spec
    : d.spec?.template?.spec;
const workloads = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
];

const docs = parseAllDocuments(readFileSync(0, 'utf8'))
  .map(d => d.toJS())
  .filter(d => d && workloads.includes(d.kind));
let bad = 0;
let checked = 0;
const problem = msg => {
  console.log(msg);
  bad = 1;
};
for (const d of docs) {
  const spec = podSpec(d) ?? {};
  const containers = [
    ...(spec.initContainers ?? []).map(c => [`initContainers[${c.name}]`, c]),
    ...(spec.containers ?? []).map(c => [`containers[${c.name}]`, c]),
  ];
  for (const [at, c] of containers) {
    const where = `${label}: ${d.kind} ${d.metadata?.name} ${at}`;
    const raw = c.resources?.limits?.memory;
    if (raw === undefined) continue;
    checked++;
    const limit = bytes(raw, k8sUnits);
    if (limit === undefined) {
      problem(
        `${where}: cannot read limits.memory ${JSON.stringify(
          raw,
        )}; write it as a Kubernetes quantity such as 256Mi`,
      );
      continue;
    }
    const suggestion = mib(0.9 * limit);
    const env = (c.env ?? []).find(e => e.name === 'GOMEMLIMIT');
    if (!env) {
      problem(
        `${where}: limits.memory ${raw} but no GOMEMLIMIT; add env GOMEMLIMIT: ${suggestion} (about 90% of it)`,
      );
      continue;
    }
    if (env.value === undefined) {
      problem(
        `${where}: GOMEMLIMIT is not a literal (the downward API gives the whole limit); set value: ${suggestion}`,
      );
      continue;
    }
    const soft = bytes(env.value, goUnits);
    if (soft === undefined) {
      problem(
        `${where}: GOMEMLIMIT ${JSON.stringify(
          env.value,
        )} is not a Go memory limit; write it as ${suggestion} (B, KiB, MiB, GiB)`,
      );
      continue;
    }
    const pct = (100 * soft) / limit;
    console.log(
      `${where}: GOMEMLIMIT ${env.value} is ${pct.toFixed(
        1,
      )}% of limits.memory ${raw}`,
    );
    if (pct < 85 || pct > 95) {
      problem(
        `${where}: GOMEMLIMIT ${env.value} must be 85-95% of limits.memory ${raw}; change them together (${suggestion})`,
      );
    }
  }
}
if (checked === 0) problem(`${label}: no container with limits.memory`);
process.exit(bad);
