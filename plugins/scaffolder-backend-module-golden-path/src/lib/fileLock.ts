import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How {@link withFileLock} waits. */
export interface FileLockOptions {
  /** A lock older than this is a leftover of a killed run and is taken over. */
  staleMs?: number;
  /** How long to wait for the lock before failing. */
  timeoutMs?: number;
}

/**
 * Runs `fn` holding `<file>.lock`, created exclusively (never through a
 * symlink) and removed afterwards: a read-modify-write of a file that runs on
 * other backend processes (replicas on a shared root) may edit at the same
 * time, such as a monorepo's go.work. A lock left by a killed run is taken
 * over once older than `staleMs`.
 */
export async function withFileLock<T>(
  file: string,
  fn: () => T | Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const { staleMs = 30_000, timeoutMs = 60_000 } = options;
  const lock = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.closeSync(
        fs.openSync(
          lock,
          fs.constants.O_CREAT |
            fs.constants.O_EXCL |
            fs.constants.O_WRONLY |
            fs.constants.O_NOFOLLOW,
          0o600,
        ),
      );
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = fs.lstatSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > staleMs) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${path.basename(file)} stayed locked by another run for ${
            timeoutMs / 1000
          } s (${lock}); if no task is editing it, remove the lock file`,
        );
      }
      await sleep(20 + Math.random() * 80);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
