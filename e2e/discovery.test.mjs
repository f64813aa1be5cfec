// Issue 18, discovery: the real backend with the golden-path catalog module,
// its provider looking every 3 s (e2e/fixtures/discovery.app-config.yaml) at
// the local publish root. Services are written straight to a monorepo on disk,
// without Backstage: one as the Go service template writes it, one of an older
// bundle with only its recorded values, one made by hand with only a
// catalog-info.yaml. Each appears in the catalog with its API and database
// Resource within one refresh; a hostile catalog-info.yaml is skipped with one
// warning line naming it (not one per refresh); a deleted service disappears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BACKEND_URL,
  RESULTS_DIR,
  authHeaders,
  startSuiteBackend,
  stopProcess,
  waitForUrl,
} from './lib/processes.mjs';

const BASE = BACKEND_URL;
const REFRESH_MS = 3000;
// One refresh, then the catalog's processing and stitching of the new entities.
const WITHIN_MS = REFRESH_MS + 12_000;
const LOCAL_ROOT = process.env.GOLDEN_PATH_LOCAL_ROOT;
const suffix = Date.now().toString(36);
const MONO = join(LOCAL_ROOT ?? '/nonexistent', `discovery-${suffix}`);
const LOG = join(RESULTS_DIR, 'discovery-backend.log');
let backend;

before(async () => {
  assert.ok(
    LOCAL_ROOT,
    'GOLDEN_PATH_LOCAL_ROOT is not set: run through scripts/test.sh',
  );
  mkdirSync(join(MONO, 'services'), { recursive: true });
  backend = await startSuiteBackend('discovery-backend', {
    configs: ['app-config.yaml', 'e2e/fixtures/discovery.app-config.yaml'],
  });
  await waitForUrl(`${BASE}/.backstage/health/v1/readiness`, {
    child: backend,
  });
});

after(async () => {
  if (backend) await stopProcess(backend);
  rmSync(MONO, { recursive: true, force: true });
});

function writeTree(dir, files) {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
}

