// TechDocs built by the local Backstage with Debian's mkdocs + mkdocs-material
// (techdocs.generator.runIn: local, techdocs-core omitted): the golden-path
// guide (the bundle's own Component) and each template's docs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BACKEND_URL,
  ROOT,
  authHeaders,
  startReadyBackend,
  stopProcess,
} from './lib/processes.mjs';

const BASE = BACKEND_URL;
let backend;

before(async () => {
  backend = await startReadyBackend('techdocs-backend');
});

after(async () => {
  if (backend) await stopProcess(backend);
});

/**
 * Waits for the entity, asks TechDocs to build its docs from `sourceDir`, checks
 * that the build left its mkdocs.yml as it was, returns the built index.html.
 */
async function buildDocs(kind, name, sourceDir) {
  const ref = `default/${kind}/${name}`;
  const mkdocsYml = join(sourceDir, 'mkdocs.yml');
  const before = readFileSync(mkdocsYml, 'utf8');
  for (let i = 0; i < 60; i++) {
    const res = await fetch(
      `${BASE}/api/catalog/entities/by-name/${kind}/default/${name}`,
      { headers: authHeaders() },
    );
    if (res.ok) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  const sync = await fetch(`${BASE}/api/techdocs/sync/${ref}`, {
    headers: { ...authHeaders(), Accept: 'text/event-stream' },
  });
  const events = await sync.text();
  assert.equal(sync.status, 200, events);
  assert.match(
    events,
    /event: finish/,
    `the build did not finish:\n${events.slice(-2000)}`,
  );
  assert.equal(
    readFileSync(mkdocsYml, 'utf8'),
    before,
    `building the docs rewrote ${mkdocsYml}`,
  );
  const page = await fetch(
    `${BASE}/api/techdocs/static/docs/${ref}/index.html`,
    { headers: authHeaders() },
  );
  assert.equal(page.status, 200, `no built index.html for ${ref}`);
  return page.text();
}

test('the golden-path guide builds and links every page', async () => {
  const html = await buildDocs('component', 'golden-path-for-go-bundle', ROOT);
  assert.match(html, /<h1[^>]*>Golden Path for Go/);
  for (const page of [
    'onboarding',
    'architecture',
    'add-a-service',
    'run-locally',
    'migrations',
    'add-an-rpc',
    'architecture-tab',
  ]) {
    assert.ok(html.includes(`${page}/`), `the guide does not link ${page}`);
  }
  const res = await fetch(
    `${BASE}/api/techdocs/static/docs/default/component/golden-path-for-go-bundle/architecture/index.html`,
    {
      headers: authHeaders(),
    },
  );
  assert.equal(res.status, 200);
  assert.match(await res.text(), /The dependency rule/);
});

const templates = readdirSync(join(ROOT, 'templates')).filter(d =>
  existsSync(join(ROOT, 'templates', d, 'mkdocs.yml')),
);
for (const name of templates) {
  test(`the ${name} template's docs build`, async () => {
    const html = await buildDocs(
      'template',
      name,
      join(ROOT, 'templates', name),
    );
    assert.match(html, /<h1/);
  });
}

// TechDocs writes a dir: entity's mkdocs.yml back in place (js-yaml dump of what it read), so a
// generated repository stays clean only if its mkdocs.yml is already in that form; with the
// longest names the forms allow, so that no line is long enough to be folded.
test("the templates' generated mkdocs.yml files are left unchanged by TechDocs' rewrite", async () => {
  const { createRequire } = await import('node:module');
  const yaml = createRequire(
    join(ROOT, 'node_modules/@backstage/plugin-techdocs-node/package.json'),
  )('js-yaml');
  const longest = {
    projectName: 'p'.repeat(40),
    name: 'n'.repeat(40),
    serviceName: `${'n'.repeat(40)}-service`,
  };
  const skeletons = [
    join(ROOT, 'templates/go-monorepo/skeleton/mkdocs.yml'),
    join(
      ROOT,
      'templates/go-service/skeleton/services/${{ values.name }}-service/mkdocs.yml',
    ),
  ];
  // The skeletons' only block tag: a stage condition, rendered both ways as
  // nunjucks does ("{%-" also strips the line break before it).
  const STAGE_BLOCK =
    /\n?\{%- if values\.stage == '(\w+)' %\}([\s\S]*?)\n?\{%- endif %\}/g;
  const stages = ['mvp', 'async'];
  for (const file of skeletons) {
    const source = readFileSync(file, 'utf8');
    const withoutBlocks = source.replace(STAGE_BLOCK, '');
    assert.ok(
      !/\{%/.test(withoutBlocks),
      `${file} uses a block tag this test does not render: add it here`,
    );
    for (const stage of stages) {
      const rendered = source
        .replace(STAGE_BLOCK, (m, when, body) => (when === stage ? body : ''))
        .replace(/\$\{\{ values\.(\w+) \}\}/g, (m, key) => {
          assert.ok(
            key in longest,
            `${file} uses values.${key}: add its longest form to this test`,
          );
          return longest[key];
        });
      assert.equal(
        yaml.dump(yaml.load(rendered)),
        rendered,
        `TechDocs would rewrite ${file} as rendered at the ${stage} stage`,
      );
    }
  }
});

test('docs are not served without a token', async () => {
  const res = await fetch(
    `${BASE}/api/techdocs/static/docs/default/component/golden-path-for-go-bundle/index.html`,
  );
  assert.equal(res.status, 401);
});
