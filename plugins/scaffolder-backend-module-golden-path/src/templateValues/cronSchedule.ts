/**
 * Cron schedules read the way a generated service reads them: pkg/job parses
 * with robfig/cron v3 (SecondOptional | Minute | Hour | Dom | Month | Dow |
 * Descriptor, an optional CRON_TZ= or TZ= prefix, no @every) and refuses a
 * timeout longer than the schedule's shortest interval (job.Period). This is
 * a port of that parser and of cron's SpecSchedule.Next, so the template
 * refuses what the service would refuse at start-up.
 */

/** A parsed field: the values it allows, and whether it was written as * or ?. */
interface CronField {
  values: Set<number>;
  star: boolean;
}

/** A parsed schedule; zone is an IANA name, UTC when the expression has none. */
export interface CronSchedule {
  second: CronField;
  minute: CronField;
  hour: CronField;
  dom: CronField;
  month: CronField;
  dow: CronField;
  zone: string;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAYS: Record<string, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};
const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: MONTHS };
const DOW: Bounds = { min: 0, max: 6, names: DAYS };

/** The scan bounds of job.Period. */
const PERIOD_SCAN_RUNS = 10000;
const PERIOD_SCAN_SPAN_MS = 2 * 366 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const QUARTER_MS = 15 * 60 * 1000;

/** A schedule the service would refuse; the message says why. */
export class CronScheduleError extends Error {
  name = 'CronScheduleError';
}

function range(min: number, max: number, step = 1): Set<number> {
  const s = new Set<number>();
  for (let i = min; i <= max; i += step) s.add(i);
  return s;
}

const all = (b: Bounds): CronField => ({
  values: range(b.min, b.max),
  star: true,
});
const only = (n: number): CronField => ({ values: new Set([n]), star: false });

/** strconv.Atoi plus cron's "negative number" check. */
function atoi(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr))
    throw new CronScheduleError(`failed to parse int from ${expr}`);
  const n = Number(expr);
  if (n < 0)
    throw new CronScheduleError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? atoi(expr);
}

function parseRange(expr: string, b: Bounds): CronField {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = parseIntOrName(lowAndHigh[0], b.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2)
      end = parseIntOrName(lowAndHigh[1], b.names);
    else throw new CronScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronScheduleError(`too many slashes: ${expr}`);
  }
  if (start < b.min)
    throw new CronScheduleError(
      `beginning of range (${start}) below minimum (${b.min}): ${expr}`,
    );
  if (end > b.max)
    throw new CronScheduleError(
      `end of range (${end}) above maximum (${b.max}): ${expr}`,
    );
  if (start > end)
    throw new CronScheduleError(
      `beginning of range (${start}) beyond end of range (${end}): ${expr}`,
    );
  if (step === 0)
    throw new CronScheduleError(
      `step of range should be a positive number: ${expr}`,
    );
  return { values: range(start, end, step), star };
}

function parseField(field: string, b: Bounds): CronField {
  const out: CronField = { values: new Set(), star: false };
  for (const expr of field.split(',').filter(Boolean)) {
    const r = parseRange(expr, b);
    r.values.forEach(v => out.values.add(v));
    out.star ||= r.star;
  }
  return out;
}

function descriptor(spec: string, zone: string): CronSchedule {
  const midnight = { second: only(0), minute: only(0), hour: only(0), zone };
  switch (spec) {
    case '@yearly':
    case '@annually':
      return { ...midnight, dom: only(1), month: only(1), dow: all(DOW) };
    case '@monthly':
      return { ...midnight, dom: only(1), month: all(MONTH), dow: all(DOW) };
    case '@weekly':
      return { ...midnight, dom: all(DOM), month: all(MONTH), dow: only(0) };
    case '@daily':
    case '@midnight':
      return { ...midnight, dom: all(DOM), month: all(MONTH), dow: all(DOW) };
    case '@hourly':
      return {
        ...midnight,
        hour: all(HOURS),
        dom: all(DOM),
        month: all(MONTH),
        dow: all(DOW),
      };
    default:
      throw new CronScheduleError(`unrecognized descriptor: ${spec}`);
  }
}

