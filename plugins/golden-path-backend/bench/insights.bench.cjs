#!/usr/bin/env node
/* eslint-disable no-console, @backstage/no-undeclared-imports */
// Benchmark of the insights service on a monorepo of N Go services rendered by
// the Go service template (templates/go-service/dev/render.mjs, values
// orders.json with a different name each): each entity's insights cold (first
// read: source tree, layers, protos, atlas.sum) and cached, with the process's
// peak memory. Prints figures; asserts nothing.
//
// Usage: node bench/insights.bench.cjs [--services N] (50 by default)
require('@backstage/cli/config/nodeTransform.cjs');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ConfigReader } = require('@backstage/config');
const { DefaultInsightsService } = require('../src/service/InsightsService');

// The bench scripts share one command-line parser (bench/lib/options.mjs).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { benchOptions } = require('../../../bench/lib/options.mjs');

const count = Number(
  benchOptions('bench/insights.bench.cjs', {
    usage:
      'node bench/insights.bench.cjs [--services N] (N from 1 to 500, 50 by default)',
    options: { services: { type: 'string', default: '50' } },
    wholeNumbers: { services: { min: 1, max: 500 } },
  }).services,
);
const repoRoot = path.resolve(__dirname, '../../..');
const template = path.join(repoRoot, 'templates/go-service');
const node = process.execPath;

/** A CacheService over a Map (what the memory store does), for a process of its own. */
function memoryCache() {
  const map = new Map();
  const cache = {
    get: async key => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async key => void map.delete(key),
    withOptions: () => cache,
  };
  return cache;
}

const quietLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => quietLogger,
};
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-insights-bench-'));
  const repo = path.join(root, 'monorepo');
  const base = JSON.parse(
    fs.readFileSync(path.join(template, 'values/orders.json'), 'utf8'),
  );
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    const values = path.join(root, `values-${i}.json`);
    fs.writeFileSync(
      values,
      JSON.stringify({
        ...base,
        name: `bench-s${String(i).padStart(2, '0')}`,
        grpcPort: 51000 + i,
      }),
    );
    execFileSync(
      node,
      [
        path.join(template, 'dev/render.mjs'),
        '--values',
        values,
        '--out',
        repo,
      ],
      { stdio: 'pipe' },
    );
  }
  const files = execFileSync('find', [repo, '-type', 'f'], { encoding: 'utf8' })
    .trim()
    .split('\n').length;
  console.log(
    `rendered ${count} services (${files} files) with the Go service template in ${(
      (Date.now() - t0) /
      1000
    ).toFixed(1)}s`,
  );

  const config = new ConfigReader({
    goldenPath: { insights: { localRoots: [root], cacheTtl: { minutes: 10 } } },
  });
  const service = DefaultInsightsService.fromConfig(config, {
    logger: quietLogger,
    urlReader: { readTree: async () => Promise.reject(new Error('not used')) },
    cache: memoryCache(),
  });
  const entities = Array.from({ length: count }, (_, i) => {
    const name = `bench-s${String(i).padStart(2, '0')}-service`;
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'golden-path.dev/go-service': `services/${name}`,
          'backstage.io/source-location': `dir:${repo}/`,
        },
      },
      spec: {
        type: 'service',
        owner: 'group:default/platform-team',
        lifecycle: 'experimental',
      },
    };
  });

  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const cold = [];
  const cached = [];
  for (const entity of entities) {
    const t = process.hrtime.bigint();
    const result = await service.getInsights(entity);
    cold.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (result.layers.packages.length === 0)
      throw new Error(`no packages found for ${entity.metadata.name}`);
  }
  for (let round = 0; round < 5; round++) {
    for (const entity of entities) {
      const t = process.hrtime.bigint();
      await service.getInsights(entity);
      cached.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await service.close();
  fs.rmSync(root, { recursive: true, force: true });
  const fmt = x => `${x.toFixed(1)} ms`;
  console.log(
    `cold   per entity: median ${fmt(median(cold))}, p95 ${fmt(
      p95(cold),
    )}, max ${fmt(Math.max(...cold))} (target < 1000 ms)`,
  );
  console.log(
    `cached per entity: median ${fmt(median(cached))}, p95 ${fmt(
      p95(cached),
    )}, max ${fmt(Math.max(...cached))} (target < 50 ms)`,
  );
  console.log(
    `peak RSS of the process: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
