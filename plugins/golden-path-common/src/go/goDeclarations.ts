import { GoToken, tokenizeGo } from './goSource';

/**
 * What one Go source file declares at its top level, as another package sees
 * it through its identifiers (exported or not; callers filter).
 *
 * @public
 */
export interface GoDeclarations {
  /** The name in the package clause. */
  packageName?: string;
  /** Functions, types, variables and constants of the package block. */
  names: Set<string>;
  /**
   * By type name: its methods (declared anywhere in the file), a struct's
   * fields (embedded ones by their type's name) and an interface's methods.
   */
  members: Map<string, Set<string>>;
  /**
   * By function name: the type of the package its first result is (`NewScheduler`
   * returning `(*Scheduler, error)` gives `Scheduler`), when it is one by name.
   */
  results: Map<string, string>;
  /**
   * By type name, for a type declared from another named type (`type A = B`,
   * `type A B`, `type A = pkg.B`; pointers and type arguments left out): that
   * type as written and whether A is an alias. `type` is empty for a form
   * the reader does not follow (a parenthesized type).
   */
  underlying: Map<string, { type: string; alias: boolean }>;
  /** By struct or interface type name: the types it embeds as written (`ticks`, `base.Scheduler`). */
  embeds: Map<string, string[]>;
  /** Where reading stopped when the text is not Go; what came before is kept. */
  error?: { message: string; line: number; column: number };
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Keywords after which Go inserts a semicolon at a line's end; after the others the line goes on. */
const ENDING_KEYWORDS = new Set(['break', 'continue', 'fallthrough', 'return']);
const KEYWORDS = new Set(
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'.split(
    ' ',
  ),
);

/**
 * Whether Go ends the statement after `toks[i]` when a line ends there (the
 * spec's semicolon rule): after an identifier, a literal, one of four
 * keywords, `++`, `--`, `)`, `]` or `}`; after any other operator or keyword
 * the line goes on. Numbers come digit by digit, so a `.` right after a
 * digit ends a literal (`1.`), and a rune is one `'` token.
 */
function endsStatement(toks: GoToken[], i: number): boolean {
  const t = toks[i];
  if (t.kind === 'string') return true;
  if (t.kind === 'ident')
    return !KEYWORDS.has(t.value) || ENDING_KEYWORDS.has(t.value);
  if (/^[0-9)\]}']$/.test(t.value)) return true;
  const prev = i > 0 ? toks[i - 1] : undefined;
  const touching =
    prev?.kind === 'other' &&
    prev.line === t.line &&
    prev.column + 1 === t.column;
  if (t.value === '.') return touching && /^[0-9]$/.test(prev!.value);
  if (t.value === '+' || t.value === '-')
    return touching && prev!.value === t.value;
  return false;
}

/**
 * Reads the package-level declarations of a Go source file: function, type,
 * variable and constant names, methods by receiver type, struct fields and
 * interface methods, and each function's first result type. Comments and
 * strings never count; unbalanced or foreign text ends the reading without
 * throwing (see `error`).
 *
 * @public
 */
