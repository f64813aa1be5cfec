import { ServiceUnavailableError } from '@backstage/errors';

interface Stopped {
  message: string;
  at: number;
}

/**
 * Analyses stopped at a limit of the analysis worker (heap, time), kept per
 * service for as long as a finished analysis is cached: a service whose
 * source takes the whole time limit would otherwise hold the one worker
 * again on every visit, and every other service would wait behind it. A
 * refresh tries again at once. Bounded: beyond `maxEntries` the oldest go.
 */
export class StoppedAnalyses {
  private readonly entries = new Map<string, Stopped>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The stop remembered for `key`, as the error to answer, or undefined. */
  get(key: string): ServiceUnavailableError | undefined {
    const stopped = this.entries.get(key);
    if (!stopped) return undefined;
    if (this.now() - stopped.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return new ServiceUnavailableError(
      `${stopped.message} (at ${new Date(
        stopped.at,
      ).toISOString()}; analysed again ${Math.ceil(
        this.ttlMs / 1000,
      )} s after that, or now on a refresh)`,
    );
  }

  /** Remembers a stop (nothing when the cache TTL is zero). */
  set(key: string, error: ServiceUnavailableError): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { message: error.message, at: this.now() });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
