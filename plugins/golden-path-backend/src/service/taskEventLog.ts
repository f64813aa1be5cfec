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
  /**
   * Whether the events may miss part of the log: `'limit'` when it was longer
   * than `maxBytes` (reading stopped there), `'ended'` when the answer ended
   * before the array did.
   */
  truncated: false | 'limit' | 'ended';
}

interface Frame {
  kind: 'object' | 'array';
  /** The key whose value comes next (objects). */
  key?: string;
  /** A key comes next, not a value (objects). */
  expectKey: boolean;
}

type Wanted = 'type' | 'message' | 'stepId' | 'status';

/** Characters of each string captured. */
const MAX_CHARS: Record<'key' | Wanted, number> = {
  key: MAX_KEY_CHARS,
  type: MAX_FIELD_CHARS,
  message: MAX_MESSAGE_CHARS,
  stepId: MAX_FIELD_CHARS,
  status: MAX_FIELD_CHARS,
};

/** What the one-character escapes of JSON stand for. */
const ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

/** A surrogate without its other half, which no JSON encoder should pass on. */
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A streaming reader of just enough JSON to find the events: it tracks
 * strings and nesting, looks at the first three levels (the array, an
 * event, its body) and captures the few string fields read, decoded and
 * each cut to a bounded length. Deeper levels are only counted. It stops at
 * the end of the array (`ended`).
 */
class EventLogParser {
  private depth = 0;
  private readonly frames: Frame[] = [];
  private started = false;
  /** The array was closed: what follows is no part of the log. */
  ended = false;
  private inString = false;
  /** In an escape: -1 right after `\`, else the hex digits of `\u` still to come. */
  private escape = 0;
  private hex = '';
  private capture: {
    into: 'key' | Wanted;
    /** The string decoded, at most `max` UTF-16 code units. */
    value: string;
    max: number;
    /** The string is longer than `max` or invalid: the rest is skipped. */
    full: boolean;
    invalid: boolean;
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
    for (let i = 0; i < text.length && !this.ended; i++) {
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
    if (this.depth === 0) {
      this.ended = true;
      return;
    }
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
    const into =
      top?.kind === 'object' && top.expectKey ? 'key' : this.wanted();
    this.capture = into
      ? {
          into,
          value: '',
          max: MAX_CHARS[into],
          full: false,
          invalid: false,
        }
      : null;
  }

  private stringChar(c: string) {
    if (this.escape === -1) {
      if (c === 'u') {
        this.escape = 4;
        this.hex = '';
      } else {
        this.escape = 0;
        this.append(ESCAPES.get(c));
      }
      return;
    }
    if (this.escape > 0) {
      this.hex += c;
      this.escape--;
      if (this.escape === 0)
        this.append(
          /^[0-9a-fA-F]{4}$/.test(this.hex)
            ? String.fromCharCode(parseInt(this.hex, 16))
            : undefined,
        );
      return;
    }
    if (c === '\\') {
      this.escape = -1;
      return;
    }
    if (c === '"') {
      this.inString = false;
      this.endString();
      return;
    }
    // control characters are no JSON string's
    this.append(c < ' ' ? undefined : c);
  }

  /** Adds a decoded code unit (undefined: an invalid one) to the captured string, until its limit. */
  private append(unit: string | undefined) {
    const cap = this.capture;
    if (!cap || cap.full) return;
    if (unit === undefined) cap.invalid = cap.full = true;
    else if (cap.value.length >= cap.max) cap.full = true;
    else cap.value += unit;
  }

  private endString() {
    const cap = this.capture;
    this.capture = null;
    if (!cap) return;
    let value = cap.invalid ? '' : cap.value;
    // a cut never keeps half of a pair; a lone half of the log's is replaced
    if (cap.full && /[\ud800-\udbff]$/.test(value)) value = value.slice(0, -1);
    value = value.replace(LONE_SURROGATE, '\ufffd');
    const top = this.top();
    if (cap.into === 'key') {
      // a longer key is none of the fields read
      const key = cap.full ? undefined : value;
      if (top) top.key = key;
      // a repeated key's value replaces the earlier one, as in JSON.parse
      if (this.depth === 2 && key === 'body') this.event.body = {};
      if (this.depth === 2 && key === 'type') this.event.type = undefined;
      if (
        this.depth === 3 &&
        this.frames[1].key === 'body' &&
        (key === 'message' || key === 'stepId' || key === 'status')
      )
        delete this.event.body[key];
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
 * and at most `maxBytes` are read before the body is cancelled. Reading
 * stops at the end of the array: what follows it is ignored.
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
    // any string may be a step id (the template is an entity): no separator
    // character is safe
    const key = JSON.stringify([stepId, status]);
    kept.delete(key);
    kept.set(key, event);
    if (kept.size > MAX_STATUS_EVENTS)
      kept.delete(kept.keys().next().value as string);
  });
  let truncated: TaskEventLog['truncated'] = 'ended';
  if (body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let read = 0;
    try {
      while (!parser.ended) {
        const { done, value } = await reader.read();
        if (done) {
          parser.write(decoder.decode());
          break;
        }
        read += value.byteLength;
        if (read > maxBytes) {
          // what fits the limit is still read
          const fits = value.byteLength - (read - maxBytes);
          parser.write(
            decoder.decode(value.subarray(0, fits), { stream: true }),
          );
          if (!parser.ended) truncated = 'limit';
          break;
        }
        parser.write(decoder.decode(value, { stream: true }));
      }
    } finally {
      // stops an unfinished body (a no-op once it ended)
      await reader.cancel().catch(() => undefined);
    }
  }
  if (parser.ended) truncated = false;
  return { events: [...kept.values()], truncated };
}