export function readGoDeclarations(src: string): GoDeclarations {
  const { tokens: toks, error } = tokenizeGo(src);
  const out: GoDeclarations = {
    names: new Set(),
    members: new Map(),
    results: new Map(),
    underlying: new Map(),
    embeds: new Map(),
  };
  if (error) out.error = error;
  const n = toks.length;
  const is = (i: number, v: string) =>
    i < n && toks[i].kind !== 'string' && toks[i].value === v;
  const ident = (i: number) => i < n && toks[i].kind === 'ident';
  const member = (type: string, name: string) => {
    let set = out.members.get(type);
    if (!set) out.members.set(type, (set = new Set()));
    set.add(name);
  };

  /** The index after the group opened at `i` (or `end` when it never closes). */
  const skipGroup = (i: number, end = n): number => {
    const stack: string[] = [];
    let j = i;
    while (j < end) {
      const t = toks[j];
      if (t.kind === 'other') {
        if (OPEN[t.value]) stack.push(OPEN[t.value]);
        else if (t.value === stack[stack.length - 1]) {
          stack.pop();
          if (stack.length === 0) return j + 1;
        }
      }
      j++;
    }
    return end;
  };
  /** The index after one spec (one logical line, groups spanning lines) from `i`, before `end`. */
  const skipSpec = (i: number, end: number): number => {
    let j = i;
    let last = -1;
    while (j < end) {
      const t = toks[j];
      if (last >= 0 && t.line > toks[last].endLine && endsStatement(toks, last))
        break;
      if (t.kind === 'other' && t.value === ';') return j + 1;
      if (t.kind === 'other' && OPEN[t.value]) {
        const k = skipGroup(j, end);
        last = k - 1;
        j = k;
        continue;
      }
      last = j;
      j++;
    }
    return j;
  };
  /** The specs of `keyword ( … )` or `keyword spec`, each read by `read(start, end)`. */
  const specs = (i: number, read: (start: number, end: number) => void) => {
    if (is(i, '(')) {
      const close = skipGroup(i) - 1;
      let j = i + 1;
      while (j < close) {
        const end = skipSpec(j, close);
        read(j, end);
        j = Math.max(end, j + 1);
      }
      return close + 1;
    }
    const end = skipSpec(i, n);
    read(i, end);
    return Math.max(end, i + 1);
  };
  /** The leading `a, b, c` identifiers of a value spec or field. */
  const identList = (start: number, end: number): string[] => {
    const names: string[] = [];
    let j = start;
    while (j < end && ident(j)) {
      names.push(toks[j].value);
      if (!is(j + 1, ',')) break;
      j += 2;
    }
    return names;
  };
  /** The named type of the package a result's tokens spell (`*Scheduler`, `s *Scheduler`). */
  const namedType = (start: number, end: number): string | undefined => {
    const idents: string[] = [];
    for (let j = start; j < end; j++) {
      const t = toks[j];
      if (t.kind === 'ident') {
        if (['map', 'chan', 'func', 'struct', 'interface'].includes(t.value))
          return undefined;
        idents.push(t.value);
      } else if (t.value === '.' || t.value === '[') return undefined;
      else if (t.value !== '*') return undefined;
    }
    return idents.length >= 1 && idents.length <= 2
      ? idents[idents.length - 1]
      : undefined;
  };
  /** An embedded field's name: its type's name, `pkg.Type` or `Type[…]`. */
  const embeddedName = (start: number, end: number): string | undefined => {
    let name: string | undefined;
    for (let j = start; j < end; j++) {
      const t = toks[j];
      if (t.kind === 'ident') name = t.value;
      else if (t.value !== '.') break;
    }
    return name;
  };
  const embed = (type: string, start: number, end: number) => {
    let j = start;
    while (is(j, '*')) j++;
    if (!ident(j)) return;
    const named = is(j + 1, '.') && ident(j + 2);
    const spelled = named
      ? `${toks[j].value}.${toks[j + 2].value}`
      : toks[j].value;
    const k = named ? j + 3 : j + 1;
    if (k < end && !is(k, '[') && toks[k].kind !== 'string') return;
    const list = out.embeds.get(type) ?? [];
    out.embeds.set(type, [...list, spelled]);
  };
  const readStruct = (type: string, open: number) => {
    const close = skipGroup(open) - 1;
    let j = open + 1;
    while (j < close) {
      const end = skipSpec(j, close);
      const t = toks[j];
      if (is(j, '*')) {
        const name = embeddedName(j + 1, end);
        if (name) member(type, name);
        embed(type, j, end);
      } else if (t.kind === 'ident') {
        const next = j + 1 < end ? toks[j + 1] : undefined;
        if (!next || next.kind === 'string' || next.value === '.') {
          const name = embeddedName(j, end);
          if (name) member(type, name);
          embed(type, j, end);
        } else {
          for (const name of identList(j, end)) member(type, name);
        }
      }
      j = Math.max(end, j + 1);
    }
  };
  const readInterface = (type: string, open: number) => {
    const close = skipGroup(open) - 1;
    let j = open + 1;
    while (j < close) {
      const end = skipSpec(j, close);
      if (ident(j) && is(j + 1, '(')) member(type, toks[j].value);
      else embed(type, j, end);
      j = Math.max(end, j + 1);
    }
  };
  const readType = (start: number, end: number) => {
    if (!ident(start)) return;
    const name = toks[start].value;
    out.names.add(name);
    let j = start + 1;
    // Type parameters, not an array type: `[T any]`, `[K comparable, V any]`.
    if (is(j, '[') && ident(j + 1) && !is(j + 2, ']')) j = skipGroup(j, end);
    const alias = is(j, '=');
    if (alias) j++;
    if (is(j, 'struct') && is(j + 1, '{')) readStruct(name, j + 1);
    else if (is(j, 'interface') && is(j + 1, '{')) readInterface(name, j + 1);
    else {
      while (is(j, '*')) j++;
      if (is(j, '(')) out.underlying.set(name, { type: '', alias });
      else if (
        ident(j) &&
        !['map', 'chan', 'func', 'struct', 'interface'].includes(toks[j].value)
      )
        out.underlying.set(name, {
          type:
            is(j + 1, '.') && ident(j + 2)
              ? `${toks[j].value}.${toks[j + 2].value}`
              : toks[j].value,
          alias,
        });
    }
  };
  const readValues = (start: number, end: number) => {
    for (const name of identList(start, end)) out.names.add(name);
  };
  const readFunc = (i: number): number => {
    let j = i;
    let receiver: string | undefined;
    if (is(j, '(')) {
      const close = skipGroup(j);
      for (let k = j + 1; k < close - 1; k++) {
        if (is(k, '[')) k = skipGroup(k, close) - 1;
        else if (ident(k)) receiver = toks[k].value;
      }
      j = close;
      if (!receiver) return j;
    }
    if (!ident(j)) return j;
    const name = toks[j].value;
    j++;
    if (receiver) member(receiver, name);
    else out.names.add(name);
    if (!receiver && is(j, '[')) j = skipGroup(j);
    if (!is(j, '(')) return j;
    j = skipGroup(j);
    if (is(j, '(')) {
      const close = skipGroup(j);
      let k = j + 1;
      while (k < close - 1 && !is(k, ',')) {
        if (toks[k].kind === 'other' && OPEN[toks[k].value] && !is(k, '['))
          break;
        k++;
      }
      const result = namedType(j + 1, k);
      if (result && !receiver) out.results.set(name, result);
      j = close;
    } else {
      let k = j;
      while (k < n && !is(k, '{') && toks[k].line === toks[j].line) k++;
      const result = k > j ? namedType(j, k) : undefined;
      if (result && !receiver) out.results.set(name, result);
      j = k;
    }
    return is(j, '{') ? skipGroup(j) : j;
  };

  let i = 0;
  if (is(0, 'package') && ident(1)) {
    out.packageName = toks[1].value;
    i = 2;
  } else {
    if (!out.error)
      out.error = { message: 'no package clause', line: 1, column: 1 };
    return out;
  }
  while (i < n) {
    const t = toks[i];
    if (t.kind === 'ident') {
      switch (t.value) {
        case 'import':
          i = specs(i + 1, () => undefined);
          continue;
        case 'type':
          i = specs(i + 1, readType);
          continue;
        case 'var':
        case 'const':
          i = specs(i + 1, readValues);
          continue;
        case 'func':
          i = readFunc(i + 1);
          continue;
        default:
      }
    }
    i = t.kind === 'other' && OPEN[t.value] ? skipGroup(i) : i + 1;
  }
  return out;
}