/** Go's time.LoadLocation, as far as names go; "" and Local are the runner's zone (UTC). */
function loadZone(name: string): string {
  if (name === '' || name === 'UTC' || name === 'Local') return 'UTC';
  // Zone names are case-sensitive for Go (Intl is not); every IANA segment starts with a capital.
  if (/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(name)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name }).format(0);
      return name;
    } catch {
      // unknown to ICU: fall through
    }
  }
  throw new CronScheduleError(
    `provided bad location ${name}: unknown time zone ${name}`,
  );
}

/**
 * Parses a cron expression as pkg/job.ValidateSchedule does, without the
 * "never fires" check (see nextActivation). Throws a CronScheduleError.
 */
export function parseCronSchedule(expr: string): CronSchedule {
  let spec = expr.trim();
  if (spec === '') throw new CronScheduleError('schedule is empty');
  let zone = 'UTC';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    if (space < 0 || spec.slice(space).trim() === '') {
      throw new CronScheduleError(
        `${spec.split(' ')[0]} must be followed by a cron expression`,
      );
    }
    zone = loadZone(spec.slice(spec.indexOf('=') + 1, space));
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@every')) {
    throw new CronScheduleError(
      '@every is not supported because its ticks depend on each replica\'s start time; use a cron expression such as "*/30 * * * * *"',
    );
  }
  if (spec.startsWith('@')) return descriptor(spec, zone);
  let fields = spec.split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    throw new CronScheduleError(
      `expected 5 to 6 fields, found ${fields.length}: [${fields.join(' ')}]`,
    );
  }
  if (fields.length === 5) fields = ['0', ...fields];
  return {
    second: parseField(fields[0], SECONDS),
    minute: parseField(fields[1], MINUTES),
    hour: parseField(fields[2], HOURS),
    dom: parseField(fields[3], DOM),
    month: parseField(fields[4], MONTH),
    dow: parseField(fields[5], DOW),
    zone,
  };
}

/** Wall-clock arithmetic in one zone, with Go's time.Date semantics. */
class Zone {
  private readonly format?: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(name: string) {
    if (name !== 'UTC') {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    }
  }

  /**
   * The zone's UTC offset at an instant, in ms. Offsets change on quarter
   * hours at most once a day: a day whose two ends agree has one offset.
   */
  offset(ms: number): number {
    if (!this.format) return 0;
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    const start = this.offsetAt(day);
    if (start === this.offsetAt(day + DAY_MS)) return start;
    return this.offsetAt(Math.floor(ms / QUARTER_MS) * QUARTER_MS);
  }

  private offsetAt(at: number): number {
    let off = this.offsets.get(at);
    if (off === undefined) {
      const p = Object.fromEntries(
        this.format!.formatToParts(at).map(x => [x.type, Number(x.value)]),
      );
      off =
        Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
      this.offsets.set(at, off);
    }
    return off;
  }

