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
    expect(log).toEqual({ events: [], truncated: true });
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
});
