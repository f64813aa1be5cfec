import Ajv, { ErrorObject } from 'ajv';

type Schema = Record<string, any>;

/**
 * Explains why values fail a template's parameter schemas, field by field,
 * with each field's `ui:help`. The backend's validator reports a failed
 * `oneOf` dependency only as a whole; the form validates with Ajv, so this
 * gives the same per-field messages a person sees on the Create page.
 */
export function explainValues(
  parameters: Schema | Schema[] | undefined,
  values: Record<string, unknown>,
): string[] {
  const steps = ([] as Schema[]).concat(parameters ?? []);
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  const messages = new Set<string>();
  for (const step of steps) {
    const validate = ajv.compile(step);
    if (validate(values)) continue;
    for (const error of validate.errors ?? []) {
      const message = describe(error);
      if (message) messages.add(message);
    }
  }
  return [...messages];
}

function describe(error: ErrorObject): string | undefined {
  // Branch bookkeeping of oneOf/dependencies: the real cause is reported separately.
  if (['oneOf', 'anyOf', 'const', 'if'].includes(error.keyword))
    return undefined;
  const field =
    error.keyword === 'required'
      ? [
          error.instancePath.replace(/^\//, ''),
          (error.params as any).missingProperty,
        ]
          .filter(Boolean)
          .join('.')
      : error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'values';
  const help = error.parentSchema?.['ui:help'];
  return `${field} ${error.message}${
    help && error.keyword !== 'required' ? ` — ${help}` : ''
  }`;
}
