import { SharedLoads, type LoadState } from './sharedLoads';

/** A load that ends when the test says so. */
function controlled() {
  let finish!: (value: string) => void;
  let fail!: (e: Error) => void;
  const states: LoadState[] = [];
  const start = jest.fn((state: LoadState) => {
    states.push(state);
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  });
  return {
    start,
    states,
    finish: (v: string) => finish(v),
    fail: (e: Error) => fail(e),
  };
}

describe('SharedLoads', () => {
  it('shares one load between the callers of the same key, and starts again once it ended', async () => {
    const loads = new SharedLoads<string>();
    const a = controlled();
    const first = loads.run('k', false, a.start);
    const second = loads.run('k', false, a.start);
    expect(a.start).toHaveBeenCalledTimes(1);
    a.finish('v1');
    await expect(Promise.all([first, second])).resolves.toEqual(['v1', 'v1']);
    expect(loads.size).toBe(0);

    const b = controlled();
    const third = loads.run('k', false, b.start);
    b.finish('v2');
    await expect(third).resolves.toBe('v2');
  });

  it('keeps keys apart', async () => {
    const loads = new SharedLoads<string>();
    const a = controlled();
    const b = controlled();
    const pa = loads.run('a', false, a.start);
    const pb = loads.run('b', false, b.start);
    a.finish('A');
    b.finish('B');
    await expect(Promise.all([pa, pb])).resolves.toEqual(['A', 'B']);
  });

  it('a refresh supersedes the load begun before it, and later callers join the refresh', async () => {
    const loads = new SharedLoads<string>();
    const plain = controlled();
    const older = loads.run('k', false, plain.start);
    const fresh = controlled();
    const refreshed = loads.run('k', true, fresh.start);
    expect(plain.states[0].superseded).toBe(true);
    expect(fresh.states[0].superseded).toBe(false);

    const unused = controlled();
    const later = loads.run('k', false, unused.start);
    const secondRefresh = loads.run('k', true, unused.start);
    expect(unused.start).not.toHaveBeenCalled();

    // the older load ends last: it must not take the key back from the refresh
    fresh.finish('new');
    plain.finish('old');
    await expect(older).resolves.toBe('old');
    await expect(
      Promise.all([refreshed, later, secondRefresh]),
    ).resolves.toEqual(['new', 'new', 'new']);
    expect(loads.size).toBe(0);
  });

  it('a superseded load that ends late does not remove the load begun after the refresh', async () => {
    const loads = new SharedLoads<string>();
    const plain = controlled();
    const older = loads.run('k', false, plain.start);
    const fresh = controlled();
    const refreshed = loads.run('k', true, fresh.start);
    fresh.finish('new');
    await refreshed;
    // a plain load begun after the refresh ended, while the superseded one still runs
    const next = controlled();
    const current = loads.run('k', false, next.start);
    expect(next.start).toHaveBeenCalledTimes(1);
    plain.finish('old');
    await older;
    const unused = controlled();
    const joined = loads.run('k', false, unused.start);
    expect(unused.start).not.toHaveBeenCalled();
    next.finish('current');
    await expect(Promise.all([current, joined])).resolves.toEqual([
      'current',
      'current',
    ]);
  });

  it('shares a failure with the callers that joined, then starts again', async () => {
    const loads = new SharedLoads<string>();
    const a = controlled();
    const first = loads.run('k', false, a.start);
    const second = loads.run('k', false, a.start);
    a.fail(new Error('source unreadable'));
    await expect(first).rejects.toThrow('source unreadable');
    await expect(second).rejects.toThrow('source unreadable');

    const b = controlled();
    const third = loads.run('k', false, b.start);
    expect(b.start).toHaveBeenCalledTimes(1);
    b.finish('ok');
    await expect(third).resolves.toBe('ok');
  });

  it('a start that throws at once rejects and leaves nothing under way', async () => {
    const loads = new SharedLoads<string>();
    const thrown = loads.run('k', false, () => {
      throw new Error('bad start');
    });
    await expect(thrown).rejects.toThrow('bad start');
    expect(loads.size).toBe(0);
  });
});
