#!/usr/bin/env node
// Development renderer for the go-monorepo template: renders skeleton/ (and,
// for stage "async", skeleton-async/) the way Backstage's fetch:template does
// (nunjucks with `${{ }}` variables, autoescape off, paths rendered too) into
// an output directory, so the result can be checked with buf and go without a
// running backend. The real check goes through the scaffolder (golden-path
// render harness); keep toValues() in step with template.yaml's `values:`.
//
// Usage: node dev/render.mjs --values values/mvp.json --out /tmp/gp-mono-mvp
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const templateDir = path.resolve(here, '..');

function loadNunjucks() {
  const candidates = [
    path.resolve(templateDir, '../../node_modules'),
    process.env.NUNJUCKS_NODE_MODULES,
    '/tmp/gp-nj/node_modules',
  ].filter(Boolean);
  for (const dir of candidates) {
    try {
      return createRequire(path.join(dir, 'noop.js'))('nunjucks');
    } catch {
      // try the next location
    }
  }
  throw new Error(
    `nunjucks not found in ${candidates.join(
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
  if (!args.values || !args.out) {
    throw new Error('usage: render.mjs --values <parameters.json> --out <dir>');
  }
  return args;
}

// Mirrors steps[fetch-base].input.values in template.yaml.
export function toValues(p) {
  return {
    projectName: p.projectName,
    pkgModule: p.pkgModule,
    goVersion: p.goVersion,
    stage: p.stage,
    owner: p.owner,
    system: p.system || p.projectName,
    existingSystem: p.system || '',
    imageRepository:
      p.publishTo === 'github'
        ? (() => {
            const u = new URL(`https://${p.repoUrl}`);
            const repo = `${u.searchParams.get('owner')}/${u.searchParams.get(
              'repo',
            )}`;
            return `ghcr.io/${repo}`.toLowerCase();
          })()
        : `localhost:5000/${p.localPath}`,
  };
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

export function renderTree(nunjucks, srcDir, outDir, values) {
  const env = new nunjucks.Environment(null, {
    autoescape: false,
    tags: { variableStart: '${{', variableEnd: '}}' },
  });
  let count = 0;
  for (const rel of walk(srcDir)) {
    const target = env.renderString(rel, { values });
    if (!target || target.split(path.sep).some(seg => seg === '')) continue;
    const src = fs.readFileSync(path.join(srcDir, rel), 'utf8');
    let rendered;
    try {
      rendered = env.renderString(src, { values });
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
  const nunjucks = loadNunjucks();
  const params = JSON.parse(fs.readFileSync(args.values, 'utf8'));
  const values = toValues(params);
  fs.mkdirSync(args.out, { recursive: true });
  let n = renderTree(
    nunjucks,
    path.join(templateDir, 'skeleton'),
    args.out,
    values,
  );
  if (values.stage === 'async') {
    n += renderTree(
      nunjucks,
      path.join(templateDir, 'skeleton-async'),
      args.out,
      values,
    );
  }
  console.log(`rendered ${n} files into ${args.out} (stage ${values.stage})`);
}
