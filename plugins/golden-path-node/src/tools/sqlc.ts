import { parseConfigYaml } from './configYaml';
import { UnsafeToolConfigError, Violation } from './violations';

/**
 * Parses sqlc diagnostics: `file:line:col: message` (generate/compile) and
 * `file: query: rule: message` (vet).
 */
export function parseSqlcErrors(output: string): Violation[] {
  const violations: Violation[] = [];
  for (const line of output.split('\n')) {
    const pos = /^(.+?):(\d+):(\d+): (.+)$/.exec(line.trim());
    if (pos) {
      violations.push({ path: pos[1], line: Number(pos[2]), column: Number(pos[3]), rule: 'sqlc', message: pos[4] });
      continue;
    }
    const vet = /^(.+?\.sql): ([A-Za-z0-9_]+): ([A-Za-z0-9_-]+): (.+)$/.exec(line.trim());
    if (vet) {
      violations.push({ path: vet[1], line: 0, column: 0, rule: vet[3], message: `${vet[2]}: ${vet[4]}` });
    }
  }
  return violations;
}

/**
 * Refuses a sqlc.yaml that would run programs or fetch code: process and WASM
 * plugins (unless a process plugin's name is allow-listed), and sqlc Cloud.
 * Returns the parsed config.
 */
export function checkSqlcConfig(text: string, allowedPlugins: string[], file = 'sqlc.yaml'): Record<string, any> {
  const doc = parseConfigYaml(text, file);
  if (String(doc.version) !== '2') {
    throw new UnsafeToolConfigError(`${file}: version must be "2" (found ${JSON.stringify(doc.version)})`);
  }
  if (doc.cloud) {
    throw new UnsafeToolConfigError(`${file}: cloud is refused: it sends queries to a remote service`);
  }
  const plugins = Array.isArray(doc.plugins) ? doc.plugins : [];
  plugins.forEach((p: any, i: number) => {
    if (p?.wasm) {
      throw new UnsafeToolConfigError(`${file}: plugins[${i}].wasm is refused: WASM plugins are fetched by URL`);
    }
    if (p?.process && !allowedPlugins.includes(String(p.name))) {
      throw new UnsafeToolConfigError(
        `${file}: plugins[${i}].process (${p.name}) is refused: it runs ${JSON.stringify(p.process.cmd)}; allow-list it in goldenPath.tools.allowedPlugins`,
      );
    }
  });
  return doc;
}
