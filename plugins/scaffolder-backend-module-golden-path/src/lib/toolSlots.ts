import os from 'node:os';
import { GoldenPathSettings } from './settings';

type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
  abandon: () => void;
}

/**
 * A bound on the tool runs in flight in this backend process: a burst of
 * tasks queues for a slot instead of starting every CLI at once on a few
 * cores. Waiters are served first come, first served.
 */
export class ToolSlots {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly limit: number) {}

  /** Tool runs holding a slot. */
  get inUse(): number {
    return this.running;
  }

  /** Steps waiting for one. */
  get waiting(): number {
    return this.queue.length;
  }

  /** A slot now, or undefined when all are taken. */
  tryAcquire(): Release | undefined {
    if (this.running >= this.limit || this.queue.length) return undefined;
    this.running++;
    return this.releaser();
  }

  /** A slot once one is free; rejects with `reason()` when `signal` aborts first. */
  acquire(
    signal: AbortSignal | undefined,
    reason: () => Error,
  ): Promise<Release> {
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(reason());
        return;
      }
      const waiter: Waiter = {
        grant: release => {
          signal?.removeEventListener('abort', waiter.abandon);
          resolve(release);
        },
        abandon: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(reason());
        },
      };
      signal?.addEventListener('abort', waiter.abandon, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes straight to the next waiter.
      if (next) next.grant(this.releaser());
      else this.running--;
    };
  }
}

const slotsByLimit = new Map<number, ToolSlots>();

/** The slots of this backend process for the configured limit. */
export function toolSlots(settings: GoldenPathSettings): ToolSlots {
  const limit = settings.toolConcurrency;
  let slots = slotsByLimit.get(limit);
  if (!slots) {
    slots = new ToolSlots(limit);
    slotsByLimit.set(limit, slots);
  }
  return slots;
}

/** The default limit: one tool run per core, at least two. */
export const defaultToolConcurrency = () =>
  Math.max(2, os.availableParallelism());
