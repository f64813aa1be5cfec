// A new team walks the golden path in Debian chromium against the started
// product: the Golden Path page, "Start onboarding a new team", the form of
// the onboarding template filled with the first service ticked and run (local
// publish). A second tab on the team's Golden Path page watches the steps turn
// green as the task registers the team, its monorepo and its service; the
// service's migrations are then applied with the real atlas and "Check again"
// shows every step done. Then the service's Architecture tab, its TechDocs
// and the golden-path guide; with the service's mkdocs.yml broken, the page
// names the failed docs build. Screenshots in test-results/golden-path-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RESULTS_DIR, ROOT, authHeaders } from './lib/processes.mjs';
import { startProduct } from './lib/product.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';
import { PG, psql } from './lib/postgres.mjs';

const run = promisify(execFile);
const APP = 'http://localhost:3000';
const BASE = 'http://127.0.0.1:7007';
const ATLAS = join(ROOT, '.tools/bin/atlas');
const suffix = Date.now().toString(36);
const team = `team-${suffix}`;
const project = `walk-${suffix}`;
const service = `w${suffix}`;
const database = `${service}_db`; // {db} of the "local" environment in app-config.yaml
let product;
let browser;
let page;

before(async () => {
  product = await startProduct('golden-path-page-product');
  browser = await launchBrowser();
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  await product?.stop();
  try {
    psql(`drop database if exists "${database}" with (force)`);
  } catch {
    /* PostgreSQL gone */
  }
});

const shot = (name, p = page) =>
  p.screenshot({
    path: join(RESULTS_DIR, `golden-path-${name}.png`),
    fullPage: true,
  });

/**
 * "Where to publish": a local directory. Under load MUI's select sometimes
 * drops a choice (the menu closes before the click lands), so choose until
 * the select shows it and the field it reveals is there.
 */
async function publishLocally(directoryName) {
  const publishTo = page.getByLabel('Publish to').first();
  const directory = page.getByLabel('Directory name').first();
  const chosen = async () =>
    /A local directory/.test((await publishTo.textContent()) ?? '') &&
    (await directory.isVisible());
  for (let i = 0; i < 5 && !(await chosen()); i++) {
    await publishTo.click();
    await page.getByRole('option', { name: /A local directory/ }).click();
    await directory.waitFor({ timeout: 10_000 }).catch(() => {});
  }
  assert.ok(await chosen(), '"Publish to" does not keep "A local directory"');
  await directory.fill(directoryName);
}

/**
 * Clicks Review and waits for the review. When the form stays because the
 * select lost the local choice after all, chooses again once (said in the
 * log); otherwise fails naming what the form shows.
 */
async function reviewTheForm(directoryName) {
  for (let attempt = 1; ; attempt++) {
    await page.getByRole('button', { name: 'Review' }).click();
    const reached = await page
      .getByRole('button', { name: 'Create' })
      .waitFor({ timeout: 60_000 })
      .then(() => true)
      .catch(() => false);
    if (reached) return;
    const errors = await page
      .locator('.Mui-error, [role="alert"]')
      .allTextContents();
    const publishTo = await page
      .getByLabel('Publish to')
      .first()
      .textContent({ timeout: 2_000 })
      .catch(() => 'not shown');
    const shown = `Publish to: ${publishTo}; errors shown: ${
      errors.filter(Boolean).join(' | ') || 'none'
    }`;
    if (attempt === 1 && !/A local directory/.test(publishTo)) {
      process.stdout.write(
        `# the form stayed after Review (${shown}): choosing again\n`,
      );
      await publishLocally(directoryName);
      continue;
    }
    throw new Error(
      `the form did not reach its review (${shown}); see golden-path-failure.png`,
    );
  }
}

