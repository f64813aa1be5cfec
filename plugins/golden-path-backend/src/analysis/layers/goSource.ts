/** An import of a Go file with its 1-based position. */
export interface GoImport {
  path: string;
  /** `_`, `.` or a rename, when given. */
  alias?: string;
  line: number;
  column: number;
}

/** What the insights need of one Go file. */
export interface GoFileSummary {
  packageName?: string;
  imports: GoImport[];
  /** Names of top-level functions (not methods), e.g. `NewOrder`, `newHandler`, `Module`. */
  functions: string[];
  lines: number;
  /** Set when the header could not be read (unterminated comment or string, no package clause). */
  error?: { message: string; line: number; column: number };
}

interface Token {
  kind: 'ident' | 'string' | 'other';
  value: string;
  line: number;
  column: number;
}

class GoScanError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

function isLetter(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128)
    return (
      (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95
    );
  return /\p{L}/u.test(c);
}

function isDigit(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return code >= 48 && code <= 57;
  return /\p{Nd}/u.test(c);
}

/**
 * A small Go tokenizer: identifiers, string literals (interpreted and raw),
 * runes, numbers and operators, skipping comments. Enough to read the package
 * clause, the imports and the top-level functions without mistaking text in
 * comments or strings for code.
 */
function* scan(src: string): Generator<Token> {
  let i = 0;
  let line = 1;
  let col = 1;
  const n = src.length;
  const step = () => {
    if (src.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else {
      col++;
    }
    i++;
  };
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\uFEFF') {
      step();
      continue;
    }
    const sl = line;
    const sc = col;
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') step();
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      step();
      step();
      while (i < n && !(src[i] === '*' && src[i + 1] === '/')) step();
      if (i >= n) throw new GoScanError('unterminated block comment', sl, sc);
      step();
      step();
      continue;
    }
    if (isLetter(c)) {
      const start = i;
      while (i < n && (isLetter(src[i]) || isDigit(src[i]))) step();
      yield { kind: 'ident', value: src.slice(start, i), line: sl, column: sc };
      continue;
    }
    if (c === '"') {
      step();
      let value = '';
      while (i < n && src[i] !== '"') {
        if (src[i] === '\n') throw new GoScanError('newline in string', sl, sc);
        if (src[i] === '\\') {
          value += src[i];
          step();
          if (i >= n) break;
        }
        value += src[i];
        step();
      }
      if (i >= n) throw new GoScanError('unterminated string', sl, sc);
      step();
      yield { kind: 'string', value, line: sl, column: sc };
      continue;
    }
    if (c === '`') {
      step();
      const start = i;
      while (i < n && src[i] !== '`') step();
      if (i >= n) throw new GoScanError('unterminated raw string', sl, sc);
      const value = src.slice(start, i);
      step();
      yield { kind: 'string', value, line: sl, column: sc };
      continue;
    }
    if (c === "'") {
      step();
      while (i < n && src[i] !== "'") {
        if (src[i] === '\n')
          throw new GoScanError('newline in rune literal', sl, sc);
        if (src[i] === '\\') step();
        step();
      }
      if (i >= n) throw new GoScanError('unterminated rune literal', sl, sc);
      step();
      yield { kind: 'other', value: "'", line: sl, column: sc };
      continue;
    }
    step();
    yield { kind: 'other', value: c, line: sl, column: sc };
  }
}

