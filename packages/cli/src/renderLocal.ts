import {
  confinedRoot,
  writeConfinedFile,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { createTemplateRenderer, TemplateValue } from 'nunjitsu';
import pluralize from 'pluralize';
import { parse } from 'yaml';
import { RenderError } from './renderTemplate';

/** What to render offline, and where to. */
export interface LocalRenderOptions {
  /** A template directory (holding template.yaml) or a template file. */
  templateDir: string;
  values: Record<string, unknown>;
  /** Rendered files go here; existing files are overwritten, others kept. */
  outDir: string;
  /** Ids of fetch:template steps not to run. */
  skipSteps?: string[];
}

/** One rendered fetch:template step (once per item for a step with `each`). */
export interface LocalRenderedStep {
  id: string;
  source: string;
  files: number;
}

interface TemplateStep {
  id: string;
  action: string;
  if?: unknown;
  each?: unknown;
  input?: Record<string, unknown>;
}

type Renderer = ReturnType<typeof createTemplateRenderer>;
type Context = ReturnType<Renderer['prepareContext']>;

function parseRepoUrl(url: string) {
  const u = new URL(`https://${url}`);
  return {
    host: u.hostname,
    owner: u.searchParams.get('owner'),
    repo: u.searchParams.get('repo'),
  };
}

// Step inputs: every string through renderValue with JSON coercion, as the
// workflow runner does.
function evaluate(renderer: Renderer, value: unknown, ctx: Context): unknown {
  if (typeof value === 'string')
    return renderer.renderValue(value, ctx, { coercion: 'json' });
  if (Array.isArray(value)) return value.map(v => evaluate(renderer, v, ctx));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, evaluate(renderer, v, ctx)]),
    );
  }
  return value;
}

/**
 * The outputs of golden-path:service:plan the Go service template's values
 * use, computed as the action computes them: the plural is the given
 * aggregatePlural, else the last word of the aggregate through pluralize;
 * the table its snake_case; the final states the given ones, else the states
 * no transition leaves. The go-service e2e suite renders through the real
 * action and compares.
 */
function servicePlanOutput(input: Record<string, any>) {
  const aggregate = String(input.aggregate ?? '');
  const given =
    typeof input.aggregatePlural === 'string' &&
    input.aggregatePlural.trim() !== '';
  const [, head, last] = /^(.*?)([A-Z][a-z0-9]*)$/.exec(aggregate) ?? [
    '',
    '',
    aggregate,
  ];
  const plural = given ? input.aggregatePlural.trim() : head + pluralize(last);
  const states: string[] = Array.isArray(input.states) ? input.states : [];
  const left = new Set(
    (Array.isArray(input.transitions) ? input.transitions : []).map(
      (t: { from?: string }) => t?.from,
    ),
  );
  if (Array.isArray(input.dependsOn) && input.dependsOn.length) {
    throw new RenderError(
      'dependsOn: the plan reads the services it names from the monorepo, which rendering without a backend does not do; leave dependsOn empty or render with golden-path render',
    );
  }
  return {
    dependencies: [],
    serviceName: `${input.name}-service`,
    protoPackage: `${String(input.name).replace(/-/g, '')}.v1`,
    aggregatePlural: plural,
    table: plural.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
    finalStates: Array.isArray(input.finalStates)
      ? input.finalStates
      : states.filter(s => !left.has(s)),
  };
}

function filesUnder(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out.sort();
}

/**
 * Renders a template's fetch:template steps without a backend, with the
 * engine the scaffolder uses (nunjitsu): step inputs through renderValue with
 * JSON coercion as the workflow runner does, file paths and contents through
 * render with regex execution allowed as fetch:template does, paths with an
 * empty segment skipped, a step with `each` once per item and `if` honoured.
 * Plan steps give the outputs the values use; other actions are not run.
 * For maintaining templates (go.mod regeneration, quick checks); the render
 * harness (renderTemplate) is the real scaffolder.
 */
