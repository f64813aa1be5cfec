import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { RenderError } from './renderTemplate';

const validators: Record<string, KindValidator> = {
  Component: componentEntityV1alpha1Validator,
  API: apiEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
};

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

// `$text` placeholders resolved relative to the file, as the catalog does.
function resolvePlaceholders(value: unknown, dir: string): unknown {
  if (Array.isArray(value)) return value.map(v => resolvePlaceholders(v, dir));
  if (value && typeof value === 'object') {
    const text = (value as { $text?: unknown }).$text;
    if (typeof text === 'string') {
      const target = path.resolve(dir, text);
      if (!fs.existsSync(target))
        throw new RenderError(
          `$text: ${text} does not exist (resolved to ${target})`,
        );
      return fs.readFileSync(target, 'utf8');
    }
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, dir)]),
    );
  }
  return value;
}

/**
 * Validates a rendered catalog-info.yaml with @backstage/catalog-model (the
 * catalog's own entity policies and the Component, API and Resource kinds),
 * after resolving `$text` placeholders. With `proto`, an inline API
 * definition must equal that file byte for byte. Returns "Kind:name" of each
 * valid entity; throws a RenderError naming the first invalid one.
 */
export async function validateCatalogFile(
  file: string,
  options: { proto?: string } = {},
): Promise<string[]> {
  if (!fs.existsSync(file))
    throw new RenderError(
      `${file} does not exist: give a rendered catalog-info.yaml`,
    );
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const checked: string[] = [];
  for (const doc of docs) {
    if (doc.errors.length)
      throw new RenderError(`${file}: ${doc.errors[0].message}`);
    const entity = resolvePlaceholders(
      doc.toJS(),
      path.dirname(file),
    ) as Entity;
    const label = `${entity?.kind} ${entity?.metadata?.name}`;
    try {
      await policy.enforce(entity);
    } catch (e) {
      throw new RenderError(`${file}: ${label}: ${(e as Error).message}`);
    }
    const validator = validators[entity.kind];
    let valid = false;
    try {
      valid = Boolean(validator && (await validator.check(entity)));
    } catch (e) {
      throw new RenderError(`${file}: ${label}: ${(e as Error).message}`);
    }
    if (!valid)
      throw new RenderError(
        `${file}: ${label}: not a ${Object.keys(validators).join(', ')} entity`,
      );
    if (entity.kind === 'API' && options.proto) {
      const definition = (entity.spec as { definition?: unknown }).definition;
      if (definition !== fs.readFileSync(options.proto, 'utf8'))
        throw new RenderError(
          `${file}: ${label}: the definition differs from ${options.proto}`,
        );
    }
    checked.push(`${entity.kind}:${entity.metadata.name}`);
  }
  return checked;
}
