// Boots the real backend on SQLite, lists the templates with the static
// token, checks that auth is enforced, and stops it cleanly. On the way, the
// path confinement of issue 14 through the real backend: the insights API's
// one 404 for dir: locations that are missing or outside its roots (no
// stack, in development too), golden-path:publish:local refusing a dangling
// symlink at a destination, golden-path:template:merge refusing a service
// file that is a symlink (its target never reaches the log), and
// golden-path:local:checkout in a dry run reading only the monorepo of a
// catalog entity read from that monorepo (a source-location claiming it from
// elsewhere is refused).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  readdirSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BACKEND_URL,
  ROOT,
  authHeaders,
  startReadyBackend,
  stopProcess,
} from './lib/processes.mjs';
import { runTask } from './lib/tasks.mjs';

const BASE = BACKEND_URL;
let backend;

before(async () => {
  backend = await startReadyBackend('backend-smoke', {
    configs: ['app-config.yaml', 'e2e/fixtures/confinement.app-config.yaml'],
  });
});

after(async () => {
  if (backend) await stopProcess(backend);
  rmSync(TMP, { recursive: true, force: true });
  for (const d of [MONO, OTHER_MONO, PUBLISHED])
    rmSync(join(LOCAL_ROOT, d), { recursive: true, force: true });
});

const LOCAL_ROOT =
  process.env.GOLDEN_PATH_LOCAL_ROOT ?? join(ROOT, '.tools/local-repos');
const suffix = Date.now().toString(36);
const TMP = mkdtempSync(join(tmpdir(), 'gp-confinement-'));
const MONO = `confine-${suffix}`;
const OTHER_MONO = `confine-other-${suffix}`;
const PUBLISHED = `confine-pub-${suffix}`;
const TEMPLATE = `gp-confinement-${suffix}`;

function writeTree(dir, files) {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
}

const component = (name, annotations) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      'golden-path.dev/go-service': `services/${name}`,
      ...annotations,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/platform-team',
  },
});

/** Registers a file location through the catalog API and waits until `ref` (kind/namespace/name) is readable. */
async function register(file, ref) {
  const res = await fetch(`${BASE}/api/catalog/locations`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'file', target: file }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  for (let i = 0; i < 120; i++) {
    const e = await fetch(`${BASE}/api/catalog/entities/by-name/${ref}`, {
      headers: authHeaders(),
    });
    if (e.ok) return;
    await new Promise(r => setTimeout(r, 500));
  }
  assert.fail(`${ref} never became readable`);
}

// Template directories (templates/<name>/template.yaml) and top-level template
// files (templates/<name>.yaml, for templates reusing several skeletons).
const templateDirs = readdirSync(join(ROOT, 'templates'))
  .filter(
    d =>
      existsSync(join(ROOT, 'templates', d, 'template.yaml')) ||
      d.endsWith('.yaml'),
  )
  .map(d => d.replace(/\.yaml$/, ''));