/** Builds an entity's docs with the local generator (as the reader would) and waits for the end. */
async function syncDocs(ref) {
  const res = await fetch(`${BASE}/api/techdocs/sync/${ref}`, {
    headers: { ...authHeaders(), Accept: 'text/event-stream' },
  });
  const events = await res.text();
  assert.match(
    events,
    /event: finish/,
    `the docs of ${ref} did not build:\n${events.slice(-2000)}`,
  );
}

/**
 * TechDocs pages: the reader keeps its shadow DOM at opacity 0 until every
 * stylesheet has loaded (one that never loads, e.g. Google Fonts offline,
 * leaves the page blank); wait until it shows, then take the viewport.
 */
async function docsShot(name, heading) {
  const h = page.getByRole('heading', { name: heading }).first();
  let opacity;
  for (let i = 0; i < 60; i++) {
    opacity = await h.evaluate(
      el => getComputedStyle(el.closest('html')).opacity,
    );
    if (opacity === '1') break;
    await page.waitForTimeout(500);
  }
  assert.equal(
    opacity,
    '1',
    'the docs stay hidden: a stylesheet of the page never loaded',
  );
  await h.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS_DIR, `golden-path-${name}.png`) });
}

test(
  'a new team onboards with its first service and watches its steps turn green',
  { timeout: 600_000 },
  async () => {
    try {
      await onboardWithFirstService();
    } catch (e) {
      await shot('failure');
      throw e;
    }
  },
);

