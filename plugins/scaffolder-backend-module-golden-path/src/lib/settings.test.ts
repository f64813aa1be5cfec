import { ConfigReader } from '@backstage/config';
import { readSettings } from './settings';

const read = (goldenPath: object) =>
  readSettings(new ConfigReader({ goldenPath }));

describe('readSettings', () => {
  it('reads per-action timeouts in every form Backstage durations take', () => {
    const { timeouts } = read({
      tools: {
        timeouts: {
          'buf:generate': '90s',
          'sqlc:generate': { minutes: 2 },
          'atlas:migrate:diff': 'PT5M',
        },
      },
    });
    expect(timeouts).toEqual({
      'buf:generate': 90_000,
      'sqlc:generate': 120_000,
      'atlas:migrate:diff': 300_000,
    });
  });

  it.each([
    [{ tools: { timeouts: { 'buf:lint': 'soon' } } }, /buf:lint/],
    [
      { tools: { concurrency: 0 } },
      /goldenPath.tools.concurrency: 0 is not a whole number of at least 1/,
    ],
    [
      { sandbox: { mode: 'maybe' } },
      /goldenPath.sandbox.mode: "maybe" is not one of required, off/,
    ],
    [
      { sandbox: { limits: { cpuSeconds: -1 } } },
      /goldenPath.sandbox.limits.cpuSeconds: -1 is not a positive whole number/,
    ],
  ])(
    'refuses bad config at start-up with the key named: %j',
    (goldenPath, message) => {
      expect(() => read(goldenPath)).toThrow(message);
    },
  );

  it('defaults: sandbox required, concurrency at least 2', () => {
    const s = read({});
    expect(s.sandbox.mode).toBe('required');
    expect(s.toolConcurrency).toBeGreaterThanOrEqual(2);
  });
});
