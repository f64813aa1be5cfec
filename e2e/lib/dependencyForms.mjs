// The form-level refusals of the services a Go service calls, in the browser:
// the "Add a dependency" form's GoServiceDependencyPicker and the Go service
// form's GoServiceDependenciesPicker (plugins/golden-path) check what is
// entered against the catalog's Go services (e2e/fixtures/go-services) when
// Next is pressed. Each bad entry shows its one line and the step stays; a
// valid one goes on to the next step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.mjs';

const activeStep = (page, title) =>
  page.locator('.MuiStepLabel-active', { hasText: title }).first();

async function openForm(page, appUrl, template, formData, stepTitle) {
  await page.goto(
    `${appUrl}/create/templates/default/${template}?formData=${encodeURIComponent(
      JSON.stringify(formData),
    )}`,
  );
  await activeStep(page, stepTitle).waitFor({ timeout: 60_000 });
  await page.locator('form').first().waitFor({ timeout: 30_000 });
}

/**
 * Types `text` into a picker's input, again while the page replaces the
 * field (the form's fields load after its first render), until it holds it.
 */
async function typeInto(page, selector, text) {
  const field = page.locator(selector);
  for (let attempt = 0; attempt < 5; attempt++) {
    await field.waitFor({ timeout: 30_000 });
    await field.fill(text);
    await page.waitForTimeout(500);
    if ((await field.inputValue()) === text) return field;
  }
  throw new Error(`${selector} does not keep the text ${JSON.stringify(text)}`);
}

async function next(page) {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
}

/**
 * Presses Next and expects `line` on the page (the field's error) while the
 * step `stepTitle` stays; returns a problem or undefined.
 */
async function expectRefused(page, label, line, stepTitle) {
  // The browser's own required check would block Next silently: leave the
  // checks to the form.
  await page
    .locator('form')
    .first()
    .evaluate(f => {
      f.noValidate = true;
    });
  await next(page);
  try {
    await page.getByText(line, { exact: true }).first().waitFor({
      timeout: 60_000,
    });
  } catch {
    const body = (await page.locator('form').first().innerText()).slice(0, 800);
    return `${label}: the form does not show ${JSON.stringify(
      line,
    )}; it reads: ${body}`;
  }
  if (!(await activeStep(page, stepTitle).isVisible()))
    return `${label}: the form went on past "${stepTitle}" although it showed the error`;
  return undefined;
}

async function expectStep(page, label, stepTitle) {
  try {
    await activeStep(page, stepTitle).waitFor({ timeout: 30_000 });
    return undefined;
  } catch {
    const body = (await page.locator('form').first().innerText()).slice(0, 800);
    return `${label}: step "${stepTitle}" did not open; the form reads: ${body}`;
  }
}

/**
 * Walks both forms with a nonexistent service, the service itself, a
 * service of another monorepo and a cycle (each refused in one line, the
 * step stays), then a valid service (the next step opens). Screenshots
 * dependency-refused-*.png in resultsDir. Returns the problems and the
 * number of entries checked.
 */
