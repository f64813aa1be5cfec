import type { OnboardingTaskEvent } from '@golden-path/plugin-golden-path-common';

/** Most bytes of one task's event log read (the log of a long run is a few MiB at most). */
export const MAX_EVENT_LOG_BYTES = 8 * 1024 * 1024;
/** Most step status events kept per task (a template has tens of steps, each a few statuses). */
export const MAX_STATUS_EVENTS = 200;
/** Characters of an event's message kept: the failure line is its first line. */
export const MAX_MESSAGE_CHARS = 2000;
/** Characters of a step id or status kept (longer ones are no step of the template). */
const MAX_FIELD_CHARS = 200;
/** Characters of an object key looked at (the fields read have short names). */
const MAX_KEY_CHARS = 16;

/** What was kept of a task's event log. */
export interface TaskEventLog {
  /**
   * The step status events (`body.stepId` and `body.status`), the last
   * occurrence of each step and status, in log order, at most
   * {@link MAX_STATUS_EVENTS} (the latest), each message cut to
   * {@link MAX_MESSAGE_CHARS} characters.
   */
  events: OnboardingTaskEvent[];
  /** The log was longer than `maxBytes`: reading stopped there. */
  truncated: boolean;
}

interface Frame {
  kind: 'object' | 'array';
  /** The key whose value comes next (objects). */
  key?: string;
  /** A key comes next, not a value (objects). */
  expectKey: boolean;
}

type Wanted = 'type' | 'message' | 'stepId' | 'status';

/**
 * A streaming reader of just enough JSON to find the events: it tracks
 * strings and nesting, looks at the first three levels (the array, an
 * event, its body) and captures the few string fields read, each cut to a
 * bounded length. Deeper levels are only counted.
 */
class EventLogParser {
  private depth = 0;
  private readonly frames: Frame[] = [];
  private started = false;
  private inString = false;
  /** Characters of an escape still to come (1 after `\`, then 4 after `\u`). */
  private escape = 0;
  private capture: {
    into: 'key' | Wanted;
    raw: string;
    max: number;
    /** The limit was reached: the rest of the string is skipped. */
    full: boolean;
  } | null = null;
  private event: { type?: string; body: OnboardingTaskEvent['body'] } = {
    body: {},
  };

  constructor(
    private readonly what: string,
    private readonly onEvent: (event: OnboardingTaskEvent) => void,
  ) {}

