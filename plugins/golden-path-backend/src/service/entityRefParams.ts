import { makeValidator } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const validator = makeValidator();

/**
 * Refuses an entity reference's parts from a request (route parameters,
 * Express has decoded them once) that are not the catalog's kind, namespace
 * and name syntax, with one line, before the catalog is asked. The catalog
 * client puts them into its URL path where `..` (sent as `%2e%2e`) is not
 * escaped and would climb to another catalog route (`…/by-name/../by-uid/x`
 * is `/entities/by-uid/x`); `/` (sent as `%2F`), `%` (double encoding) and
 * the like are no part of a name either.
 */
export function checkRefParts(
  parts: {
    kind?: string;
    namespace?: string;
    name?: string;
  },
  label?: string,
): void {
  const bad = (part: string, value: string) =>
    new InputError(
      `${label ? `${label}: ` : ''}${part} ${JSON.stringify(
        value.slice(0, 80),
      )} is not an entity ${part}: letters, digits and "-", "_", "." between them, at most 63 characters`,
    );
  const { kind, namespace, name } = parts;
  if (kind !== undefined && !validator.isValidKind(kind))
    throw bad('kind', kind);
  if (
    namespace !== undefined &&
    !validator.isValidNamespace(namespace.toLocaleLowerCase('en-US'))
  )
    throw bad('namespace', namespace);
  if (name !== undefined && !validator.isValidEntityName(name))
    throw bad('name', name);
}
