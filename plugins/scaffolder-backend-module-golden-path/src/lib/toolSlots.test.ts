import fs from 'node:fs';
import path from 'node:path';
import { createAtlasMigrateHashAction } from '../actions/atlasMigrateHash';
import {
  actionContext,
  makeSandbox,
  testSettings,
} from '../__testUtils__/context';
import { ToolSlots } from './toolSlots';

const cancelled = () => new Error('cancelled while waiting');

describe('ToolSlots', () => {
  it('gives at most `limit` slots and passes a released one to the first waiter', async () => {
    const slots = new ToolSlots(2);
    const a = slots.tryAcquire()!;
    const b = slots.tryAcquire()!;
    expect(slots.tryAcquire()).toBeUndefined();
    const order: string[] = [];
    const c = slots.acquire(undefined, cancelled).then(r => {
      order.push('c');
      return r;
    });
    const d = slots.acquire(undefined, cancelled).then(r => {
      order.push('d');
      return r;
    });
    expect(slots.waiting).toBe(2);
    a();
    a(); // a second release of the same slot changes nothing
    const releaseC = await c;
    expect(order).toEqual(['c']);
    expect(slots.inUse).toBe(2);
    b();
    (await d)();
    releaseC();
    expect(order).toEqual(['c', 'd']);
    expect(slots.inUse).toBe(0);
    expect(slots.waiting).toBe(0);
  });

  it('drops a waiter whose task is cancelled, and serves the next one', async () => {
    const slots = new ToolSlots(1);
    const hold = slots.tryAcquire()!;
    const abort = new AbortController();
    const first = slots.acquire(abort.signal, cancelled);
    const second = slots.acquire(undefined, cancelled);
    abort.abort();
    await expect(first).rejects.toThrow('cancelled while waiting');
    hold();
    (await second)();
    expect(slots.inUse).toBe(0);
  });
});

describe('tool runs over the concurrency limit', () => {
  it('wait for a slot, say so in their task log, and all complete', async () => {
    const settings = testSettings({ toolConcurrency: 1 });
    const boxes = Array.from({ length: 4 }, () =>
      makeSandbox({
        'migrations/20240101000000_a.sql': 'CREATE TABLE a (id int);\n',
      }),
    );
    try {
      const runs = boxes.map(b =>
        actionContext(b.workspace, { dir: 'migrations' }),
      );
      await Promise.all(
        runs.map(({ ctx }) =>
          createAtlasMigrateHashAction({ settings }).handler(ctx),
        ),
      );
      for (const b of boxes)
        expect(
          fs.existsSync(path.join(b.workspace, 'migrations/atlas.sum')),
        ).toBe(true);
      const logs = runs.map(({ ctx }) =>
        (ctx.logger.info as jest.Mock).mock.calls.map(c => c[0]).join('\n'),
      );
      const waited = logs.filter(l =>
        /waiting for a free tool slot: 1 tool runs in progress on this backend, \d+ steps waiting before this one \(goldenPath.tools.concurrency: 1\)/.test(
          l,
        ),
      );
      expect(waited.length).toBe(3);
      for (const l of waited)
        expect(l).toMatch(/got a tool slot after \d+\.\d s/);
    } finally {
      for (const b of boxes) b.cleanup();
    }
  });

  it('a step cancelled while it waits fails with one line and starts nothing', async () => {
    const settings = testSettings({ toolConcurrency: 1 });
    const busy = makeSandbox({
      'migrations/20240101000000_a.sql': 'CREATE TABLE a (id int);\n',
    });
    const waiting = makeSandbox({
      'migrations/20240101000000_a.sql': 'CREATE TABLE a (id int);\n',
    });
    try {
      const abort = new AbortController();
      const first = createAtlasMigrateHashAction({ settings }).handler(
        actionContext(busy.workspace, { dir: 'migrations' }).ctx,
      );
      const second = createAtlasMigrateHashAction({ settings }).handler(
        actionContext(waiting.workspace, { dir: 'migrations' }, abort.signal)
          .ctx,
      );
      abort.abort();
      await expect(second).rejects.toThrow(
        'atlas was not started: the task was cancelled while it waited for a tool slot',
      );
      await first;
      expect(
        fs.existsSync(path.join(waiting.workspace, 'migrations/atlas.sum')),
      ).toBe(false);
    } finally {
      busy.cleanup();
      waiting.cleanup();
    }
  });
});
