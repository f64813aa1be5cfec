// Walks the scaffolder forms of the repository's templates in a browser page
// and lists every description and ui:help text the page does not show as the
// YAML has it (see formTexts.mjs for what "as written" means).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse } from 'yaml';
import { formTexts, markdownText, normalize } from './formTexts.mjs';

/**
 * templates/<name>/template.yaml and top-level templates/<name>.yaml files;
 * their example values are in templates/<name>/values/*.json.
 */
export function loadTemplates(root) {
  return readdirSync(join(root, 'templates'))
    .map(d =>
      d.endsWith('.yaml')
        ? {
            file: join(root, 'templates', d),
            dir: join(root, 'templates', basename(d, '.yaml')),
          }
        : {
            file: join(root, 'templates', d, 'template.yaml'),
            dir: join(root, 'templates', d),
          },
    )
    .filter(t => existsSync(t.file))
    .map(t => ({
      ...t,
      rel: relative(root, t.file),
      valuesRel: relative(root, join(t.dir, 'values')),
      doc: parse(readFileSync(t.file, 'utf8')),
    }));
}

/** Every description and ui:help string anywhere in a template's parameters. */
export function allTexts(node, out = []) {
  if (Array.isArray(node)) node.forEach(n => allTexts(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (
        (key === 'description' || key === 'ui:help') &&
        typeof value === 'string'
      )
        out.push(value);
      else allTexts(value, out);
    }
  }
  return out;
}

/**
 * The template cards whose description the Create page does not show as
 * written, after up to `timeoutMs` for the cards to render.
 */
export async function lostCardDescriptions(
  page,
  templates,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = normalize(await page.locator('body').innerText());
    const lost = templates.filter(
      t => !shown.includes(markdownText(t.doc.metadata.description)),
    );
    if (!lost.length || Date.now() > deadline) {
      return lost.map(
        t =>
          `${t.rel}: the card does not show its description ${JSON.stringify(
            t.doc.metadata.description,
          )}`,
      );
    }
    await page.waitForTimeout(2_000);
  }
}

// The stepper's current step, by its label (MUI marks it active).
const activeStep = (page, title) =>
  page.locator('.MuiStepLabel-active', { hasText: title }).first();

/**
 * Opens every template's form once per values/*.json (prefilled through the
 * formData query parameter), walks every step with Next and compares each
 * shown description and ui:help with the YAML. Returns the problems and
 * counts; a screenshot per form goes to resultsDir.
 */
export async function checkTemplateForms({
  page,
  appUrl,
  templates,
  resultsDir,
}) {
  const problems = [];
  let forms = 0;
  let checked = 0;
  for (const t of templates) {
    const valuesDir = join(t.dir, 'values');
    const valueFiles = existsSync(valuesDir)
      ? readdirSync(valuesDir).filter(f => f.endsWith('.json'))
      : [];
    if (!valueFiles.length) {
      problems.push(
        `${t.rel}: no ${t.valuesRel}/*.json to fill its form with: add one valid value set so every step can be opened`,
      );
      continue;
    }
    const steps = [t.doc.spec.parameters].flat();
    const unchecked = new Set(allTexts(steps));
    for (const valueFile of valueFiles.sort()) {
      const values = JSON.parse(
        readFileSync(join(valuesDir, valueFile), 'utf8'),
      );
      // A step that does not open is retried once: the development backend
      // restarts when a file changes, and the page then fails to fetch.
      for (let attempt = 1; attempt <= 2; attempt++) {
        const before = problems.length;
        await walkForm(valueFile, values);
        const stuck = problems
          .slice(before)
          .some(p => p.includes('did not open'));
        if (!stuck || attempt === 2) break;
        problems.length = before;
        await page.waitForTimeout(5_000);
      }
      await page.screenshot({
        path: join(
          resultsDir,
          `create-form-${t.doc.metadata.name}-${basename(
            valueFile,
            '.json',
          )}.png`,
        ),
        fullPage: true,
      });
    }
    async function walkForm(valueFile, values) {
      const label = `${t.rel} with values/${valueFile}`;
      await page.goto(
        `${appUrl}/create/templates/default/${
          t.doc.metadata.name
        }?formData=${encodeURIComponent(JSON.stringify(values))}`,
      );
      forms++;
      for (const [i, step] of steps.entries()) {
        try {
          await activeStep(page, step.title).waitFor({ timeout: 60_000 });
        } catch {
          const body = normalize(await page.locator('body').innerText());
          problems.push(
            `${label}: step "${
              step.title
            }" did not open; the values may not pass the previous step. The page reads: ${body.slice(
              0,
              600,
            )}`,
          );
          break;
        }
        const form = page.locator('form').first();
        await form.waitFor({ timeout: 30_000 });
        // Fields, pickers and their Markdown descriptions render after the
        // step's label, some lazily: read the form until it shows every text
        // or 10 seconds have passed.
        const texts = formTexts(step, values);
        let shown = '';
        for (let polls = 0; polls < 20; polls++) {
          await page.waitForTimeout(500);
          shown = normalize(await form.innerText());
          if (texts.every(t => shown.includes(t.expected))) break;
        }
        for (const text of texts) {
          checked++;
          unchecked.delete(text.text);
          if (!shown.includes(text.expected)) {
            problems.push(
              `${label}: step "${step.title}", ${text.where} ${
                text.kind
              }: the page does not show ${JSON.stringify(
                text.expected,
              )} (YAML: ${JSON.stringify(text.text)})`,
            );
          }
        }
        if (i === steps.length - 1) break;
        // The start command's catalog has no Go service, so a service picker
        // shows an empty input although the form data names one: skip the
        // browser's own required check; the form's schema validation still runs.
        await form.evaluate(f => {
          f.noValidate = true;
        });
        await page.getByRole('button', { name: 'Next', exact: true }).click();
      }
    }
    for (const text of unchecked) {
      problems.push(
        `${t.rel}: no values/*.json opens the field with ${JSON.stringify(
          text,
        )}: add a value set that shows it (another publish target, an array item)`,
      );
    }
  }
  return { problems, forms, checked };
}
