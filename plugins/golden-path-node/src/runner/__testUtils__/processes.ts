import { spawnSync } from 'node:child_process';
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

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Whether `pid` still runs `withinMs` after now: a killed process can take a
 * moment to go on a loaded machine, so this waits for it instead of looking once.
 */
export async function aliveAfter(
  pid: number,
  withinMs = 5000,
): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive(pid) && Date.now() < deadline) await pause(100);
  return alive(pid);
}

/** The processes whose command line contains `marker` (`pgrep -f`) left `withinMs` after now. */
export async function processesLeft(
  marker: string,
  withinMs = 5000,
): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = spawnSync('pgrep', ['-f', marker], {
      encoding: 'utf8',
    }).stdout.trim();
    if (!left || Date.now() >= deadline) return left;
    await pause(100);
  }
}