export async function checkDependencyRefusals({ page, appUrl, resultsDir }) {
  const problems = [];
  let checked = 0;
  const shot = name =>
    page.screenshot({
      path: join(resultsDir, `dependency-refused-${name}.png`),
      fullPage: true,
    });

  // Add a dependency: catalog-service will call ...
  const addDependency = [
    [
      'nonexistent',
      'payment',
      '"payment": there is no Go service payment-service in the catalog; the Go services of the monorepo system:default/shop are order, order-history',
    ],
    [
      'itself',
      'catalog-service',
      '"catalog-service" is the service itself: a service cannot depend on itself (a cycle)',
    ],
    [
      'other-monorepo',
      'ledger-service',
      '"ledger-service": ledger-service is in system:default/bank, not in system:default/shop: a service calls only services of its own monorepo (order, order-history)',
    ],
    [
      'cycle',
      'order-service',
      '"order-service": order -> catalog exists already, so catalog -> order would make a cycle',
    ],
  ];
  const addValues = {
    service: 'component:default/catalog-service',
    publishTo: 'local',
    localPath: 'shop',
  };
  for (const [name, typed, line] of addDependency) {
    checked++;
    await openForm(page, appUrl, 'add-dependency', addValues, 'Services');
    await typeInto(page, '#root_dependency', typed);
    const problem = await expectRefused(
      page,
      `add-dependency, "${typed}" typed as the service to call`,
      line,
      'Services',
    );
    if (problem) problems.push(problem);
    await shot(`add-dependency-${name}`);
  }
  // A valid one, picked from the list the field offers.
  checked++;
  await openForm(page, appUrl, 'add-dependency', addValues, 'Services');
  await page.locator('#root_dependency').click();
  const offered = page.getByRole('option');
  await offered.first().waitFor({ timeout: 30_000 });
  const options = await offered.allInnerTexts();
  if (JSON.stringify(options) !== JSON.stringify(['order-history-service']))
    problems.push(
      `add-dependency: the field offers ${JSON.stringify(
        options,
      )} to catalog-service; expected only ["order-history-service"] (order-service would close a cycle, ledger-service is of another monorepo)`,
    );
  await page.getByRole('option', { name: 'order-history-service' }).click();
  await next(page);
  const went = await expectStep(
    page,
    'add-dependency, order-history-service picked',
    'Where the service is',
  );
  if (went) problems.push(went);
  await shot('add-dependency-valid');

  // The Go service template: a new billing service of the shop.
  const values = {
    ...JSON.parse(
      readFileSync(
        join(ROOT, 'templates/go-service/values/catalog.json'),
        'utf8',
      ),
    ),
    name: 'billing',
    aggregate: 'Invoice',
    system: 'system:default/shop',
  };
  const goService = [
    [
      'nonexistent',
      ['catalog', 'payment'],
      '"payment": there is no Go service payment-service in the catalog; the Go services of the monorepo system:default/shop are catalog, order, order-history',
    ],
    [
      'itself',
      ['billing'],
      '"billing" is the service itself: a service cannot depend on itself (a cycle)',
    ],
    [
      'other-monorepo',
      ['ledger'],
      '"ledger": ledger-service is in system:default/bank, not in system:default/shop: a service calls only services of its own monorepo (catalog, order, order-history)',
    ],
  ];
  const toMonorepoStep = async () => {
    await openForm(page, appUrl, 'go-service', values, 'Service');
    for (const title of [
      'Fields',
      'State machine (optional)',
      'Scheduled jobs (optional)',
      'Monorepo and ownership',
    ]) {
      await page
        .locator('form')
        .first()
        .evaluate(f => {
          f.noValidate = true;
        });
      await next(page);
      await activeStep(page, title).waitFor({ timeout: 30_000 });
    }
  };
  for (const [name, typed, line] of goService) {
    checked++;
    await toMonorepoStep();
    for (const entry of typed) {
      const field = await typeInto(page, '#root_dependsOn', entry);
      await field.press('Enter');
    }
    const problem = await expectRefused(
      page,
      `go-service, ${JSON.stringify(typed)} typed as the services it calls`,
      line,
      'Monorepo and ownership',
    );
    if (problem) problems.push(problem);
    await shot(`go-service-${name}`);
  }
  checked++;
  await toMonorepoStep();
  await page.locator('#root_dependsOn').click();
  await page.getByRole('option', { name: 'order-history' }).click();
  await (await typeInto(page, '#root_dependsOn', 'catalog')).press('Enter');
  await page
    .locator('form')
    .first()
    .evaluate(f => {
      f.noValidate = true;
    });
  await next(page);
  const ok = await expectStep(
    page,
    'go-service, order-history picked and catalog typed',
    'Where to publish',
  );
  if (ok) problems.push(ok);
  await shot('go-service-valid');
  return { problems, checked };
}