  write(text: string) {
    const special = /["\\]/g;
    for (let i = 0; i < text.length; i++) {
      if (
        this.inString &&
        this.escape === 0 &&
        (!this.capture || this.capture.full)
      ) {
        // a string not read (most of a log): skip to its next quote or escape
        special.lastIndex = i;
        const next = special.exec(text);
        if (!next) return;
        i = next.index;
      }
      const c = text[i];
      if (this.inString) {
        this.stringChar(c);
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (!this.started) {
        if (c !== '[')
          throw new Error(
            `the scaffolder's events of ${this.what} are not a JSON array`,
          );
        this.started = true;
      }
      switch (c) {
        case '[':
        case '{':
          this.open(c === '{' ? 'object' : 'array');
          break;
        case ']':
        case '}':
          this.close();
          break;
        case '"':
          this.startString();
          break;
        case ':': {
          const top = this.top();
          if (top) top.expectKey = false;
          break;
        }
        case ',': {
          const top = this.top();
          if (top?.kind === 'object') {
            top.expectKey = true;
            top.key = undefined;
          }
          break;
        }
        default:
        // a number, true, false or null: no field read is one
      }
    }
  }

  /** The frame of the current level, when it is one looked at. */
  private top(): Frame | undefined {
    return this.depth <= 3 ? this.frames[this.depth - 1] : undefined;
  }

  private open(kind: Frame['kind']) {
    this.depth++;
    if (this.depth > 3) return;
    this.frames[this.depth - 1] = { kind, expectKey: kind === 'object' };
    if (this.depth === 2) this.event = { body: {} };
  }

  private close() {
    if (this.depth === 2 && this.frames[1].kind === 'object') {
      const { type, body } = this.event;
      this.onEvent({ type: type ?? '', body });
    }
    this.depth = Math.max(0, this.depth - 1);
    const top = this.top();
    // the value of the key is done
    if (top?.kind === 'object') top.key = undefined;
  }

  /** Which field a string at this place is, if it is one read. */
  private wanted(): Wanted | undefined {
    const top = this.top();
    if (!top || top.kind !== 'object' || top.expectKey) return undefined;
    if (this.depth === 2 && top.key === 'type') return 'type';
    if (
      this.depth === 3 &&
      this.frames[1].kind === 'object' &&
      this.frames[1].key === 'body' &&
      (top.key === 'message' || top.key === 'stepId' || top.key === 'status')
    )
      return top.key;
    return undefined;
  }

  private startString() {
    this.inString = true;
    this.escape = 0;
    const top = this.top();
    if (top?.kind === 'object' && top.expectKey) {
      this.capture = { into: 'key', raw: '', max: MAX_KEY_CHARS, full: false };
      return;
    }
    const field = this.wanted();
    this.capture = field
      ? {
          into: field,
          raw: '',
          max: field === 'message' ? MAX_MESSAGE_CHARS : MAX_FIELD_CHARS,
          full: false,
        }
      : null;
  }

  private stringChar(c: string) {
    if (this.escape > 0) {
      this.escape = c === 'u' && this.escape === 1 ? 4 : this.escape - 1;
      this.append(c);
      return;
    }
    if (c === '\\') {
      this.escape = 1;
      this.append(c);
      return;
    }
    if (c === '"') {
      this.inString = false;
      this.endString();
      return;
    }
    this.append(c);
  }

  /** Adds to the captured string until its limit, cut only between characters (never inside an escape). */
  private append(c: string) {
    const cap = this.capture;
    if (!cap || cap.full) return;
    cap.raw += c;
    if (cap.raw.length >= cap.max && this.escape === 0) cap.full = true;
  }

  private endString() {
    const cap = this.capture;
    this.capture = null;
    if (!cap) return;
    let value: string;
    try {
      value = JSON.parse(`"${cap.raw}"`);
    } catch {
      value = '';
    }
    const top = this.top();
    if (cap.into === 'key') {
      // a longer key is none of the fields read
      if (top) top.key = cap.full ? undefined : value;
      return;
    }
    if (cap.into === 'type') this.event.type = value;
    else this.event.body[cap.into] = value;
  }
}

/**
 * Reads the scaffolder's event log of a task (`GET /v2/tasks/:id/events`, a
 * JSON array of `{ type, body: { message, stepId, status } }`) as it
 * streams, keeping only the step status events: memory is bounded by
 * {@link MAX_STATUS_EVENTS} events of bounded size whatever the log holds
 * (one message of hundreds of MiB, millions of lines, an endless answer),
 * and at most `maxBytes` are read before the body is cancelled.
 */
export async function readTaskEventLog(
  body: ReadableStream<Uint8Array> | null,
  options: { maxBytes?: number; what: string },
): Promise<TaskEventLog> {
  const maxBytes = options.maxBytes ?? MAX_EVENT_LOG_BYTES;
  const kept = new Map<string, OnboardingTaskEvent>();
  const parser = new EventLogParser(options.what, event => {
    const { stepId, status } = event.body;
    if (!stepId || !status) return;
    const key = `${stepId}\0${status}`;
    kept.delete(key);
    kept.set(key, event);
    if (kept.size > MAX_STATUS_EVENTS)
      kept.delete(kept.keys().next().value as string);
  });
  let truncated = false;
  if (body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let read = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        read += value.byteLength;
        if (read > maxBytes) {
          truncated = true;
          // what fits the limit is still read
          const fits = value.byteLength - (read - maxBytes);
          parser.write(
            decoder.decode(value.subarray(0, fits), { stream: true }),
          );
          break;
        }
        parser.write(decoder.decode(value, { stream: true }));
      }
    } finally {
      // stops an unfinished body (a no-op once it ended)
      await reader.cancel().catch(() => undefined);
    }
  }
  return { events: [...kept.values()], truncated };
}
