import { ServiceUnavailableError } from '@backstage/errors';
import { StoppedAnalyses } from './stoppedAnalyses';

describe('StoppedAnalyses', () => {
  const stop = new ServiceUnavailableError(
    'the analysis of services/big-service took longer than 2 m and was stopped',
  );

  it('answers a remembered stop until the TTL, in one line with when it happened', () => {
    let now = Date.UTC(2026, 11, 5, 12, 0, 0);
    const stopped = new StoppedAnalyses(60_000, 10, () => now);
    stopped.set('a', stop);
    now += 59_999;
    const again = stopped.get('a');
    expect(again).toBeInstanceOf(ServiceUnavailableError);
    expect(again?.message).toBe(
      'the analysis of services/big-service took longer than 2 m and was stopped (at 2026-12-05T12:00:00.000Z; analysed again 60 s after that, or now on a refresh)',
    );
    expect(stopped.get('b')).toBeUndefined();
    now += 1;
    expect(stopped.get('a')).toBeUndefined();
  });

  it('forgets on delete, keeps nothing with a TTL of zero, and drops the oldest beyond its limit', () => {
    const stopped = new StoppedAnalyses(60_000, 2);
    stopped.set('a', stop);
    stopped.delete('a');
    expect(stopped.get('a')).toBeUndefined();
    for (const k of ['a', 'b', 'c']) stopped.set(k, stop);
    expect(stopped.get('a')).toBeUndefined();
    expect(stopped.get('b')).toBeDefined();
    expect(stopped.get('c')).toBeDefined();
    const off = new StoppedAnalyses(0);
    off.set('a', stop);
    expect(off.get('a')).toBeUndefined();
  });
});