test('lists every template in templates/ through the catalog API', async () => {
  assert.ok(templateDirs.length > 0, 'templates/ holds no template.yaml');
  let names = [];
  for (let i = 0; i < 60; i++) {
    const res = await fetch(
      `${BASE}/api/catalog/entities?filter=kind=template`,
      {
        headers: authHeaders(),
      },
    );
    assert.equal(res.status, 200);
    names = (await res.json()).map(e => e.metadata.name).sort();
    if (names.length >= templateDirs.length) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  assert.deepEqual(names, [...templateDirs].sort());
});

test('refuses catalog reads without a token', async () => {
  const res = await fetch(`${BASE}/api/catalog/entities?filter=kind=template`);
  assert.equal(res.status, 401);
});

test('refuses a wrong token', async () => {
  const res = await fetch(`${BASE}/api/catalog/entities`, {
    headers: { Authorization: 'Bearer not-the-token' },
  });
  assert.equal(res.status, 401);
});

test('issue 14: the insights API answers one 404, without a stack, for a dir: location missing or outside its roots', async () => {
  const cases = {
    [`gp-missing-${suffix}`]: `${LOCAL_ROOT}/no-such-monorepo-${suffix}/`,
    [`gp-outside-${suffix}`]: '/etc/',
    [`gp-outside-missing-${suffix}`]: `/no-such-directory-${suffix}/`,
    [`gp-escaping-${suffix}`]: `${LOCAL_ROOT}/../../../../../../etc/`,
  };
  const file = join(TMP, 'insights/catalog-info.yaml');
  writeTree(dirname(file), {
    'catalog-info.yaml': Object.entries(cases)
      .map(([name, target]) =>
        JSON.stringify(
          component(name, { 'backstage.io/source-location': `dir:${target}` }),
        ),
      )
      .join('\n---\n'),
  });
  await register(file, `component/default/gp-escaping-${suffix}`);
  for (const [name, target] of Object.entries(cases)) {
    const res = await fetch(
      `${BASE}/api/golden-path/entities/component/default/${name}/insights?refresh=true`,
      {
        headers: authHeaders(),
      },
    );
    const body = await res.json();
    assert.equal(res.status, 404, `${name}: ${JSON.stringify(body)}`);
    assert.deepEqual(body.error, {
      name: 'NotFoundError',
      message: `dir: source location "${target}" was not found under goldenPath.insights.localRoots`,
    });
  }
});

/** A template written at run time: its content holds symlinks, which fetch:plain copies when they stay inside. */
async function registerTemplate() {
  const dir = join(TMP, 'template');
  writeTree(join(dir, 'content'), {
    'base/svc/a.txt': 'one\ntwo\n',
    'next/svc/a.txt': 'one\nTWO\n',
    'secrets/token.txt': 'one\nTOP-SECRET-TOKEN\n',
    'pub/catalog-info.yaml': 'apiVersion: backstage.io/v1alpha1\n',
  });
  mkdirSync(join(dir, 'content/svc/svc'), { recursive: true });
  // The service's file is a link to another file of the workspace.
  symlinkSync('../../secrets/token.txt', join(dir, 'content/svc/svc/a.txt'));
  writeFileSync(
    join(dir, 'template.yaml'),
    JSON.stringify({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: TEMPLATE, title: 'Confinement checks (backend-smoke)' },
      spec: {
        owner: 'group:default/platform-team',
        type: 'test',
        parameters: [
          {
            properties: {
              case: { type: 'string' },
              localPath: { type: 'string' },
            },
          },
        ],
        steps: [
          { id: 'fetch', action: 'fetch:plain', input: { url: './content' } },
          {
            id: 'merge',
            if: "${{ parameters.case === 'merge' }}",
            action: 'golden-path:template:merge',
            input: { base: 'base', next: 'next', targetPath: 'svc' },
          },
          {
            id: 'publish',
            if: "${{ parameters.case === 'publish' }}",
            action: 'golden-path:publish:local',
            input: {
              path: '${{ parameters.localPath }}',
              sourcePath: 'pub',
              mode: 'merge',
              allowOverwrite: ['catalog-info.yaml'],
            },
          },
        ],
      },
    }),
  );
  await register(join(dir, 'template.yaml'), `template/default/${TEMPLATE}`);
}

test(
  'issue 14: golden-path:publish:local in a real task refuses a dangling symlink at a destination; nothing is written through it',
  { timeout: 120_000 },
  async () => {
    await registerTemplate();
    const target = join(LOCAL_ROOT, PUBLISHED);
    mkdirSync(target, { recursive: true });
    const pwned = join(TMP, 'pwned.yaml');
    symlinkSync(pwned, join(target, 'catalog-info.yaml'));
    const t = await runTask(`template:default/${TEMPLATE}`, {
      case: 'publish',
      localPath: PUBLISHED,
    });
    assert.equal(t.status, 'failed', t.log);
    assert.match(
      t.log,
      new RegExp(
        `destination in ${PUBLISHED} "catalog-info.yaml" is a symlink; symlinks are not followed here`,
      ),
    );
    assert.ok(
      !existsSync(pwned),
      'the write went through the dangling symlink',
    );
  },
);

test(
  'issue 14: golden-path:template:merge in a real task refuses a service file that is a symlink; its target never reaches the log',
  { timeout: 120_000 },
  async () => {
    const t = await runTask(`template:default/${TEMPLATE}`, { case: 'merge' });
    assert.equal(t.status, 'failed', t.log);
    assert.match(
      t.log,
      /current file "svc\/a.txt" is a symlink; symlinks are not followed here/,
    );
    assert.doesNotMatch(t.log, /TOP-SECRET-TOKEN/);
  },
);