export function renderLocally(
  options: LocalRenderOptions,
): LocalRenderedStep[] {
  const isFile =
    fs.existsSync(options.templateDir) &&
    fs.statSync(options.templateDir).isFile();
  const templateFile = isFile
    ? options.templateDir
    : path.join(options.templateDir, 'template.yaml');
  if (!fs.existsSync(templateFile))
    throw new RenderError(
      `no template.yaml in ${options.templateDir}: give a template directory or a template file`,
    );
  const template = parse(fs.readFileSync(templateFile, 'utf8'));
  const steps: TemplateStep[] = template?.spec?.steps;
  if (!Array.isArray(steps))
    throw new RenderError(
      `${templateFile} has no spec.steps list: is it a scaffolder template?`,
    );
  const source = confinedRoot(path.dirname(templateFile), {
    name: 'the template directory',
  });
  fs.mkdirSync(options.outDir, { recursive: true });
  const out = confinedRoot(options.outDir, { name: options.outDir });
  const renderer = createTemplateRenderer({
    allowRegexExecution: true,
    filters: { parseRepoUrl } as any,
  });
  const parameters = options.values;
  const outputs: Record<string, { output: Record<string, unknown> }> = {};
  const rendered: LocalRenderedStep[] = [];
  for (const step of steps) {
    if (options.skipSteps?.includes(step.id)) continue;
    const ctx = renderer.prepareContext({
      parameters,
      steps: outputs,
    } as Record<string, TemplateValue>);
    if (step.action !== 'fetch:template') {
      // Only the plan's outputs are used by later steps; nothing else is run.
      if (step.action === 'golden-path:service:plan') {
        const input = evaluate(renderer, step.input ?? {}, ctx);
        outputs[step.id] = { output: servicePlanOutput(input as any) };
      }
      // The skeletons are rendered from the template directory itself, as
      // golden-path:template:version says for a local template.
      if (step.action === 'golden-path:template:version') {
        const input = evaluate(renderer, step.input ?? {}, ctx) as {
          template?: string;
        };
        outputs[step.id] = {
          output: { templateUrl: input.template ?? '.' },
        };
      }
      continue;
    }
    const items =
      step.each === undefined
        ? [undefined]
        : Object.entries(evaluate(renderer, step.each, ctx) as object);
    for (const item of items) {
      const itx = item
        ? renderer.prepareContext({
            parameters,
            steps: outputs,
            each: { key: item[0], value: item[1] },
          } as Record<string, TemplateValue>)
        : ctx;
      if (step.if !== undefined && !evaluate(renderer, step.if, itx)) continue;
      const input = evaluate(renderer, step.input ?? {}, itx) as {
        url?: string;
        targetPath?: string;
        values?: Record<string, unknown>;
      };
      if (typeof input.url !== 'string')
        throw new RenderError(
          `step ${step.id}: input.url must be a path in the template directory`,
        );
      const srcDir = source(input.url, { label: `step ${step.id} url` });
      const target = input.targetPath ?? '.';
      const valuesCtx = renderer.prepareContext({
        values: input.values ?? {},
      } as Record<string, TemplateValue>);
      let count = 0;
      for (const rel of filesUnder(srcDir)) {
        const renderedPath = renderer.render(
          rel.split(path.sep).join('/'),
          valuesCtx,
        );
        if (!renderedPath || renderedPath.split('/').some(seg => seg === ''))
          continue;
        let content: string;
        try {
          content = renderer.render(
            fs.readFileSync(path.join(srcDir, rel), 'utf8'),
            valuesCtx,
          );
        } catch (e) {
          throw new RenderError(
            `step ${step.id}: ${path.join(input.url, rel)}: ${
              (e as Error).message
            }`,
          );
        }
        writeConfinedFile(out, path.join(target, renderedPath), content, {
          label: `rendered file ${JSON.stringify(
            path.join(target, renderedPath),
          )}`,
          mode: fs.statSync(path.join(srcDir, rel)).mode,
        });
        count++;
      }
      rendered.push({ id: step.id, source: input.url, files: count });
    }
  }
  return rendered;
}
