import { StringDecoder } from 'node:string_decoder';
import type { ToolLogger } from './runTool';

/** Characters kept of one line; the rest of a longer line is not logged. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * What one tool run writes to the task log, line by line. It is bounded
 * (every line is a log event, a database row in a real task): once a line
 * would pass the limits the log stops, and the lines left out are counted.
 */
export class TaskLog {
  private lines = 0;
  private bytes = 0;
  private dropped = 0;
  private ended = false;
  private readonly flushes: Array<() => void> = [];

  constructor(
    private readonly tool: string,
    private readonly logger: ToolLogger,
    private readonly limits: { maxLines: number; maxBytes: number },
  ) {}

  /**
   * A writer of one output stream. It logs whole lines only, so a line that
   * arrives in several chunks is one event; a multi-byte character split
   * between chunks is decoded whole.
   */
  stream(level: 'info' | 'warn'): (chunk: Buffer) => void {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let cut = false;
    const add = (text: string) => {
      if (cut) return;
      pending += text;
      if (pending.length > MAX_LINE_CHARS) {
        pending = pending.slice(0, MAX_LINE_CHARS);
        cut = true;
      }
    };
    const endLine = () => {
      const line = cut
        ? `${pending}… (the rest of this line, over ${MAX_LINE_CHARS} characters, is not logged)`
        : pending;
      pending = '';
      cut = false;
      this.line(line, level);
    };
    this.flushes.push(() => {
      add(decoder.end());
      if (pending) endLine();
    });
    return chunk => {
      const parts = decoder.write(chunk).split('\n');
      const rest = parts.pop() ?? '';
      for (const part of parts) {
        add(part);
        endLine();
      }
      add(rest);
    };
  }

  /** Logs what the streams hold without a final newline, and how many lines were left out. */
  end(): void {
    for (const flush of this.flushes.splice(0)) flush();
    this.ended = true;
    if (this.dropped > 0) {
      this.logger.warn(
        `${this.tool}: ${this.dropped} more lines of output were not logged`,
      );
    }
  }

  private line(line: string, level: 'info' | 'warn') {
    // Output of a tool abandoned after its step ended is not logged.
    if (!line || this.ended) return;
    const bytes = Buffer.byteLength(line);
    if (
      this.dropped > 0 ||
      this.lines >= this.limits.maxLines ||
      this.bytes + bytes > this.limits.maxBytes
    ) {
      if (this.dropped++ === 0) {
        this.logger.warn(
          `${this.tool}: the task log stops here (${this.lines} lines, ${this.bytes} bytes logged, the limit per step); ` +
            "the rest of the output is not logged: the step's outputs and its failure message carry the findings",
        );
      }
      return;
    }
    this.lines++;
    this.bytes += bytes;
    this.logger[level](`${this.tool}: ${line}`);
  }
}
