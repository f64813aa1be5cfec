import {
  MAX_MESSAGE_CHARS,
  MAX_STATUS_EVENTS,
  readTaskEventLog,
} from './taskEventLog';

/** A body streaming `text` in chunks of `size` bytes. */
function body(text: string | Buffer, size = 7): ReadableStream<Uint8Array> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else {
        controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
        at += size;
      }
    },
  });
}

const read = (text: string | Buffer, size?: number, maxBytes?: number) =>
  readTaskEventLog(body(text, size), { what: 'task t1', maxBytes });

describe('the event log of a scaffolder task, read as it streams', () => {
  const LOG = JSON.stringify([
    {
      id: 1,
      type: 'log',
      body: { message: 'Beginning step A', stepId: 'a', status: 'processing' },
    },
    {
      id: 2,
      type: 'log',
      body: { message: 'a line: "quoted" \\ é 🙂', stepId: 'a' },
    },
    {
      id: 3,
      type: 'log',
      body: { stepId: 'a', status: 'completed', message: 'done' },
    },
    {
      id: 4,
      type: 'log',
      body: { nested: { stepId: 'x', status: 'failed' }, message: 'm' },
    },
    {
      id: 5,
      type: 'log',
      body: { message: 'Error: b broke\nat x', stepId: 'b', status: 'failed' },
    },
    {
      id: 6,
      type: 'completion',
      body: { message: 'Run failed with Error: b broke' },
    },
  ]);

  it.each([1, 2, 3, 7, 64, 100_000])(
    'keeps the step status events, whatever the chunks (%d bytes)',
    async size => {
      expect(await read(LOG, size)).toEqual({
        truncated: false,
        events: [
          {
            type: 'log',
            body: {
              message: 'Beginning step A',
              stepId: 'a',
              status: 'processing',
            },
          },
          {
            type: 'log',
            body: { message: 'done', stepId: 'a', status: 'completed' },
          },
          {
            type: 'log',
            body: {
              message: 'Error: b broke\nat x',
              stepId: 'b',
              status: 'failed',
            },
          },
        ],
      });
    },
  );

  it('cuts a long message, never inside an escape, and skips the rest', async () => {
    const message = `Error: boom\n${'\\"é\n'.repeat(100_000)}`;
    const { events } = await read(
      JSON.stringify([
        { type: 'log', body: { message, stepId: 's', status: 'failed' } },
      ]),
      4096,
    );
    expect(events).toHaveLength(1);
    const kept = events[0].body.message!;
    expect(kept.startsWith('Error: boom\n\\"é\n')).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(message.startsWith(kept)).toBe(true);
  });

  it('keeps the last statuses of each step, at most MAX_STATUS_EVENTS', async () => {
    const events = Array.from({ length: 5000 }, (_, i) => ({
      type: 'log',
      body: { stepId: `s${i}`, status: 'completed', message: 'x' },
    }));
    events.push({
      type: 'log',
      body: { stepId: 's0', status: 'completed', message: 'again' },
    });
    const log = await read(JSON.stringify(events), 65536);
    expect(log.events).toHaveLength(MAX_STATUS_EVENTS);
    expect(log.events[log.events.length - 1].body).toEqual({
      stepId: 's0',
      status: 'completed',
      message: 'again',
    });
  });

  it('stops reading at maxBytes and says so', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(
          new Uint8Array(
            Buffer.from(
              pulled === 1024 ? `[${' '.repeat(1023)}` : ' '.repeat(1024),
            ),
          ),
        );
      },
    });
    const log = await readTaskEventLog(endless, {
      what: 'task t1',
      maxBytes: 64 * 1024,
    });
    expect(log).toEqual({ events: [], truncated: 'limit' });
    expect(pulled).toBeLessThanOrEqual(64 * 1024 + 2 * 1024);
  });

  it('counts deep nesting without keeping it', async () => {
    const deep = `[{"type":"log","body":{"stepId":"a","status":"failed","x":${'['.repeat(
      200_000,
    )}${']'.repeat(200_000)}}}]`;
    expect((await read(deep, 65536)).events).toEqual([
      { type: 'log', body: { stepId: 'a', status: 'failed' } },
    ]);
  });

  it('refuses an answer that is no array, in one line', async () => {
    await expect(read('{"error":{"message":"no"}}')).rejects.toThrow(
      "the scaffolder's events of task t1 are not a JSON array",
    );
  });

  const failed = (stepId: string, extra: object = {}) =>
    JSON.stringify({
      type: 'log',
      body: { stepId, status: 'failed', ...extra },
    });
  const A = { type: 'log', body: { stepId: 'a', status: 'failed' } };

  it.each([
    ['another array', ` [${failed('z')}]`],
    ['an object', failed('z')],
    ['an element', `,${failed('z')}]`],
    ['a closer', `]]}${failed('z')}`],
  ])(
    'bad input: ignores %s after the array and stops reading there',
    async (_, after) => {
      let pulled = 0;
      const rest = Buffer.from(after);
      const log = await readTaskEventLog(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled++;
            // the array, then what follows it again and again
            controller.enqueue(
              new Uint8Array(
                pulled === 1 ? Buffer.from(`[${failed('a')}]`) : rest,
              ),
            );
          },
        }),
        { what: 'task t1', maxBytes: 1024 * 1024 },
      );
      expect(log).toEqual({ events: [A], truncated: false });
      expect(pulled).toBeLessThanOrEqual(3);
    },
  );

  it('a log that ends right after its array is read in full, even past maxBytes', async () => {
    const log = `[${failed('a')}]`;
    expect(await read(`${log}    `, 7, log.length)).toEqual({
      events: [A],
      truncated: false,
    });
  });

  it.each([
    ['', []],
    ['[', []],
    [`[${failed('a')}`, [A]],
    [`[${failed('a')},`, [A]],
    [`[${failed('a')},{"type":"log","body":{"stepId":"b","status":"fai`, [A]],
    [
      `[${failed('a')},{"type":"log","body":{"stepId":"b","status":"failed"}`,
      [A],
    ],
  ])(
    'bad input: a log that ends before its array does (%j) is no complete log',
    async (text, events) => {
      expect(await read(text)).toEqual({ events, truncated: 'ended' });
    },
  );

  it('an answer without a body is no complete log', async () => {
    expect(await readTaskEventLog(null, { what: 'task t1' })).toEqual({
      events: [],
      truncated: 'ended',
    });
  });

  it.each([
    ['escapes', `"${'\\u00e9\\n'.repeat(MAX_MESSAGE_CHARS)}"`, 'é\n'],
    ['characters', JSON.stringify('é\n'.repeat(MAX_MESSAGE_CHARS)), 'é\n'],
  ])(
    'cuts a message at MAX_MESSAGE_CHARS decoded characters (%s)',
    async (_, raw, unit) => {
      const { events } = await read(
        `[{"type":"log","body":{"stepId":"s","status":"failed","message":${raw}}}]`,
        4096,
      );
      expect(events[0].body.message).toBe(
        unit.repeat(MAX_MESSAGE_CHARS / unit.length),
      );
    },
  );

  it.each([
    [
      'characters',
      JSON.stringify(`${'x'.repeat(MAX_MESSAGE_CHARS - 1)}${'🙂'.repeat(9)}`),
    ],
    [
      'escapes',
      `"${'x'.repeat(MAX_MESSAGE_CHARS - 1)}${'\\ud83d\\ude42'.repeat(9)}"`,
    ],
  ])(
    'bad input: never cuts a message inside a surrogate pair (%s)',
    async (_, raw) => {
      const { events } = await read(
        `[{"type":"log","body":{"stepId":"s","status":"failed","message":${raw}}}]`,
        3,
      );
      expect(events[0].body.message).toBe('x'.repeat(MAX_MESSAGE_CHARS - 1));
    },
  );

  it('bad input: a lone surrogate in a field becomes U+FFFD', async () => {
    const { events } = await read(
      '[{"type":"log","body":{"stepId":"s\\ud800","status":"failed","message":"\\udc00x\\ud83d"}}]',
    );
    expect(events[0].body).toEqual({
      stepId: 's\ufffd',
      status: 'failed',
      message: '\ufffdx\ufffd',
    });
  });

  it('bad input: step ids and statuses holding \\0 do not collide', async () => {
    const one = { type: 'log', body: { stepId: 'a\0b', status: 'c' } };
    const two = { type: 'log', body: { stepId: 'a', status: 'b\0c' } };
    expect((await read(JSON.stringify([one, two]))).events).toEqual([one, two]);
  });

  it.each([
    [
      'keys written with escapes',
      '[{"\\u0074\\u0079\\u0070\\u0065":"log","\\u0062\\u006f\\u0064\\u0079":{"\\u0073\\u0074\\u0065\\u0070\\u0049\\u0064":"a","\\u0073\\u0074\\u0061\\u0074\\u0075\\u0073":"failed"}}]',
      [A],
    ],
    [
      'a repeated body (the last one counts)',
      `[{"type":"log","body":{"stepId":"a","status":"failed"},"body":{"message":"m"}}]`,
      [],
    ],
    [
      'a repeated field (the last one counts)',
      `[{"type":"log","body":{"stepId":"z","status":"failed","stepId":"a"}},{"type":"log","body":{"stepId":"b","status":"failed","stepId":7}}]`,
      [A],
    ],
    [
      'prototype keys',
      `[{"type":"log","__proto__":{"type":"x"},"body":{"__proto__":{"stepId":"p"},"constructor":"c","stepId":"a","status":"failed"}}]`,
      [A],
    ],
    [
      'elements that are no objects, and fields that are no strings',
      `["a",1,null,[${failed('z')}],{"type":"log","body":[${failed(
        'y',
      )}]},{"type":1,"body":{"stepId":{"a":1},"status":"failed"}},${failed(
        'a',
      )}]`,
      [A],
    ],
    [
      'huge numbers',
      `[${'9'.repeat(100_000)},{"type":"log","body":{"n":-${'1'.repeat(
        100_000,
      )}e99999,"stepId":"a","status":"failed"}}]`,
      [A],
    ],
  ])('bad input: %s read as JSON.parse reads them', async (_, text, events) => {
    expect((await read(text, 4096)).events).toEqual(events);
    expect(({} as any).stepId).toBeUndefined();
  });
});
