import { MAX_LINE_CHARS, TaskLog } from './TaskLog';

function taskLog(limits = { maxLines: 500, maxBytes: 128 * 1024 }) {
  const info = jest.fn();
  const warn = jest.fn();
  const log = new TaskLog('tool', { info, warn }, limits);
  return { log, info, warn };
}

/** `text` written to one stream in chunks of the given sizes (bytes). */
function writeInChunks(
  write: (b: Buffer) => void,
  text: string,
  sizes: number[],
) {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    write(bytes.subarray(at, at + n));
    at += n;
  }
}

describe('TaskLog', () => {
  it('logs whole lines however the output is chunked, multi-byte characters included', () => {
    const text = 'first line\nzweite Zeile – ünïcödé 日本語\n\nlast line\n';
    const expected = taskLog();
    expected.log.stream('info')(Buffer.from(text));
    expected.log.end();
    expect(expected.info.mock.calls).toEqual([
      ['tool: first line'],
      ['tool: zweite Zeile – ünïcödé 日本語'],
      ['tool: last line'],
    ]);
    for (const sizes of [[1], [2, 3], [7], [5, 1, 13]]) {
      const { log, info } = taskLog();
      writeInChunks(log.stream('info'), text, sizes);
      log.end();
      expect(info.mock.calls).toEqual(expected.info.mock.calls);
    }
  });

  it('logs the last line without a newline when the tool ends, on its own level', () => {
    const { log, info, warn } = taskLog();
    log.stream('info')(Buffer.from('out\npartial'));
    log.stream('warn')(Buffer.from('error without newline'));
    expect(info).toHaveBeenCalledTimes(1);
    log.end();
    expect(info).toHaveBeenLastCalledWith('tool: partial');
    expect(warn).toHaveBeenCalledWith('tool: error without newline');
  });

  it('stops at the byte limit and logs nothing after, not even a line that would fit', () => {
    const { log, info, warn } = taskLog({ maxLines: 500, maxBytes: 64 * 1024 });
    const write = log.stream('info');
    // 8 lines of 8,000 bytes fit in 64 KiB, the 9th does not; the short one
    // after it would fit in what is left, but the log has stopped.
    const text = `${`${'x'.repeat(8000)}\n`.repeat(40)}short\n`;
    writeInChunks(write, text, [65536, 4096, 100]);
    log.end();
    expect(info).toHaveBeenCalledTimes(8);
    expect(warn.mock.calls.map(c => c[0])).toEqual([
      expect.stringMatching(
        /^tool: the task log stops here \(8 lines, 64000 bytes logged, the limit per step\)/,
      ),
      'tool: 33 more lines of output were not logged',
    ]);
  });

  it('stops at the line limit across its streams', () => {
    const { log, info, warn } = taskLog({ maxLines: 3, maxBytes: 1 << 20 });
    log.stream('info')(Buffer.from('a\nb\n'));
    log.stream('warn')(Buffer.from('c\nd\n'));
    log.end();
    expect(info).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls.map(c => c[0])).toEqual([
      'tool: c',
      expect.stringMatching(
        /^tool: the task log stops here \(3 lines, 3 bytes/,
      ),
      'tool: 1 more lines of output were not logged',
    ]);
  });

  it('logs the head of an over-long line once, saying the rest is not logged', () => {
    const { log, info } = taskLog({ maxLines: 500, maxBytes: 1 << 20 });
    const write = log.stream('info');
    writeInChunks(write, `${'y'.repeat(3 * MAX_LINE_CHARS)}\nnext\n`, [65536]);
    log.end();
    expect(info).toHaveBeenCalledTimes(2);
    const first: string = info.mock.calls[0][0];
    expect(first.startsWith(`tool: ${'y'.repeat(MAX_LINE_CHARS)}…`)).toBe(true);
    expect(first).toMatch(
      /the rest of this line, over 65536 characters, is not logged\)$/,
    );
    expect(info).toHaveBeenLastCalledWith('tool: next');
  });

  it('logs nothing written after it ended', () => {
    const { log, info } = taskLog();
    const write = log.stream('info');
    log.end();
    write(Buffer.from('late\n'));
    expect(info).not.toHaveBeenCalled();
  });
});
