// Runs the README's start command, then opens the Create page in Debian
// chromium and expects every template to be offered. Screenshot kept in
// test-results/create-page.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ROOT,
  RESULTS_DIR,
  startProcess,
  stopProcess,
  waitForUrl,
} from './lib/processes.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';

let product;
let browser;

// templates/<name>/template.yaml, and top-level templates/<name>.yaml files.
const templateTitles = readdirSync(join(ROOT, 'templates'))
  .map(d =>
    d.endsWith('.yaml')
      ? join(ROOT, 'templates', d)
      : join(ROOT, 'templates', d, 'template.yaml'),
  )
  .filter(existsSync)
  .map(f => parse(readFileSync(f, 'utf8')).metadata.title);

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
