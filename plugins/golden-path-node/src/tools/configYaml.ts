import { load } from 'js-yaml';
import { UnsafeToolConfigError } from './violations';

/**
 * Parses a tool config (sqlc.yaml, buf.yaml, buf.gen.yaml) for its check.
 * js-yaml applies `<<` merge keys as the CLIs' Go yaml.v3 does (so a merged
 * key cannot slip past the check), and it is several times faster than the
 * `yaml` package on these small files, which are parsed before every run.
 */
export function parseConfigYaml(text: string, file: string): any {
  try {
    return load(text) ?? {};
  } catch (e) {
    throw new UnsafeToolConfigError(
      `${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}
