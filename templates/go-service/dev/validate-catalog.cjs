// Validates a rendered catalog-info.yaml with @backstage/catalog-model, after
// resolving `$text` placeholders relative to the file as the catalog does.
// Usage: node dev/validate-catalog.cjs <catalog-info.yaml> [<proto file>]
// With a proto file, an inline API definition must equal it byte for byte.
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const repoRequire = createRequire(
  path.resolve(__dirname, '../../../package.json'),
);
const m = repoRequire('@backstage/catalog-model');
const YAML = repoRequire('yaml');

const file = path.resolve(process.argv[2]);
const resolve = value => {
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') {
    if (typeof value.$text === 'string')
      return fs.readFileSync(
        path.resolve(path.dirname(file), value.$text),
        'utf8',
      );
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolve(v)]),
    );
  }
  return value;
};
const validators = {
  Component: m.componentEntityV1alpha1Validator,
  API: m.apiEntityV1alpha1Validator,
  Resource: m.resourceEntityV1alpha1Validator,
};
const policy = m.EntityPolicies.allOf([
  new m.DefaultNamespaceEntityPolicy(),
  new m.FieldFormatEntityPolicy(),
  new m.NoForeignRootFieldsEntityPolicy(),
  new m.SchemaValidEntityPolicy(),
]);
(async () => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d =>
    resolve(d.toJS()),
  );
  for (const entity of docs) {
    await policy.enforce(entity);
    if (
      !validators[entity.kind] ||
      !(await validators[entity.kind].check(entity))
    ) {
      throw new Error(
        `${entity.kind} ${entity.metadata?.name}: not a valid entity`,
      );
    }
    if (entity.kind === 'API' && process.argv[3]) {
      if (entity.spec.definition !== fs.readFileSync(process.argv[3], 'utf8')) {
        throw new Error(
          `API ${entity.metadata.name}: the definition differs from ${process.argv[3]}`,
        );
      }
    }
    console.log(`${entity.kind}:${entity.metadata.name} ok`);
  }
})().catch(e => {
  console.error(e.message);
  process.exit(1);
});
