// Runs the README's start command, then opens the Create page in Debian
// chromium and expects every template to be offered, with its description.
// Then walks every step of every template's form, prefilled with each of the
// template's values/*.json, and expects every description and ui:help text of
// the YAML to be shown as written (Markdown rendered): a placeholder such as
// <name> that the page swallows fails the test. Screenshots kept in
// test-results/create-page.png and test-results/create-form-*.png.
// The forms that name services a Go service calls check them against the
// catalog's Go services: the suite registers e2e/fixtures/go-services (and
// removes it at the end), and proves in Chromium that a nonexistent service,
// the service itself, one of another monorepo and a cycle are refused in one
// line while the step stays, and that a valid one goes on
// (test-results/dependency-refused-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, RESULTS_DIR } from './lib/processes.mjs';
import { startProduct } from './lib/product.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';
import {
  checkTemplateForms,
  loadTemplates,
  lostCardDescriptions,
} from './lib/templateForms.mjs';
import {
  registerGoServices,
  unregisterGoServices,
} from './lib/goServiceCatalog.mjs';
import { checkDependencyRefusals } from './lib/dependencyForms.mjs';

let product;
let browser;
let goServicesLocation;

// templates/<name>/template.yaml and templates/<name>.yaml, with their values.
const templates = loadTemplates(ROOT);
const templateTitles = templates.map(t => t.doc.metadata.title);

before(async () => {
  product = await startProduct('start-command');
  goServicesLocation = await registerGoServices();
  browser = await launchBrowser();
});

after(async () => {
  await unregisterGoServices(goServicesLocation);
  await browser?.close();
  await product?.stop();
});

test('the Create page offers every template', async () => {
  assert.ok(templateTitles.length > 0);
  const page = await browser.newPage();
  await page.goto('http://localhost:3000/create');
  await signInAsGuest(page);
  try {
    for (const title of templateTitles) {
      await page
        .getByText(title, { exact: true })
        .first()
        .waitFor({ timeout: 120_000 });
    }
  } finally {
    await page.screenshot({
      path: join(RESULTS_DIR, 'create-page.png'),
      fullPage: true,
    });
  }
});

test('every template card shows its description as written', async () => {
  const page = await browser.newPage();
  await page.goto('http://localhost:3000/create');
  await signInAsGuest(page);
  await page
    .getByText(templateTitles[0], { exact: true })
    .first()
    .waitFor({ timeout: 120_000 });
  const lost = await lostCardDescriptions(page, templates);
  await page.close();
  assert.deepEqual(lost, []);
});

test('every step of every template form shows its descriptions and help texts as written', async () => {
  const page = await browser.newPage();
  await page.goto('http://localhost:3000/create');
  await signInAsGuest(page);
  const { problems, forms, checked } = await checkTemplateForms({
    page,
    appUrl: 'http://localhost:3000',
    templates,
    resultsDir: RESULTS_DIR,
  });
  await page.close();
  assert.ok(forms >= templates.length, `${forms} forms opened`);
  assert.ok(checked > 0, 'no description or ui:help text was checked');
  assert.deepEqual(problems, []);
});

test('the service fields refuse a nonexistent service, the service itself, another monorepo and a cycle in one line', async () => {
  const page = await browser.newPage();
  await page.goto('http://localhost:3000/create');
  await signInAsGuest(page);
  const { problems, checked } = await checkDependencyRefusals({
    page,
    appUrl: 'http://localhost:3000',
    resultsDir: RESULTS_DIR,
  });
  await page.close();
  assert.equal(checked, 9);
  assert.deepEqual(problems, []);
});
