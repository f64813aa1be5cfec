import { load } from 'js-yaml';
import { UnsafeToolConfigError } from './violations';

/**
 * Values a config may expand to. Aliases share one parsed node, so a small
 * file can stand for a huge document, which the checks and the CLIs would
 * then walk in full; real configs hold a few hundred values.
 */
const MAX_EXPANDED_VALUES = 100_000;

/** Whether `doc`, each alias counted as often as it is used, holds at most `budget` values. */
function withinExpandedValues(doc: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [doc];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    for (const child of Object.values(v)) {
      if (--left < 0) return false;
      stack.push(child);
    }
  }
  return true;
}

/**
 * Parses a tool config (sqlc.yaml, buf.yaml, buf.gen.yaml) for its check.
 * js-yaml applies `<<` merge keys as the CLIs' Go yaml.v3 does (so a merged
 * key cannot slip past the check), and it is several times faster than the
 * `yaml` package on these small files, which are parsed before every run.
 */
export function parseConfigYaml(text: string, file: string): any {
  let doc: unknown;
  try {
    doc = load(text) ?? {};
  } catch (e) {
    throw new UnsafeToolConfigError(
      `${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (!withinExpandedValues(doc, MAX_EXPANDED_VALUES)) {
    throw new UnsafeToolConfigError(
      `${file} expands to more than ${MAX_EXPANDED_VALUES.toLocaleString(
        'en-US',
      )} values through YAML aliases (*name): write the entries out instead of repeating anchors`,
    );
  }
  return doc;
}
