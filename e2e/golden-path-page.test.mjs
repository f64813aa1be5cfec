// A new team walks the golden path in Debian chromium against the started
// product: the Golden Path page, "Start onboarding a new team", the form of
// the onboarding template filled and run (local publish), the task's link back
// to the team's steps, which show the team, its System and its monorepo done
// and the next step open; then the golden-path guide in TechDocs.
// Screenshots in test-results/golden-path-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RESULTS_DIR, ROOT, startProcess, stopProcess, waitForUrl } from './lib/processes.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';

const APP = 'http://localhost:3000';
const suffix = Date.now().toString(36);
const team = `team-${suffix}`;
const project = `walk-${suffix}`;
let product;
let browser;
let page;

before(async () => {
  product = startProcess('golden-path-page-product', 'bash', [join(ROOT, 'scripts/start.sh')]);
  await waitForUrl('http://127.0.0.1:7007/.backstage/health/v1/readiness', { child: product });
  await waitForUrl(APP, { child: product, timeoutMs: 600_000 });
  browser = await launchBrowser();
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  if (product) await stopProcess(product);
});

const shot = name => page.screenshot({ path: join(RESULTS_DIR, `golden-path-${name}.png`), fullPage: true });

test('the Golden Path page starts the onboarding of a new team', { timeout: 300_000 }, async () => {
  await page.goto(`${APP}/catalog`);
  await signInAsGuest(page);
  await page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Golden Path' }).click();
  await page.waitForURL(/\/golden-path/, { timeout: 30_000 });
  const start = page.getByRole('link', { name: 'Start onboarding a new team' });
  await start.waitFor({ timeout: 60_000 });
  await shot('page');
  await start.click();
  await page.waitForURL(/\/create\/templates\/default\/onboard-team/, { timeout: 60_000 });

  await page.getByLabel('Team name').first().fill(team);
  await page.getByLabel('Display name').first().fill('Walk team');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Project name').first().fill(project);
  await page.getByLabel('Go module path of the shared pkg module').first().fill(`github.com/acme/${project}-go-pkg`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Publish to').first().click();
  await page.getByRole('option', { name: /A local directory/ }).click();
  await page.getByLabel('Directory name').first().fill(project);
  await page.getByRole('button', { name: 'Review' }).click();
  await shot('review');
  await page.getByRole('button', { name: 'Create' }).click();

  const back = page.getByRole('link', { name: 'Golden Path page' });
  await back.waitFor({ timeout: 240_000 });
  await shot('task');
  await back.click();
  const progress = page.getByLabel('progress');
  await progress.waitFor({ timeout: 60_000 });
  await page.getByText(`3 of 7 steps done for group:default/${team}`).waitFor({ timeout: 60_000 });
  const next = page.getByRole('link', { name: 'Add a Go service' });
  assert.match(decodeURIComponent((await next.getAttribute('href')) ?? ''), new RegExp(`"owner":"group:default/${team}"`));
  await shot('steps');
});

test('the golden-path guide renders in TechDocs', { timeout: 180_000 }, async () => {
  await page.goto(`${APP}/docs/default/component/golden-path-for-go-bundle`);
  // The first visit builds the docs with the local mkdocs; the reader then shows them.
  await page.getByRole('heading', { name: 'Golden Path for Go' }).first().waitFor({ timeout: 150_000 });
  await page.getByRole('heading', { name: 'What the templates create' }).first().waitFor({ timeout: 30_000 });
  await shot('guide');
});
