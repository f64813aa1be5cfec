// Loads one exported dynamic backend plugin (a dist-dynamic directory) the
// way a dynamic-plugin host does, as plain Node: requires the package, takes
// its default export (a BackendFeature), starts a test backend with it and
// the plugin it extends, and asks that backend for what the feature
// registered. Prints one JSON line: { name, type, ...what was found }.
//   node e2e/lib/dynamicPluginHost.cjs <dist-dynamic dir> <check>
const path = require('node:path');
const { createRequire } = require('node:module');

const [dir, check] = process.argv.slice(2);
const ROOT = path.resolve(__dirname, '../..');
// the host's packages (Backstage's, shared with every dynamic plugin)
const host = createRequire(path.join(ROOT, 'packages/backend/package.json'));
const testUtils = createRequire(
  path.join(
    ROOT,
    'plugins/catalog-backend-module-golden-path-templates/package.json',
  ),
);
const { startTestBackend, mockServices, mockCredentials } = testUtils(
  '@backstage/backend-test-utils',
);

async function until(what, fn, ms = 60_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last.done) return last.value;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(
    `${what}: not within ${ms} ms (last: ${JSON.stringify(last.value)})`,
  );
}

const CHECKS = {
  // the golden-path plugin: its router answers for service credentials
  async goldenPath(base) {
    const res = await fetch(`${base}/api/golden-path/insights-cache`, {
      headers: { authorization: mockCredentials.service.header() },
    });
    return { status: res.status, body: await res.json() };
  },
  // the scaffolder module: the scaffolder lists its actions
  async scaffolderActions(base) {
    const res = await fetch(`${base}/api/scaffolder/v2/actions`, {
      headers: { authorization: mockCredentials.user.header() },
    });
    const actions = (await res.json()).map(a => a.id);
    return {
      status: res.status,
      actions: actions.filter(a => a.startsWith('golden-path:')),
    };
  },
  // the templates module: the templates are in the catalog
  async catalogTemplates(base) {
    return until('the templates in the catalog', async () => {
      const res = await fetch(
        `${base}/api/catalog/entities/by-query?filter=kind=template`,
        { headers: { authorization: mockCredentials.user.header() } },
      );
      const items = (await res.json()).items ?? [];
      const templates = items.map(e => ({
        name: e.metadata.name,
        location: e.metadata.annotations['backstage.io/managed-by-location'],
      }));
      return { done: templates.length >= 5, value: { templates } };
    });
  },
};

const HOSTED_WITH = {
  goldenPath: () => [],
  scaffolderActions: () => [host('@backstage/plugin-scaffolder-backend')],
  catalogTemplates: () => [
    host('@backstage/plugin-catalog-backend'),
    host('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  ],
};

async function main() {
  const pkg = require(path.join(dir, 'package.json'));
  const loaded = require(dir);
  const feature = loaded.default;
  const type = feature && feature.$$type;
  if (type !== '@backstage/BackendFeature') {
    throw new Error(
      `${pkg.name}: the default export is ${
        type ?? typeof feature
      }, not a BackendFeature`,
    );
  }
  const backend = await startTestBackend({
    features: [
      feature,
      ...HOSTED_WITH[check]().map(m => m.default ?? m),
      mockServices.rootConfig.factory({
        data: {
          catalog: { processingInterval: { seconds: 1 } },
          goldenPath: { tools: { dir: path.join(ROOT, '.tools') } },
        },
      }),
    ],
  });
  try {
    const base = `http://localhost:${backend.server.port()}`;
    const found = await CHECKS[check](base);
    process.stdout.write(
      `${JSON.stringify({ name: pkg.name, type, main: pkg.main, ...found })}\n`,
    );
  } finally {
    await backend.stop();
  }
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  },
);
