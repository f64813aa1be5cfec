/** What a running load can ask about itself. */
export interface LoadState {
  /** A refresh of the same key began after this load: its result must not be cached. */
  readonly superseded: boolean;
}

interface Entry<T> {
  state: { superseded: boolean };
  result: Promise<T>;
}

/**
 * Loads under way in this process, by key, shared by the callers that ask
 * for the same key meanwhile: users opening the same service at once share
 * one read and analysis. A refresh shares only another refresh (which is as
 * fresh); a plain load joins a refresh under way. A refresh supersedes the
 * plain load begun before it: later callers no longer join that load, and
 * the load sees `superseded` so that it does not cache its older result.
 */
export class SharedLoads<T> {
  private readonly loading = new Map<string, Entry<T>>();
  private readonly refreshing = new Map<string, Entry<T>>();

  /** The result of the load under way for `key` that this call may share, or of `start` begun now. */
  run(
    key: string,
    refresh: boolean,
    start: (state: LoadState) => Promise<T>,
  ): Promise<T> {
    const shared =
      this.refreshing.get(key) ?? (refresh ? undefined : this.loading.get(key));
    if (shared) return shared.result;
    if (refresh) {
      const older = this.loading.get(key);
      if (older) older.state.superseded = true;
      this.loading.delete(key);
    }
    const under = refresh ? this.refreshing : this.loading;
    const state = { superseded: false };
    // a start that throws at once rejects like one that fails later
    const result = new Promise<T>(resolve => resolve(start(state))).finally(
      () => {
        if (under.get(key)?.state === state) under.delete(key);
      },
    );
    under.set(key, { state, result });
    return result;
  }

  /** Whether a refresh of `key` is under way (a refresh asked for now would share it). */
  isRefreshing(key: string): boolean {
    return this.refreshing.has(key);
  }

  /** Loads under way (plain and refreshes). */
  get size(): number {
    return this.loading.size + this.refreshing.size;
  }
}