  /** Wall-clock fields at an instant (days to civil date: Howard Hinnant's algorithm). */
  fields(ms: number) {
    const wall = ms + this.offset(ms);
    const days = Math.floor(wall / DAY_MS);
    const secs = Math.floor((wall - days * DAY_MS) / 1000);
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor(
      (doe -
        Math.floor(doe / 1460) +
        Math.floor(doe / 36524) -
        Math.floor(doe / 146096)) /
        365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const month = mp < 10 ? mp + 3 : mp - 9;
    return {
      year: yoe + era * 400 + (month <= 2 ? 1 : 0),
      month,
      day: doy - Math.floor((153 * mp + 2) / 5) + 1,
      hour: Math.floor(secs / 3600),
      minute: Math.floor(secs / 60) % 60,
      second: secs % 60,
      weekday: (((days + 4) % 7) + 7) % 7,
    };
  }

  /** time.Date(y, mo, d, h, mi, s, 0, zone): normalized, then the offset Go picks. */
  date(
    y: number,
    mo: number,
    d: number,
    h: number,
    mi: number,
    s: number,
  ): number {
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    return wall - this.offset(wall - this.offset(wall));
  }
}

/**
 * The first activation strictly after `after` (ms since the epoch), or
 * undefined when none falls within five years: cron's SpecSchedule.Next.
 */
export function nextActivation(
  s: CronSchedule,
  after: number,
): number | undefined {
  const zone = new Zone(s.zone);
  return next(s, zone, after);
}

function dayMatches(
  s: CronSchedule,
  f: { day: number; weekday: number },
): boolean {
  const domMatch = s.dom.values.has(f.day);
  const dowMatch = s.dow.values.has(f.weekday);
  return s.dom.star || s.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

/**
 * How many one-unit steps cron's loop takes from `cur` to the next allowed
 * value or to the wrap at 0, done in one jump: the values in between match
 * nothing and none is 0. Where the zone's offset changes on the way, one step
 * (as cron does), since the wall clock jumps there.
 */
function stepsTo(
  field: CronField,
  cur: number,
  span: number,
  z: Zone,
  t: number,
  unit: number,
): number {
  let k = span - cur;
  for (let v = cur + 1; v < span; v++) {
    if (field.values.has(v)) {
      k = v - cur;
      break;
    }
  }
  return z.offset(t) === z.offset(t + k * unit) ? k : 1;
}

function next(s: CronSchedule, z: Zone, after: number): number | undefined {
  const HOUR = 3600_000;
  let t = Math.floor(after / 1000) * 1000 + 1000;
  let f = z.fields(t);
  const set = (ms: number) => {
    t = ms;
    f = z.fields(t);
  };
  let added = false;
  const yearLimit = f.year + 5;
  // One pass of cron's field loops; true when a field wrapped around, which
  // sends cron back to its WRAP label to check the earlier fields again.
  const wrapped = (): boolean => {
    while (!s.month.values.has(f.month)) {
      if (!added) {
        added = true;
        set(z.date(f.year, f.month, 1, 0, 0, 0));
      }
      set(z.date(f.year, f.month + 1, f.day, f.hour, f.minute, f.second));
      if (f.month === 1) return true;
    }
    while (!dayMatches(s, f)) {
      if (!added) {
        added = true;
        set(z.date(f.year, f.month, f.day, 0, 0, 0));
      }
      set(z.date(f.year, f.month, f.day + 1, f.hour, f.minute, f.second));
      if (f.hour !== 0) set(t + (f.hour > 12 ? 24 - f.hour : -f.hour) * HOUR);
      if (f.day === 1) return true;
    }
    while (!s.hour.values.has(f.hour)) {
      if (!added) {
        added = true;
        set(z.date(f.year, f.month, f.day, f.hour, 0, 0));
      }
      set(t + HOUR);
      if (f.hour === 0) return true;
    }
    while (!s.minute.values.has(f.minute)) {
      if (!added) {
        added = true;
        set(Math.floor(t / 60_000) * 60_000);
      }
      set(t + stepsTo(s.minute, f.minute, 60, z, t, 60_000) * 60_000);
      if (f.minute === 0) return true;
    }
    while (!s.second.values.has(f.second)) {
      if (!added) {
        added = true;
        set(Math.floor(t / 1000) * 1000);
      }
      set(t + stepsTo(s.second, f.second, 60, z, t, 1000) * 1000);
      if (f.second === 0) return true;
    }
    return false;
  };
  for (;;) {
    if (f.year > yearLimit) return undefined;
    if (!wrapped()) return t;
  }
}

/**
 * The shortest interval between two consecutive activations of expr, in ms,
 * scanned from `now` as job.Period does (10,000 activations or two years).
 * Throws a CronScheduleError for an invalid schedule or one that never fires.
 */
export function schedulePeriod(expr: string, now: number = Date.now()): number {
  const s = parseCronSchedule(expr);
  const zone = new Zone(s.zone);
  const first = next(s, zone, now);
  if (first === undefined)
    throw new CronScheduleError(
      'never fires: no date within five years matches it',
    );
  let prev = first;
  let shortest = Infinity;
  for (let i = 0; i < PERIOD_SCAN_RUNS; i++) {
    const n = next(s, zone, prev);
    if (n === undefined) break;
    shortest = Math.min(shortest, n - prev);
    if (n - first > PERIOD_SCAN_SPAN_MS) break;
    prev = n;
  }
  if (shortest === Infinity)
    throw new CronScheduleError('fires less than twice in five years');
  return shortest;
}