async function getEntity(ref) {
  const res = await fetch(`${BASE}/api/catalog/entities/by-name/${ref}`, {
    headers: authHeaders(),
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200)
    assert.fail(`GET ${ref}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Polls until `ready(entity)` holds for `ref` (kind/namespace/name); returns the entity and the time it took. */
async function waitFor(ref, ready, since, limitMs = WITHIN_MS) {
  for (;;) {
    const entity = await getEntity(ref);
    if (ready(entity)) return { entity, ms: Date.now() - since };
    if (Date.now() - since > limitMs)
      assert.fail(
        `${ref}: not as expected ${limitMs} ms after the change on disk`,
      );
    await sleep(200);
  }
}
const present = e => e !== undefined;
const absent = e => e === undefined;
const relationsOf = e =>
  (e?.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();

const proto = pkg =>
  `syntax = "proto3";\n\npackage ${pkg}.v1;\n\nservice ${pkg}Service {}\n`;
const values = (name, pkg) =>
  JSON.stringify({
    template: 'go-service',
    version: 1,
    values: {
      name,
      serviceName: `${name}-service`,
      description: `Go service ${name}`,
      protoPkg: pkg,
      owner: 'group:default/platform-team',
      system: `system:default/discovery-${suffix}`,
      stage: 'crud',
    },
  });
const catalogInfo = (name, definition) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}-service
  annotations:
    golden-path.dev/go-service: services/${name}-service
spec:
  type: service
  lifecycle: experimental
  owner: group:default/platform-team
  providesApis: [${name}-grpc-api]
  dependsOn: [resource:${name}-db]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${name}-grpc-api
spec:
  type: grpc
  lifecycle: experimental
  owner: group:default/platform-team
  definition: ${definition}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${name}-db
spec:
  type: database
  owner: group:default/platform-team
`;

const TEMPLATE = `tmpl${suffix}`;
const OLDER = `old${suffix}`;
const HAND = `hand${suffix}`;
const HOSTILE = `evil${suffix}`;
const timings = {};

test('services written to a monorepo on disk appear in the catalog with their API and database within one refresh', async () => {
  const t0 = Date.now();
  writeTree(MONO, {
    [`api/proto/${TEMPLATE}/v1/${TEMPLATE}_service.proto`]: proto(TEMPLATE),
    [`services/${TEMPLATE}-service/catalog-info.yaml`]: catalogInfo(
      TEMPLATE,
      `|\n    ${proto(TEMPLATE).trim().split('\n').join('\n    ')}`,
    ),
    [`services/${TEMPLATE}-service/.golden-path/values.json`]: values(
      TEMPLATE,
      TEMPLATE,
    ),
    // An older bundle: recorded values, no catalog-info.yaml.
    [`api/proto/${OLDER}/v1/${OLDER}_service.proto`]: proto(OLDER),
    [`services/${OLDER}-service/.golden-path/values.json`]: values(
      OLDER,
      OLDER,
    ),
    // Made by hand: a catalog-info.yaml whose API definition is a $text path, no values.
    [`api/proto/${HAND}/v1/${HAND}.proto`]: proto(HAND),
    [`services/${HAND}-service/catalog-info.yaml`]: catalogInfo(
      HAND,
      `{ $text: ../../api/proto/${HAND}/v1/${HAND}.proto }`,
    ),
  });
  for (const name of [TEMPLATE, OLDER, HAND]) {
    const { entity, ms } = await waitFor(
      `component/default/${name}-service`,
      e =>
        relationsOf(e).includes(`providesApi api:default/${name}-grpc-api`) &&
        relationsOf(e).includes(`dependsOn resource:default/${name}-db`),
      t0,
    );
    timings[name] = ms;
    assert.equal(
      entity.metadata.annotations['golden-path.dev/go-service'],
      `services/${name}-service`,
    );
    assert.equal(
      entity.metadata.annotations['backstage.io/managed-by-location'],
      `file:${join(MONO, 'services', `${name}-service`, 'catalog-info.yaml')}`,
    );
    const api = await getEntity(`api/default/${name}-grpc-api`);
    assert.equal(
      api?.spec.definition.trim(),
      proto(name).trim(),
      `${name}: the API definition is the service's proto`,
    );
    const db = await getEntity(`resource/default/${name}-db`);
    assert.equal(db?.spec.type, 'database');
  }
  console.log(
    `# appeared after ${JSON.stringify(
      timings,
    )} ms (refresh every ${REFRESH_MS} ms)`,
  );
});

test('a hostile catalog-info.yaml is skipped with one warning line naming it, not one per refresh', async () => {
  const file = join(
    MONO,
    'services',
    `${HOSTILE}-service`,
    'catalog-info.yaml',
  );
  writeTree(MONO, {
    [`services/${HOSTILE}-service/catalog-info.yaml`]: `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ${HOSTILE}-service }
spec: { type: service, lifecycle: experimental, owner: group:default/platform-team }
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: { name: ${HOSTILE}-loot }
spec: { type: file, targets: [/etc/passwd] }
`,
  });
  await sleep(REFRESH_MS * 4);
  const lines = readFileSync(LOG, 'utf8')
    .split('\n')
    .filter(l => l.includes(file));
  assert.equal(
    lines.length,
    1,
    `expected one line naming ${file}, got:\n${lines.join('\n')}`,
  );
  assert.match(lines[0], /warn/i);
  assert.match(
    lines[0],
    /declares kind "Location"; a service's catalog-info.yaml may declare only Component, API, Resource; its entities are skipped/,
  );
  assert.equal(
    await getEntity(`component/default/${HOSTILE}-service`),
    undefined,
  );
  assert.equal(await getEntity(`location/default/${HOSTILE}-loot`), undefined);
  // The other services are still there: one bad file spoils nothing else.
  assert.ok(await getEntity(`component/default/${TEMPLATE}-service`));
});

test('a service deleted from disk disappears from the catalog, its API and database too', async () => {
  const t0 = Date.now();
  rmSync(join(MONO, 'services', `${OLDER}-service`), { recursive: true });
  const { ms } = await waitFor(
    `component/default/${OLDER}-service`,
    absent,
    t0,
  );
  await waitFor(`api/default/${OLDER}-grpc-api`, absent, t0);
  await waitFor(`resource/default/${OLDER}-db`, absent, t0);
  assert.ok(
    await getEntity(`component/default/${HAND}-service`),
    'the other services stay',
  );
  console.log(`# disappeared after ${ms} ms (refresh every ${REFRESH_MS} ms)`);
  // And a service added back comes back.
  const t1 = Date.now();
  writeTree(MONO, {
    [`services/${OLDER}-service/.golden-path/values.json`]: values(
      OLDER,
      OLDER,
    ),
  });
  await waitFor(`component/default/${OLDER}-service`, present, t1);
});