test('issue 14: golden-path:local:checkout in a dry run reads only the monorepo of a catalog entity', async () => {
  const PAY = `pay-${suffix}-service`;
  writeTree(join(LOCAL_ROOT, MONO), {
    [`services/${PAY}/go.mod`]: 'module pay\n',
    [`services/${PAY}/catalog-info.yaml`]: JSON.stringify(
      component(PAY, {
        'backstage.io/source-location': `dir:${join(LOCAL_ROOT, MONO)}/`,
      }),
    ),
    'api/proto/buf.yaml': 'version: v2\n',
  });
  writeTree(join(LOCAL_ROOT, OTHER_MONO), {
    'services/other-service/go.mod': 'module other\n',
  });
  await register(
    join(LOCAL_ROOT, MONO, `services/${PAY}/catalog-info.yaml`),
    `component/default/${PAY}`,
  );
  // Registered from outside the monorepos: one claims MONO as its source.
  const file = join(TMP, 'checkout/catalog-info.yaml');
  writeTree(dirname(file), {
    'catalog-info.yaml': [
      component(`claim-service-${suffix}`, {
        'backstage.io/source-location': `dir:${join(LOCAL_ROOT, MONO)}/`,
      }),
      component(`other-service-${suffix}`, {
        'backstage.io/source-location': `dir:${join(LOCAL_ROOT, OTHER_MONO)}/`,
      }),
    ]
      .map(e => JSON.stringify(e))
      .join('\n---\n'),
  });
  await register(file, `component/default/other-service-${suffix}`);
  const dryRun = async entityRef => {
    const res = await fetch(`${BASE}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: { ...authHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'checkout-dry-run' },
          spec: {
            type: 'test',
            steps: [
              {
                id: 'checkout',
                action: 'golden-path:local:checkout',
                input: {
                  entityRef,
                  localPath: MONO,
                  paths: [`services/${PAY}`, 'api/proto'],
                },
              },
            ],
          },
        },
        values: {},
        directoryContents: [],
      }),
    });
    const body = await res.json();
    // A failed step fails the whole dry run: 400 with the step's message.
    if (res.status === 400)
      return { directoryContents: [], text: body.error.message };
    assert.equal(res.status, 200, JSON.stringify(body));
    return {
      ...body,
      text: body.log.map(l => l.body?.message ?? '').join('\n'),
    };
  };
  const ok = await dryRun(`component:default/${PAY}`);
  assert.deepEqual(
    ok.directoryContents.map(f => f.path).sort(),
    [
      'api/proto/buf.yaml',
      `services/${PAY}/catalog-info.yaml`,
      `services/${PAY}/go.mod`,
    ],
    ok.text,
  );
  const claim = await dryRun(`component:default/claim-service-${suffix}`);
  assert.deepEqual(claim.directoryContents, []);
  assert.match(
    claim.text,
    new RegExp(
      `component:default/claim-service-${suffix} was not read into the catalog from a file of localPath "${MONO}"`,
    ),
  );
  const missing = await dryRun(`component:default/nobody-${suffix}`);
  assert.deepEqual(missing.directoryContents, []);
  assert.match(
    missing.text,
    new RegExp(
      `component:default/nobody-${suffix} was not found in the catalog, or you may not read it`,
    ),
  );
  const other = await dryRun(`component:default/other-service-${suffix}`);
  assert.deepEqual(other.directoryContents, []);
  assert.match(
    other.text,
    new RegExp(
      `has its source at dir:\\S+/${OTHER_MONO}/, not in localPath "${MONO}"`,
    ),
  );
  // The insights hold the same rule: the claim reads nothing of MONO.
  const insights = async name => {
    const res = await fetch(
      `${BASE}/api/golden-path/entities/component/default/${name}/insights?refresh=true`,
      { headers: authHeaders() },
    );
    return { status: res.status, body: await res.json() };
  };
  const own = await insights(PAY);
  assert.equal(own.status, 200, JSON.stringify(own.body));
  const spoof = await insights(`claim-service-${suffix}`);
  assert.equal(spoof.status, 403, JSON.stringify(spoof.body));
  assert.deepEqual(spoof.body.error, {
    name: 'NotAllowedError',
    message: `source-location dir:${join(
      LOCAL_ROOT,
      MONO,
    )}/ is outside the location the entity was registered from (file:${file}): register it from the catalog-info.yaml of the repository that holds its source`,
  });
});

test('stops cleanly on SIGINT', async () => {
  await stopProcess(backend, 15_000);
  assert.ok(
    backend.exitCode === 0 ||
      backend.signalCode === 'SIGINT' ||
      backend.exitCode === 130,
    `backend exited with code ${backend.exitCode} signal ${backend.signalCode}`,
  );
  backend = undefined;
});
