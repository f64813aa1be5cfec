import { parseConfigYaml } from './configYaml';
import { UnsafeToolConfigError, Violation } from './violations';

/**
 * Parses `buf lint|build|breaking|format --error-format json` output (one JSON
 * object a line) into violations. Lines that are not JSON are ignored.
 *
 * @public
 */
export function parseBufJsonErrors(output: string): Violation[] {
  const violations: Violation[] = [];
  for (const line of output.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const e = JSON.parse(text);
      violations.push({
        path: String(e.path ?? ''),
        line: Number(e.start_line ?? 0),
        column: Number(e.start_column ?? 0),
        rule: String(e.type ?? 'COMPILE'),
        message: String(e.message ?? ''),
      });
    } catch {
      /* not an error object */
    }
  }
  return violations;
}

/**
 * Refuses a buf.gen.yaml that would run anything but allow-listed local
 * plugins: remote (BSR) plugins, protoc built-ins, plugins given as a path or
 * a command line, and inputs fetched from elsewhere. Returns the parsed
 * config (the caller reads `out` and `inputs` from it, as checked).
 *
 * @public
 */
export function checkBufGenConfig(
  text: string,
  allowedPlugins: string[],
  file = 'buf.gen.yaml',
): Record<string, any> {
  const doc = parseConfigYaml(text, file);
  if (doc.version !== 'v2') {
    throw new UnsafeToolConfigError(
      `${file}: version must be v2 (found ${JSON.stringify(doc.version)})`,
    );
  }
  const plugins = Array.isArray(doc.plugins) ? doc.plugins : [];
  plugins.forEach((p: any, i: number) => {
    const at = `${file}: plugins[${i}]`;
    if (p?.remote !== undefined) {
      throw new UnsafeToolConfigError(
        `${at}.remote "${
          p.remote
        }" is refused: remote plugins need the network; use a local plugin from the allow-list (${allowedPlugins.join(
          ', ',
        )})`,
      );
    }
    if (p?.protoc_builtin !== undefined) {
      throw new UnsafeToolConfigError(
        `${at}.protoc_builtin is refused: only allow-listed local plugins run`,
      );
    }
    if (p?.path !== undefined) {
      throw new UnsafeToolConfigError(
        `${at}.path is refused: plugins are named, not given by path`,
      );
    }
    const local = p?.local;
    if (typeof local !== 'string') {
      throw new UnsafeToolConfigError(
        `${at}.local must be one plugin name (a command line or a missing name is refused)`,
      );
    }
    if (!allowedPlugins.includes(local)) {
      throw new UnsafeToolConfigError(
        `${at}.local "${local}" is not an allowed plugin (allowed: ${allowedPlugins.join(
          ', ',
        )}; see goldenPath.tools.allowedPlugins)`,
      );
    }
  });
  const inputs = Array.isArray(doc.inputs) ? doc.inputs : [];
  inputs.forEach((input: any, i: number) => {
    const keys = Object.keys(input ?? {}).filter(
      k => !['directory', 'paths', 'exclude_paths'].includes(k),
    );
    if (keys.length) {
      throw new UnsafeToolConfigError(
        `${file}: inputs[${i}].${keys[0]} is refused: only local directories are inputs`,
      );
    }
  });
  return doc;
}

/**
 * The module directories a buf.work.yaml (a buf v1 workspace) lists: buf
 * reads the buf.yaml of each, which its caller checks as well.
 *
 * @public
 */
export function bufWorkDirectories(
  text: string,
  file = 'buf.work.yaml',
): string[] {
  const listed = parseConfigYaml(text, file).directories ?? [];
  if (!Array.isArray(listed))
    throw new UnsafeToolConfigError(
      `${file}: directories must be a list of module directories`,
    );
  return listed.map((d: unknown, i: number) => {
    if (typeof d !== 'string' || !d)
      throw new UnsafeToolConfigError(
        `${file}: directories[${i}] must be a directory name`,
      );
    return d;
  });
}

/**
 * Refuses a buf.yaml with BSR dependencies or check plugins (both run or fetch code).
 *
 * @public
 */
export function checkBufModuleConfig(
  text: string,
  allowedPlugins: string[],
  file = 'buf.yaml',
): void {
  const doc = parseConfigYaml(text, file);
  if (Array.isArray(doc.deps) && doc.deps.length) {
    throw new UnsafeToolConfigError(
      `${file}: deps are refused: dependencies come from the network (BSR)`,
    );
  }
  const plugins = Array.isArray(doc.plugins) ? doc.plugins : [];
  plugins.forEach((p: any, i: number) => {
    if (typeof p?.plugin !== 'string' || !allowedPlugins.includes(p.plugin)) {
      throw new UnsafeToolConfigError(
        `${file}: plugins[${i}].plugin ${JSON.stringify(
          p?.plugin,
        )} is not an allowed check plugin (allowed: ${
          allowedPlugins.join(', ') || 'none'
        }; see goldenPath.tools.allowedPlugins)`,
      );
    }
  });
}
