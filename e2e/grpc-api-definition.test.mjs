// The Definition tab of gRPC API entities in Debian chromium, against the
// product started with the README's command: (a) the API entity of a
// generated service (the Go service template's catalog-info.yaml as the
// insights fixture holds it), (b) e2e/fixtures/grpc-api: a proto with three
// services, streaming RPCs of every kind, nested messages and imports of other
// files (which the entity does not hold: shown by name). Each is browsed
// (services, RPCs, fields with comments, enums), a declaration's line link
// opens the Raw view at that line, and the Raw toggle shows the proto.
// Bad input: an API whose proto does not parse shows the error with its line
// and the Raw view still works; a 10 MB definition is refused in one line and
// the page keeps answering.
// `$text` placeholders are not read for `file` locations (the catalog forms
// no URL from a file path), so the fixture's catalog-info.yaml is registered
// with its `$text` replaced by the file's content, as the catalog does for
// `url` locations. Screenshots in test-results/grpc-definition-*.png;
// UPDATE_SCREENSHOTS=1 also writes the README's ones in plugins/golden-path/docs/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ROOT, RESULTS_DIR } from './lib/processes.mjs';
import { startProduct } from './lib/product.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';

const BASE = 'http://127.0.0.1:7007';
const APP = 'http://localhost:3000';
const FIXTURE = join(ROOT, 'e2e/fixtures/grpc-api');
const GENERATED = join(
  ROOT,
  'plugins/golden-path-backend/src/__fixtures__/go-service/services/ledger-service/catalog-info.yaml',
);
const DOCS = join(ROOT, 'plugins/golden-path/docs');
const TEN_MB = 10 * 1024 * 1024;

let product;
let browser;
let page;
let work;

const token = () =>
  process.env.GOLDEN_PATH_TOKEN ??
  readFileSync(join(ROOT, '.tools/dev-token'), 'utf8').trim();
const headers = () => ({
  Authorization: `Bearer ${token()}`,
  'content-type': 'application/json',
});

/** The fixture's entities with every `$text` replaced by the file it names. */
function inlinedFixture() {
  const docs = parseAllDocuments(
    readFileSync(join(FIXTURE, 'catalog-info.yaml'), 'utf8'),
  ).map(d => d.toJSON());
  for (const entity of docs) {
    const text = entity.spec.definition?.$text;
    if (text)
      entity.spec.definition = readFileSync(join(FIXTURE, text), 'utf8');
  }
  return docs;
}

/** An API entity whose definition is a 10 MB proto (comments after a valid start). */
function hugeApi() {
  const head = 'syntax = "proto3";\npackage huge.v1;\n';
  const line = '// padding to make the definition ten megabytes\n';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'huge-grpc-api', description: 'A 10 MB proto' },
    spec: {
      type: 'grpc',
      lifecycle: 'experimental',
      owner: 'group:default/platform-team',
      definition: head + line.repeat(Math.ceil(TEN_MB / line.length)),
    },
  };
}

async function registerLocation(target) {
  const res = await fetch(`${BASE}/api/catalog/locations`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ type: 'file', target }),
  });
  assert.equal(res.status, 201, await res.clone().text());
}