function unquote(raw: string): string {
  // import paths are plain; decode the common escapes only
  return raw.replace(/\\(["\\/])/g, '$1');
}

/**
 * Reads the package clause, imports and top-level function names of a Go
 * source file. Comments and string contents never count as code.
 */
export function summarizeGoFile(src: string): GoFileSummary {
  const summary: GoFileSummary = {
    imports: [],
    functions: [],
    lines: countLines(src),
  };
  const tokens = scan(src);
  let depth = 0; // brace depth, to find top-level funcs
  let parenDepth = 0;
  let state: 'start' | 'package' | 'imports' | 'body' = 'start';
  let pending: Token[] = [];
  let importGroup = false;
  let afterFunc = false;
  try {
    for (const t of tokens) {
      if (state === 'start') {
        if (t.kind === 'ident' && t.value === 'package') {
          state = 'package';
          continue;
        }
        throw new GoScanError('expected the package clause', t.line, t.column);
      }
      if (state === 'package') {
        if (t.kind !== 'ident')
          throw new GoScanError('expected the package name', t.line, t.column);
        summary.packageName = t.value;
        state = 'imports';
        continue;
      }
      if (state === 'imports') {
        if (t.kind === 'other' && t.value === ';') continue;
        if (
          !importGroup &&
          pending.length === 0 &&
          t.kind === 'ident' &&
          t.value === 'import'
        ) {
          pending = [t];
          continue;
        }
        if (pending.length > 0) {
          if (
            !importGroup &&
            pending.length === 1 &&
            t.kind === 'other' &&
            t.value === '('
          ) {
            importGroup = true;
            continue;
          }
          if (importGroup && t.kind === 'other' && t.value === ')') {
            importGroup = false;
            pending = [];
            continue;
          }
          if (t.kind === 'string') {
            const aliasTok =
              pending.length > 1 ? pending[pending.length - 1] : undefined;
            summary.imports.push({
              path: unquote(t.value),
              alias: aliasTok?.value,
              line: aliasTok?.line ?? t.line,
              column: aliasTok?.column ?? t.column,
            });
            pending = importGroup ? [pending[0]] : [];
            continue;
          }
          if (
            (t.kind === 'ident' && t.value !== 'import') ||
            (t.kind === 'other' && t.value === '.')
          ) {
            pending.push(t);
            continue;
          }
          if (t.kind === 'other' && t.value === ';') continue;
          throw new GoScanError(
            `unexpected "${t.value}" in import declaration`,
            t.line,
            t.column,
          );
        }
        state = 'body';
      }
      // body: top-level func names
      if (t.kind === 'other') {
        if (t.value === '{') depth++;
        else if (t.value === '}') depth--;
        else if (t.value === '(') parenDepth++;
        else if (t.value === ')') parenDepth--;
        afterFunc = false;
        continue;
      }
      if (afterFunc) {
        if (t.kind === 'ident') summary.functions.push(t.value);
        afterFunc = false;
        continue;
      }
      if (
        t.kind === 'ident' &&
        t.value === 'func' &&
        depth === 0 &&
        parenDepth === 0
      )
        afterFunc = true;
    }
    if (state === 'start' || state === 'package') {
      summary.error = { message: 'no package clause', line: 1, column: 1 };
    }
  } catch (e) {
    if (e instanceof GoScanError)
      summary.error = { message: e.message, line: e.line, column: e.column };
    else throw e;
  }
  return summary;
}

/** Lines as editors count them (a final newline does not start a new line). */
export function countLines(src: string): number {
  if (src.length === 0) return 0;
  let count = 1;
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) count++;
  return src.endsWith('\n') ? count - 1 : count;
}

/** Reads the module path of a go.mod file (the `module` directive). */
export function parseGoModModule(src: string): string | undefined {
  for (const raw of src.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = /^module\s+("([^"]+)"|`([^`]+)`|(\S+))\s*$/.exec(line);
    if (m) return m[2] ?? m[3] ?? m[4];
  }
  return undefined;
}

/**
 * How go.mod requires `module`: `direct`, only `// indirect` (a dependency
 * of a dependency), or undefined when it does not. Reads single-line and
 * block `require` directives.
 */
export function goModRequirement(
  src: string,
  module: string,
): 'direct' | 'indirect' | undefined {
  let inBlock = false;
  let found: 'indirect' | undefined;
  for (const raw of src.split('\n')) {
    const comment = /\/\/(.*)$/.exec(raw);
    let line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line.startsWith(')')) {
        inBlock = false;
        continue;
      }
    } else {
      const m = /^require\b\s*(.*)$/.exec(line);
      if (!m) continue;
      line = m[1];
      if (line.startsWith('(')) {
        inBlock = true;
        line = line.slice(1).trim();
      }
    }
    const path = /^(?:"([^"]+)"|`([^`]+)`|(\S+))/.exec(line);
    if (!path || (path[1] ?? path[2] ?? path[3]) !== module) continue;
    if (!comment || !/^\s*indirect\b/.test(comment[1])) return 'direct';
    found = 'indirect';
  }
  return found;
}
