import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withFileLock } from './fileLock';

describe('withFileLock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-lock-'));
    file = path.join(dir, 'go.work');
    fs.writeFileSync(file, '');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A read-modify-write that yields between the read and the write, as a slow disk would. */
  const append = async (line: string) => {
    const text = fs.readFileSync(file, 'utf8');
    await sleep(5);
    fs.writeFileSync(file, `${text}${line}\n`);
  };

  it('serializes read-modify-writes that would otherwise lose updates', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `use ./services/s${i}`);
    await Promise.all(lines.map(l => append(l)));
    expect(
      fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length,
    ).toBeLessThan(12);

    fs.writeFileSync(file, '');
    await Promise.all(lines.map(l => withFileLock(file, () => append(l))));
    expect(
      fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).sort(),
    ).toEqual([...lines].sort());
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('releases the lock when the edit fails', async () => {
    await expect(
      withFileLock(file, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock a killed run left', async () => {
    fs.writeFileSync(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.lock`, old, old);
    await expect(withFileLock(file, () => 'done')).resolves.toBe('done');
  });
});

describe('bad input: a lock that stays held', () => {
  it('fails after the timeout, naming the lock file and what to do', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-lock-'));
    const file = path.join(dir, 'go.work');
    fs.writeFileSync(`${file}.lock`, '');
    try {
      await expect(
        withFileLock(file, () => 'never', { timeoutMs: 300 }),
      ).rejects.toThrow(
        `go.work stayed locked by another run for 0.3 s (${file}.lock); if no task is editing it, remove the lock file`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never writes through a symlink planted at the lock path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-lock-'));
    const file = path.join(dir, 'go.work');
    const target = path.join(dir, 'elsewhere');
    fs.symlinkSync(target, `${file}.lock`);
    try {
      await expect(
        withFileLock(file, () => 'never', { timeoutMs: 200 }),
      ).rejects.toThrow(/stayed locked/);
      expect(fs.existsSync(target)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
