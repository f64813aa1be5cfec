// Preloaded (--require) into the suites' own backends only. On every start,
// the root logger's secret redaction loads the config schema of every
// package the backend depends on, and @backstage/config-loader compiles each
// package's config.d.ts with the TypeScript compiler: about 3 of the 10
// CPU-s a backend start takes, on each of the 30-odd starts of a test run.
// The schema depends only on what is installed and on the workspace's own
// packages, so it is kept on disk, keyed by a hash of yarn.lock, the
// config-loader's version and each workspace package's package.json and
// config schema file, and loaded serialized (as an app bundle's schema is).
// Any failure falls back to the normal load; the README's start command and
// a platform team's backend never load this file.
'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { goldenPathCacheDir } = require('./cacheDir.cjs');

const ROOT = path.resolve(__dirname, '../..');
const backendDir = path.join(ROOT, 'packages/backend');

function cacheDir() {
  return path.join(goldenPathCacheDir(), 'config-schema');
}

/** The hash of everything the collected schema is made from. */
function schemaKey(loaderDir, dependencies) {
  const hash = createHash('sha256');
  const add = (label, data) =>
    hash.update(`${label}\0${data.length}\0`).update(data);
  add('loader', fs.readFileSync(path.join(loaderDir, 'package.json')));
  add('lock', fs.readFileSync(path.join(ROOT, 'yarn.lock')));
  add('dependencies', JSON.stringify([...dependencies].sort()));
  for (const parent of ['packages', 'plugins']) {
    for (const name of fs.readdirSync(path.join(ROOT, parent)).sort()) {
      const pkgFile = path.join(ROOT, parent, name, 'package.json');
      if (!fs.existsSync(pkgFile)) continue;
      const pkgText = fs.readFileSync(pkgFile);
      add(pkgFile, pkgText);
      const schema = JSON.parse(pkgText).configSchema;
      if (typeof schema === 'string')
        add(schema, fs.readFileSync(path.join(ROOT, parent, name, schema)));
    }
  }
  return hash.digest('hex');
}

function install() {
  const defaultsDir = path.dirname(
    require.resolve('@backstage/backend-defaults/package.json', {
      paths: [backendDir],
    }),
  );
  const loaderDir = path.dirname(
    require.resolve('@backstage/config-loader/package.json', {
      paths: [defaultsDir],
    }),
  );
  const loader = require(path.join(loaderDir, 'dist/index.cjs.js'));
  const load = loader.loadConfigSchema;
  loader.loadConfigSchema = async function cachedLoadConfigSchema(options) {
    if (!options || !Array.isArray(options.dependencies))
      return load.call(this, options);
    let file;
    try {
      file = path.join(
        cacheDir(),
        `${schemaKey(loaderDir, options.dependencies)}.json`,
      );
      const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const message of entry.warnings)
        options.onSchemaError?.(new Error(message));
      return await load.call(this, { serialized: entry.serialized });
    } catch {
      // no entry yet (or an unreadable one): the normal load, then stored
    }
    // without onSchemaError a schema error throws (nothing is stored)
    const warnings = [];
    const onSchemaError = options.onSchemaError;
    const schema = await load.call(
      this,
      onSchemaError
        ? {
            ...options,
            onSchemaError: error => {
              warnings.push(error.message);
              onSchemaError(error);
            },
          }
        : options,
    );
    if (file) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(
          tmp,
          JSON.stringify({ warnings, serialized: schema.serialize() }),
        );
        fs.renameSync(tmp, file);
      } catch {
        // a cache that cannot be written costs the next start the same time
      }
    }
    return schema;
  };
}

try {
  install();
} catch (error) {
  process.emitWarning(
    `the config schema cache of the test backends is off: ${error.message}`,
  );
}
