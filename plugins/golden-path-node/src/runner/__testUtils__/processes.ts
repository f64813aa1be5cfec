import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** golden-path-launcher as scripts/setup.sh builds it (tools/launcher). */
export const LAUNCHER = path.resolve(
  process.env.GOLDEN_PATH_TOOLS_DIR ??
    path.join(__dirname, '../../../../../.tools'),
  'bin/golden-path-launcher',
);

/** A temporary directory for a test file, removed after its tests. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes an executable bash script into `dir`. */
export function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  return file;
}

/** A process that still runs (a zombie waiting to be reaped does not count). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