async function waitForEntity(name) {
  const url = `${BASE}/api/catalog/entities/by-name/api/default/${name}`;
  for (let i = 0; i < 120; i++) {
    const res = await fetch(url, { headers: headers() });
    if (res.ok) return res.json();
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`API ${name} did not appear in the catalog`);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gp-grpc-api-'));
  const entities = join(work, 'catalog-info.yaml');
  writeFileSync(
    entities,
    [...inlinedFixture(), hugeApi()]
      .map(e => stringify(e, { lineWidth: 0 }))
      .join('---\n'),
  );
  product = await startProduct('grpc-definition-product');
  await registerLocation(GENERATED);
  await registerLocation(entities);
  for (const name of [
    'ledger-grpc-api',
    'shop-grpc-api',
    'broken-grpc-api',
    'huge-grpc-api',
  ])
    await waitForEntity(name);
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${APP}/catalog`);
  await signInAsGuest(page);
});

after(async () => {
  await browser?.close();
  await product?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Screenshot in test-results/ (and in the plugin's docs/ when asked): the
 * viewport from the top of the page, `tall` in a 1440×1600 window (the
 * services and their first RPCs; the messages below run for pages).
 */
async function shot(name, { tall = false } = {}) {
  const file = join(RESULTS_DIR, `grpc-definition-${name}.png`);
  if (tall) {
    await page.setViewportSize({ width: 1440, height: 1600 });
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  await page.screenshot({ path: file, fullPage: name === 'failure' });
  if (tall) await page.setViewportSize({ width: 1440, height: 900 });
  if (process.env.UPDATE_SCREENSHOTS === '1' && name !== 'failure')
    copyFileSync(file, join(DOCS, `grpc-definition-${name}.png`));
}

/** Opens the Definition tab of an API entity and waits for its widget. */
async function openDefinition(name) {
  await page.goto(`${APP}/catalog/default/api/${name}/definition`);
  const widget = page.getByLabel('gRPC API definition');
  await widget.waitFor({ timeout: 120_000 });
  return widget;
}

/** Milliseconds the page takes to run a task and paint a frame. */
const frameTime = () =>
  page.evaluate(
    () =>
      new Promise(resolve => {
        const start = performance.now();
        requestAnimationFrame(() =>
          setTimeout(() => resolve(performance.now() - start), 0),
        );
      }),
  );

test(
  "a generated service's API: its service, RPCs, fields with comments and the Raw toggle",
  { timeout: 600_000 },
  async () => {
    try {
      const widget = await openDefinition('ledger-grpc-api');
      const service = widget.getByLabel('service AccountService');
      await service.waitFor();
      await service
        .getByText('AccountService manages accounts (ledger-service).')
        .waitFor();
      for (const rpc of [
        'CreateAccount',
        'GetAccount',
        'ListAccounts',
        'UpdateAccount',
        'DeleteAccount',
      ])
        await service
          .getByRole('button', { name: new RegExp(`^${rpc}\\b`) })
          .waitFor();
      // the first RPC is open: its request fields with their comments
      const request = service.getByLabel('Request CreateAccountRequest');
      await request
        .getByText(/^Idempotency key chosen by the client/)
        .waitFor();
      const imports = widget.getByLabel('imports');
      for (const path of [
        'common/v1/money.proto',
        'common/v1/pagination.proto',
        'google/protobuf/timestamp.proto',
      ])
        await imports.getByText(path, { exact: true }).waitFor();
      assert.match(
        await widget.textContent(),
        /package ledger\.v1 · proto3 · 1 service · \d+ RPCs · \d+ messages · \d+ enums?/,
      );
      await shot('generated', { tall: true });

      await widget.getByRole('radio', { name: 'Raw' }).click();
      const raw = widget.getByTestId('raw-text');
      await raw.waitFor();
      assert.match(await raw.textContent(), /^syntax = "proto3";\n/);
      assert.match(await raw.textContent(), /service AccountService \{/);
      await widget.getByRole('radio', { name: 'Browse' }).click();
      await service.waitFor();
    } catch (e) {
      await shot('failure');
      throw e;
    }
  },
);

test(
  'an API with several services, streaming RPCs, nested messages and imports of other files',
  { timeout: 300_000 },
  async () => {
    try {
      const widget = await openDefinition('shop-grpc-api');
      assert.match(
        await widget.textContent(),
        /package shop\.v1 · proto3 · 3 services · 6 RPCs · 14 messages · 2 enums/,
      );
      for (const [service, rpc, signature] of [
        [
          'CatalogService',
          'WatchPrices',
          '(WatchPricesRequest) returns (stream PriceChange) · server streaming',
        ],
        [
          'CartService',
          'AddItems',
          '(stream AddItemRequest) returns (Cart) · client streaming',
        ],
        [
          'SupportService',
          'Chat',
          '(stream ChatMessage) returns (stream ChatMessage) · bidirectional streaming',
        ],
      ]) {
        const trigger = widget
          .getByLabel(`service ${service}`)
          .getByRole('button', { name: new RegExp(`^${rpc}\\b`) });
        await trigger.getByText(signature, { exact: true }).waitFor();
      }
      // nested messages, each with its fields and comments
      const stock = widget.getByLabel('message shop.v1.Product.Variant.Stock');
      await stock.getByText('When the warehouse counted them.').waitFor();
      await stock.getByText('google.protobuf.Timestamp').waitFor();
      // a type from an imported file: its name, marked imported, not an error
      const productMessage = widget.getByLabel('message shop.v1.Product');
      const price = productMessage.getByRole('row', { name: /price/ });
      await price.getByText('Money').waitFor();
      await price.getByText('imported', { exact: true }).waitFor();
      const availability = widget.getByLabel(
        'enum shop.v1.Product.Availability',
      );
      await availability.getByText('no longer sold').waitFor();
      const imports = widget.getByLabel('imports');
      await imports.getByText('public shop/v1/paging.proto').waitFor();
      assert.equal(await widget.getByText(/does not parse/).count(), 0);
      // the first RPC of each service is open (AddItems, client streaming);
      // open WatchPrices (server streaming) too
      await widget
        .getByLabel('service CatalogService')
        .getByRole('button', { name: /^WatchPrices\b/ })
        .click();
      await widget
        .getByLabel('service CatalogService')
        .getByLabel('Response PriceChange')
        .getByText('Price after the change.')
        .waitFor();
      await widget
        .getByLabel('service CartService')
        .getByLabel('Request AddItemRequest')
        .getByText('How many; at least 1.')
        .waitFor();
      await shot('services', { tall: true });

      // a declaration's line link: the Raw view at that line
      await widget
        .getByLabel('service SupportService')
        .getByRole('link', { name: /^line \d+ of the definition$/ })
        .first()
        .click();
      const mark = widget.locator('[aria-current="location"]');
      await mark.waitFor();
      assert.match(
        await mark.getAttribute('aria-label'),
        /^line 33: service SupportService \{$/,
      );
      await shot('raw');
    } catch (e) {
      await shot('failure');
      throw e;
    }
  },
);

test(
  'bad input: an API whose proto does not parse shows the error with its line; the Raw view still works',
  { timeout: 300_000 },
  async () => {
    try {
      const widget = await openDefinition('broken-grpc-api');
      await widget
        .getByText(
          'The proto does not parse: line 7, column 24: expected ")" after the request type of rpc Ping, found "returns"',
        )
        .waitFor();
      const mark = widget.locator('[aria-current="location"]');
      await mark.waitFor();
      assert.equal(
        await mark.getAttribute('aria-label'),
        'line 7:   rpc Ping(PingRequest returns (PingResponse);',
      );
      await shot('invalid');
      await widget.getByRole('radio', { name: 'Browse' }).click();
      await widget.getByText(/^Nothing to browse/).waitFor();
      await widget.getByRole('radio', { name: 'Raw' }).click();
      assert.match(
        await widget.getByTestId('raw-text').textContent(),
        /^syntax = "proto3";/,
      );
    } catch (e) {
      await shot('failure');
      throw e;
    }
  },
);

test(
  'bad input: a 10 MB definition is refused in one line and the page keeps answering',
  { timeout: 300_000 },
  async () => {
    try {
      const widget = await openDefinition('huge-grpc-api');
      const refusal = widget.getByText(/^The definition is 10\.0 MB/);
      await refusal.waitFor();
      assert.equal(
        await refusal.textContent(),
        "The definition is 10.0 MB, over the proto browser's limit of 1.0 MB: split the proto into files of one API each, or read it on the Raw tab.",
      );
      const idle = await frameTime();
      assert.ok(idle < 1000, `a frame took ${idle} ms after the refusal`);
      await widget.getByRole('radio', { name: 'Raw' }).click();
      await widget.getByText('Showing the first 1.0 MB of 10.0 MB.').waitFor();
      const raw = await frameTime();
      assert.ok(raw < 1000, `a frame took ${raw} ms on the Raw view`);
      await shot('too-large');
      // the rest of the page still reacts
      await page.getByText('Overview', { exact: true }).first().click();
      await page.waitForURL(/\/catalog\/default\/api\/huge-grpc-api\/?$/, {
        timeout: 30_000,
      });
    } catch (e) {
      await shot('failure');
      throw e;
    }
  },
);

test('the fixture proto tree builds with buf (its imports are real files)', () => {
  const entity = parseAllDocuments(
    readFileSync(join(FIXTURE, 'catalog-info.yaml'), 'utf8'),
  )[0].toJSON();
  const proto = entity.spec.definition.$text; // ./proto/shop/v1/shop.proto
  execFileSync(
    join(ROOT, '.tools/bin/buf'),
    ['build', '--path', proto.replace('./proto/', ''), '-o', '/dev/null'],
    { cwd: join(FIXTURE, 'proto'), stdio: 'pipe' },
  );
});
