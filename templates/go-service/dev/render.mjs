#!/usr/bin/env node
// Development renderer for the go-service template. It reads template.yaml and
// runs its fetch:template steps with the engine the scaffolder uses (nunjitsu,
// from the repository's node_modules): step inputs through renderValue with
// JSON coercion as the workflow runner does, files and paths through render
// with regex execution allowed as fetch:template does, paths with an empty
// segment skipped, a step with `each` once per item ({ each: { key, value } }). So the values computed in template.yaml are the ones used
// here. The output directory is a monorepo rendered by
// go-monorepo/dev/render.mjs; the service lands in services/<name>-service and
// api/proto/<name>/v1, exactly where the template's publish steps put it.
//
// Usage: node dev/render.mjs --values values/orders.json --out /tmp/gp-mono
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const templateDir = path.resolve(here, '..');

function load(name) {
  const candidates = [
    path.resolve(templateDir, '../../node_modules'),
    process.env.NUNJUCKS_NODE_MODULES,
    '/tmp/gp-nj/node_modules',
  ].filter(Boolean);
  for (const dir of candidates) {
    try {
      return createRequire(path.join(dir, 'noop.js'))(name);
    } catch {
      // try the next location
    }
  }
  throw new Error(
    `${name} not found in ${candidates.join(
      ', ',
    )}: run yarn install at the repo root`,
  );
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!argv[i + 1]) throw new Error(`missing value for ${argv[i]}`);
    args[key] = argv[i + 1];
  }
  if (!args.values || !args.out)
    throw new Error(
      'usage: render.mjs --values <parameters.json> --out <monorepo dir>',
    );
  return args;
}

// Step inputs: every string through renderValue (JSON coercion), as the
// workflow runner's render() does; a failing string stays as it is there, but
// fails loudly here.
function evaluate(renderer, value, ctx) {
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

function walk(dir, base = dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, base));
    else out.push(path.relative(base, full));
  }
  return out;
}

// fetch:template: render every path and file with { values }.
function renderTree(renderer, srcDir, outDir, values) {
  const ctx = renderer.prepareContext({ values });
  let count = 0;
  for (const rel of walk(srcDir)) {
    const target = renderer.render(rel, ctx);
    if (!target || target.split('/').some(seg => seg === '')) continue;
    const src = fs.readFileSync(path.join(srcDir, rel), 'utf8');
    let rendered;
    try {
      rendered = renderer.render(src, ctx);
    } catch (e) {
      throw new Error(`render ${rel}: ${e.message}`);
    }
    const dest = path.join(outDir, target);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, rendered, {
      mode: fs.statSync(path.join(srcDir, rel)).mode,
    });
    count++;
  }
  return count;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const { createTemplateRenderer } = load('nunjitsu');
  const YAML = load('yaml');
  const template = YAML.parse(
    fs.readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'),
  );
  const parameters = JSON.parse(fs.readFileSync(args.values, 'utf8'));
  const parseRepoUrl = url => {
    const u = new URL(`https://${url}`);
    return {
      host: u.hostname,
      owner: u.searchParams.get('owner'),
      repo: u.searchParams.get('repo'),
    };
  };
  const runner = createTemplateRenderer({
    allowRegexExecution: true,
    filters: { parseRepoUrl },
  });
  const files = createTemplateRenderer({
    allowRegexExecution: true,
    filters: { parseRepoUrl },
  });
  // The plan step's outputs the values use, as golden-path:service:plan
  // computes them (aggregateNames in plugins/golden-path-common: the given
  // aggregatePlural, else the last word of the aggregate through pluralize).
  const pluralize = load('pluralize');
  const given =
    typeof parameters.aggregatePlural === 'string' &&
    parameters.aggregatePlural.trim() !== '';
  const [, head, last] = /^(.*?)([A-Z][a-z0-9]*)$/.exec(
    parameters.aggregate,
  ) ?? [null, '', parameters.aggregate];
  const plural = given
    ? parameters.aggregatePlural.trim()
    : head + pluralize(last);
  // finalStates: as finalStatesOf (golden-path-common): given, else the states no transition leaves.
  const left = new Set((parameters.transitions ?? []).map(t => t.from));
  const finalStates = parameters.finalStates?.length
    ? parameters.finalStates
    : (parameters.states ?? []).filter(s => !left.has(s));
  const table = plural.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const steps = {
    plan: { output: { aggregatePlural: plural, table, finalStates } },
  };
  const ctx = runner.prepareContext({ parameters, steps });
  let total = 0;
  for (const step of template.spec.steps) {
    if (step.action !== 'fetch:template') continue;
    if (step.id === 'fetch-proto-base-local') continue; // the rendered monorepo already has it
    // A step with `each` runs once per item with { each: { key, value } }, as the workflow runner does.
    const iterations =
      step.each === undefined
        ? [ctx]
        : Object.entries(evaluate(runner, step.each, ctx)).map(([key, value]) =>
            runner.prepareContext({ parameters, steps, each: { key, value } }),
          );
    for (const itx of iterations) {
      if (step.if !== undefined && !evaluate(runner, step.if, itx)) continue;
      const input = evaluate(runner, step.input, itx);
      const src = path.resolve(templateDir, input.url);
      const dest = path.join(args.out, input.targetPath ?? '.');
      const n = renderTree(files, src, dest, input.values);
      console.log(
        `${step.id}: rendered ${n} files from ${path.relative(
          templateDir,
          src,
        )}`,
      );
      total += n;
    }
  }
  console.log(`rendered ${total} files into ${args.out}`);
}
