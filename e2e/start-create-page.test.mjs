// Runs the README's start command, then opens the Create page in Debian
// chromium and expects every template to be offered, with its description.
// Then walks every step of every template's form, prefilled with each of the
// template's values/*.json, and expects every description and ui:help text of
// the YAML to be shown as written (Markdown rendered): a placeholder such as
// <name> that the page swallows fails the test. Screenshots kept in
// test-results/create-page.png and test-results/create-form-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  ROOT,
  RESULTS_DIR,
  startProcess,
  stopProcess,
  waitForUrl,
} from './lib/processes.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';
import {
  checkTemplateForms,
  loadTemplates,
  lostCardDescriptions,
} from './lib/templateForms.mjs';

let product;
let browser;

// templates/<name>/template.yaml and templates/<name>.yaml, with their values.
const templates = loadTemplates(ROOT);
const templateTitles = templates.map(t => t.doc.metadata.title);

before(async () => {
  product = startProcess('start-command', 'bash', [
    join(ROOT, 'scripts/start.sh'),
  ]);
  await waitForUrl('http://127.0.0.1:7007/.backstage/health/v1/readiness', {
    child: product,
  });
  await waitForUrl('http://127.0.0.1:3000', {
    child: product,
    timeoutMs: 600_000,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (product) await stopProcess(product);
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
