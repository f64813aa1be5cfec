import fs from 'node:fs';
import path from 'node:path';
import { parseConfigYaml } from './configYaml';
import { UnsafeToolConfigError, Violation } from './violations';

/**
 * Parses sqlc diagnostics: `file:line:col: message` (generate/compile) and
 * `file: query: rule: message` (vet).
 *
 * @public
 */
export function parseSqlcErrors(output: string): Violation[] {
  const violations: Violation[] = [];
  for (const line of output.split('\n')) {
    const pos = /^(.+?):(\d+):(\d+): (.+)$/.exec(line.trim());
    if (pos) {
      violations.push({
        path: pos[1],
        line: Number(pos[2]),
        column: Number(pos[3]),
        rule: 'sqlc',
        message: pos[4],
      });
      continue;
    }
    const vet = /^(.+?\.sql): ([A-Za-z0-9_]+): ([A-Za-z0-9_-]+): (.+)$/.exec(
      line.trim(),
    );
    if (vet) {
      violations.push({
        path: vet[1],
        line: 0,
        column: 0,
        rule: vet[3],
        message: `${vet[2]}: ${vet[4]}`,
      });
    }
  }
  return violations;
}

/**
 * Which sqlc `process` plugins may run.
 *
 * @public
 */
export interface SqlcPluginPolicy {
  /** Real paths of the programs a process plugin may run ({@link resolveSqlcProcessPlugins}). */
  processCommands: string[];
  /** The PATH sqlc runs with, in order: a bare `cmd` is looked up there, as sqlc's exec.LookPath does. */
  searchPath: string[];
}

const ALLOW_KEY = 'goldenPath.tools.sqlcProcessPlugins';

function isExecutableFile(p: string): boolean {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  return !!st && st.isFile() && (st.mode & 0o111) !== 0;
}

/**
 * The allow-list of sqlc process plugin programs as real paths: a name is a
 * program of `<toolsDir>/bin`, else an absolute path; a relative path (which
 * would be a path of the workspace) is a configuration error. Entries that
 * are not executable files are left out (they cannot match anything).
 *
 * @public
 */
export function resolveSqlcProcessPlugins(
  entries: string[],
  toolsDir?: string,
): string[] {
  return entries.flatMap(entry => {
    let p: string;
    if (path.isAbsolute(entry)) p = entry;
    else if (!entry.includes('/') && toolsDir)
      p = path.join(toolsDir, 'bin', entry);
    else {
      throw new Error(
        `${ALLOW_KEY}: "${entry}" must be an absolute path or the name of a program in the tools directory's bin`,
      );
    }
    return isExecutableFile(p) ? [fs.realpathSync(p)] : [];
  });
}

/** The program sqlc would start for `cmd` (Go's exec.LookPath), or a reason it is none. */
function resolveCmd(
  cmd: string,
  searchPath: string[],
): { path?: string; why?: string } {
  if (cmd.includes('/')) {
    if (!path.isAbsolute(cmd)) return { why: 'a program of the workspace' };
    return isExecutableFile(cmd)
      ? { path: fs.realpathSync(cmd) }
      : { why: 'no executable file' };
  }
  for (const dir of searchPath) {
    const candidate = path.join(dir, cmd);
    if (dir && isExecutableFile(candidate))
      return { path: fs.realpathSync(candidate) };
  }
  return { why: 'no program on the tools PATH' };
}

/**
 * Refuses a sqlc.yaml that would run programs, fetch code or connect to a
 * database: a process plugin whose `cmd` is not, resolved the way sqlc
 * resolves it, an allow-listed program (the plugin's name plays no part);
 * every WASM plugin (sqlc downloads it by URL); any `sql[].database` and
 * `servers` (sqlc connects there, expanding `${ENV}` in the URI), and sqlc
 * Cloud. The bundle's actions never need a database: sqlc generate and vet
 * work from the schema files. Returns the parsed config.
 *
 * @public
 */
export function checkSqlcConfig(
  text: string,
  policy: SqlcPluginPolicy,
  file = 'sqlc.yaml',
): Record<string, any> {
  const doc = parseConfigYaml(text, file);
  if (String(doc.version) !== '2') {
    throw new UnsafeToolConfigError(
      `${file}: version must be "2" (found ${JSON.stringify(doc.version)})`,
    );
  }
  if (doc.cloud) {
    throw new UnsafeToolConfigError(
      `${file}: cloud is refused: it sends queries to a remote service; remove it`,
    );
  }
  const noDatabase =
    'sqlc would connect to it (expanding ${ENV} in its URI) from the backend; remove it: sqlc generate and vet work from the schema files';
  if (doc.servers !== undefined) {
    throw new UnsafeToolConfigError(
      `${file}: servers is refused: ${noDatabase}`,
    );
  }
  (Array.isArray(doc.sql) ? doc.sql : []).forEach((entry: any, i: number) => {
    if (entry && typeof entry === 'object' && 'database' in entry) {
      throw new UnsafeToolConfigError(
        `${file}: sql[${i}].database is refused: ${noDatabase}`,
      );
    }
  });
  const plugins = Array.isArray(doc.plugins) ? doc.plugins : [];
  plugins.forEach((p: any, i: number) => {
    const at = `${file}: plugins[${i}]`;
    if (p?.wasm !== undefined) {
      throw new UnsafeToolConfigError(
        `${at}.wasm is refused: WASM plugins are downloaded by URL when sqlc runs; use the built-in gen.go generator or an allow-listed process plugin (${ALLOW_KEY})`,
      );
    }
    if (p?.process === undefined) return;
    const cmd = p.process?.cmd;
    if (typeof cmd !== 'string' || !cmd) {
      throw new UnsafeToolConfigError(
        `${at}.process.cmd must be the name or absolute path of one program`,
      );
    }
    const found = resolveCmd(cmd, policy.searchPath);
    if (!found.path || !policy.processCommands.includes(found.path)) {
      throw new UnsafeToolConfigError(
        `${at}.process.cmd ${JSON.stringify(cmd)} is refused: it runs ${
          found.path ?? found.why
        }, which is not an allowed sqlc plugin program; install the plugin in the tools directory and list it in ${ALLOW_KEY}`,
      );
    }
  });
  return doc;
}