async function onboardWithFirstService() {
  await page.goto(`${APP}/catalog`);
  await signInAsGuest(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Golden Path' })
    .click();
  await page.waitForURL(/\/golden-path/, { timeout: 30_000 });
  const start = page.getByRole('link', { name: 'Start onboarding a new team' });
  await start.waitFor({ timeout: 60_000 });
  await shot('page');
  await start.click();
  await page.waitForURL(/\/create\/templates\/default\/onboard-team/, {
    timeout: 60_000,
  });

  await page.getByLabel('Team name').first().fill(team);
  await page.getByLabel('Display name').first().fill('Walk team');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Project name').first().fill(project);
  await page
    .getByLabel('Go module path of the shared pkg module')
    .first()
    .fill(`github.com/acme/${project}-go-pkg`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel("Also create the team's first Go service").check();
  await page.getByLabel('Service name').first().fill(service);
  await page.getByLabel('Aggregate').first().fill('Ticket');
  await shot('first-service');
  await page.getByRole('button', { name: 'Next' }).click();
  await publishLocally(project);
  await reviewTheForm(project);
  await shot('review');

  // A second tab on the team's page, open before the task runs.
  const watch = await browser.newPage();
  await watch.goto(
    `${APP}/golden-path?team=${encodeURIComponent(`group:default/${team}`)}`,
  );
  const progress = watch.getByLabel('progress');
  await progress.waitFor({ timeout: 60_000 });
  const seen = [(await progress.textContent()).match(/^(\d+) of 7/)[1]];
  await shot('watch-before', watch);

  await page.getByRole('button', { name: 'Create' }).click();
  const t0 = Date.now();
  // The page reads the steps every 10 s: record each count until the service's steps are green.
  while (seen.at(-1) !== '6') {
    assert.ok(
      Date.now() - t0 < 300_000,
      `the steps stopped at ${seen.join(' → ')} of 7`,
    );
    await watch.waitForTimeout(500);
    const n = (await progress.textContent()).match(/^(\d+) of 7/)[1];
    if (n !== seen.at(-1)) seen.push(n);
  }
  assert.equal(seen[0], '0', `before the task: ${seen[0]} of 7`);
  assert.deepEqual(
    [...seen].sort(),
    seen,
    `the steps went back: ${seen.join(' → ')}`,
  );
  const step = id => watch.locator(`[data-step="${id}"]`);
  assert.equal(await step('service').getAttribute('data-status'), 'done');
  assert.equal(
    await step('dependency-rule').getAttribute('data-status'),
    'done',
  );
  assert.equal(await step('migrations').getAttribute('data-status'), 'open');
  await step('migrations').getByText(`local could not be read`).waitFor();
  await shot('steps', watch);
  await page
    .getByRole('link', { name: 'The first service' })
    .waitFor({ timeout: 60_000 });
  await shot('task');
  process.stdout.write(
    `# steps done seen by the open page: ${seen.join(' → ')} of 7 (${(
      (Date.now() - t0) /
      1000
    ).toFixed(0)} s)\n`,
  );

  // The first environment: create the service's database and apply its migrations with atlas.
  psql(`drop database if exists "${database}" with (force)`);
  psql(`create database "${database}"`);
  const migrations = join(
    process.env.GOLDEN_PATH_LOCAL_ROOT,
    project,
    `services/${service}-service/db/migrations`,
  );
  await run(ATLAS, [
    'migrate',
    'apply',
    '--dir',
    `file://${migrations}`,
    '--url',
    `postgres://${PG.user}@${PG.host}:${PG.port}/${database}?sslmode=disable`,
  ]);
  await watch.getByRole('button', { name: 'Check again' }).click();
  await watch
    .getByText(`7 of 7 steps done for group:default/${team}`)
    .waitFor({ timeout: 60_000 });
  assert.equal(await step('migrations').getAttribute('data-status'), 'done');
  await shot('all-done', watch);
  await watch.close();
}

test(
  "the service's Architecture tab and its docs",
  { timeout: 300_000 },
  async () => {
    await page.goto(
      `${APP}/catalog/default/component/${service}-service/architecture`,
    );
    const diagram = page.getByTestId('layer-diagram');
    await diagram.waitFor({ timeout: 120_000 });
    for (const layer of [
      'Domain',
      'Application',
      'Adapter',
      'Infrastructure',
    ]) {
      await diagram.getByText(layer, { exact: true }).waitFor();
    }
    await page.getByRole('button', { name: /^CreateTicket\b/ }).waitFor();
    await page
      .getByLabel('environment local')
      .locator('[data-status="applied"]')
      .first()
      .waitFor();
    await shot('service-architecture');

    // Built first, so the reader shows this build (not an older one while it rebuilds).
    // TechDocs writes mkdocs.yml back in place: the published one is already in that form.
    const mkdocsYml = join(
      process.env.GOLDEN_PATH_LOCAL_ROOT,
      project,
      `services/${service}-service/mkdocs.yml`,
    );
    const published = await readFile(mkdocsYml, 'utf8');
    await syncDocs(`default/component/${service}-service`);
    assert.equal(
      await readFile(mkdocsYml, 'utf8'),
      published,
      "building the docs rewrote the service's mkdocs.yml",
    );
    await page.goto(`${APP}/docs/default/component/${service}-service`);
    // The first visit builds the docs with the local mkdocs; the reader then shows them.
    await page
      .getByRole('heading', { name: `${service}-service` })
      .first()
      .waitFor({ timeout: 150_000 });
    for (const heading of ['RPCs', 'Layers', 'Add a migration']) {
      await page
        .getByRole('heading', { name: heading })
        .first()
        .waitFor({ timeout: 30_000 });
    }
    await page.getByText('CreateTicket', { exact: true }).first().waitFor();
    await docsShot('service-docs', `${service}-service`);
  },
);

test(
  'the golden-path guide renders in TechDocs',
  { timeout: 180_000 },
  async () => {
    await syncDocs('default/component/golden-path-for-go-bundle');
    await page.goto(`${APP}/docs/default/component/golden-path-for-go-bundle`);
    await page
      .getByRole('heading', { name: 'Golden Path for Go' })
      .first()
      .waitFor({ timeout: 150_000 });
    await page
      .getByRole('heading', { name: 'What the templates create' })
      .first()
      .waitFor({ timeout: 30_000 });
    await docsShot('guide', 'Golden Path for Go');
  },
);

test(
  'a run cancelled after publishing is named on the page, with what it left unregistered',
  { timeout: 300_000 },
  async () => {
    const halfTeam = `team-h${suffix}`;
    const dir = `half-${suffix}`;
    const api = (path, init = {}) =>
      fetch(`${BASE}/api/scaffolder/v2${path}`, {
        ...init,
        headers: { ...authHeaders(), 'Content-Type': 'application/json' },
      });
    const created = await api('/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/onboard-team',
        values: {
          teamName: halfTeam,
          projectName: dir,
          pkgModule: `github.com/acme/${dir}-go-pkg`,
          goVersion: '1.26',
          stage: 'mvp',
          publishTo: 'local',
          localPath: dir,
        },
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = await created.json();
    for (let i = 0; ; i++) {
      const events = await (await api(`/tasks/${id}/events`)).json();
      if (
        events.some(
          e =>
            e.body?.stepId === 'publish-local' &&
            e.body?.status === 'completed',
        )
      )
        break;
      assert.ok(i < 1200, 'the monorepo was never published');
      await new Promise(r => setTimeout(r, 100));
    }
    assert.equal(
      (await api(`/tasks/${id}/cancel`, { method: 'POST' })).status,
      200,
    );

    await page.goto(
      `${APP}/golden-path?team=${encodeURIComponent(
        `group:default/${halfTeam}`,
      )}`,
    );
    const alert = page.getByLabel(`onboarding run ${id}`);
    await alert.waitFor({ timeout: 60_000 });
    await alert
      .getByText(
        new RegExp(
          `The onboarding run of ${halfTeam} was cancelled at "Register the (team|monorepo)"\\. It published ${dir} \\(under the local publish root\\) but did not register (the team, )?the monorepo and its System: register`,
        ),
      )
      .waitFor();
    await alert.getByText(/register .*catalog-info\.yaml there/).waitFor();
    assert.equal(
      await alert
        .getByRole('link', { name: 'Open the run' })
        .getAttribute('href'),
      `/create/tasks/${id}`,
    );
    await shot('cancelled-run');
  },
);

test(
  'the page names a service whose docs fail to build, and where to fix them',
  { timeout: 300_000 },
  async () => {
    const dir = join(
      process.env.GOLDEN_PATH_LOCAL_ROOT,
      project,
      `services/${service}-service`,
    );
    const mkdocs = join(dir, 'mkdocs.yml');
    const good = await readFile(mkdocs, 'utf8');
    const ref = `component:default/${service}-service`;
    await page.goto(
      `${APP}/golden-path?team=${encodeURIComponent(`group:default/${team}`)}`,
    );
    await page
      .getByText(`7 of 7 steps done for group:default/${team}`)
      .waitFor({ timeout: 60_000 });
    await writeFile(mkdocs, `${good}\nnav: [unclosed\n`);
    try {
      // TechDocs skips a build for 60 s after a good one: "Check again" until the page builds again.
      const alert = page.getByLabel(`docs build of ${ref}`);
      const t0 = Date.now();
      while (!(await alert.isVisible())) {
        assert.ok(
          Date.now() - t0 < 240_000,
          'the page never named the broken docs build',
        );
        await page.getByRole('button', { name: 'Check again' }).click();
        await alert.waitFor({ timeout: 15_000 }).catch(() => {});
      }
      const text = await alert.textContent();
      assert.match(
        text,
        new RegExp(
          `The docs of ${ref} failed to build: .+\\. Fix mkdocs\\.yml or docs/ in \\S*/services/${service}-service; open the docs page for the full log\\.`,
        ),
      );
      process.stdout.write(`# docs build alert: ${text}\n`);
      assert.equal(
        await alert
          .getByRole('link', { name: 'Open the docs page' })
          .getAttribute('href'),
        `/docs/default/component/${service}-service`,
      );
      await shot('docs-build-failed');
    } finally {
      await writeFile(mkdocs, good);
    }
  },
);
