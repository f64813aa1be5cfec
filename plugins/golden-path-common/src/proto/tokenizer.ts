/**
 * The kinds of proto tokens.
 *
 * @public
 */
export type ProtoTokenKind =
  | 'ident'
  | 'int'
  | 'float'
  | 'string'
  | 'symbol'
  | 'eof';

/**
 * One token with its 1-based position.
 *
 * @public
 */
export interface ProtoToken {
  kind: ProtoTokenKind;
  /** The token text; for strings the decoded value. */
  value: string;
  line: number;
  column: number;
  /**
   * The comment block right above the token (no blank line between), as
   * protoc attaches leading comments; markers (`//`, `/*`, `*`) removed.
   */
  leadingComment?: string;
  /** A comment after the token on the same line. */
  trailingComment?: string;
}

/**
 * A proto file that cannot be read, with the position of the problem (1-based).
 *
 * @public
 */
export class ProtoSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${line}:${column}: ${message}`);
    this.name = 'ProtoSyntaxError';
    this.line = line;
    this.column = column;
  }
}

/**
 * Default largest proto file the tokenizer accepts (1 MiB).
 *
 * @public
 */
export const DEFAULT_MAX_PROTO_BYTES = 1024 * 1024;

/** UTF-8 size of a string, without Node's Buffer (the parser runs in browsers too). */
function utf8Length(source: string): number {
  let bytes = 0;
  for (let k = 0; k < source.length; k++) {
    const code = source.charCodeAt(k);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      k++;
    } else bytes += 3;
  }
  return bytes;
}

/** The text of a comment without its markers and the common indentation. */
function commentText(raw: string): string {
  if (raw.startsWith('//')) return raw.slice(2).replace(/^ /, '');
  return raw
    .slice(2, -2)
    .split('\n')
    .map(l => l.replace(/^\s*\* ?/, '').replace(/^ /, ''))
    .join('\n')
    .trim();
}

const SYMBOLS = new Set([
  '=',
  ';',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  ',',
  '.',
  ':',
  '-',
  '+',
  '/',
]);

function isIdentStart(c: string) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isDigit(c: string) {
  return c >= '0' && c <= '9';
}
function isIdentPart(c: string) {
  return isIdentStart(c) || isDigit(c);
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/**
 * Splits proto source into tokens, dropping whitespace and comments.
 * Refuses input over `maxBytes` (before looking at it), NUL bytes, unknown
 * characters, unterminated strings and comments, with their position.
 *
 * @public
 */
export function tokenizeProto(
  source: string,
  maxBytes = DEFAULT_MAX_PROTO_BYTES,
): ProtoToken[] {
  // string length is at most the UTF-8 byte length, so this check is exact
  // for ASCII and never lets a larger file through unread.
  if (source.length > maxBytes || utf8Length(source) > maxBytes) {
    throw new ProtoSyntaxError(
      `file is larger than the limit of ${maxBytes} bytes`,
      1,
      1,
    );
  }
  const tokens: ProtoToken[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const n = source.length;
  // comments waiting for the next token: a block of comments with no blank
  // line between them becomes its leading comment when it ends on the line
  // above it (or on its line)
  let pending: Array<{ text: string; line: number; endLine: number }> = [];

  const comment = (raw: string, startLine: number, endLine: number) => {
    const text = commentText(raw);
    const prev = tokens[tokens.length - 1];
    if (prev && prev.line === startLine && pending.length === 0) {
      prev.trailingComment = prev.trailingComment
        ? `${prev.trailingComment}\n${text}`
        : text;
      return;
    }
    const last = pending[pending.length - 1];
    if (last && startLine > last.endLine + 1) pending = [];
    pending.push({ text, line: startLine, endLine });
  };

  const push = (token: ProtoToken) => {
    const last = pending[pending.length - 1];
    if (last && token.line - last.endLine <= 1) {
      token.leadingComment = pending.map(c => c.text).join('\n');
    }
    pending = [];
    tokens.push(token);
  };

  const advance = (count = 1) => {
    for (let k = 0; k < count; k++) {
      if (source[i] === '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
  };

  while (i < n) {
    const c = source[i];
    if (
      c === '\n' ||
      c === ' ' ||
      c === '\t' ||
      c === '\r' ||
      c === '\f' ||
      c === '\v'
    ) {
      advance();
      continue;
    }
    if (c === '\uFEFF' && i === 0) {
      advance();
      continue;
    }
    const startLine = line;
    const startCol = col;
    if (c === '/' && source[i + 1] === '/') {
      const start = i;
      while (i < n && source[i] !== '\n') advance();
      comment(source.slice(start, i).replace(/\r$/, ''), startLine, startLine);
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const start = i;
      advance(2);
      while (i < n && !(source[i] === '*' && source[i + 1] === '/')) advance();
      if (i >= n)
        throw new ProtoSyntaxError(
          'unterminated block comment',
          startLine,
          startCol,
        );
      advance(2);
      comment(source.slice(start, i), startLine, line);
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentPart(source[i])) advance();
      push({
        kind: 'ident',
        value: source.slice(start, i),
        line: startLine,
        column: startCol,
      });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1] ?? ''))) {
      const start = i;
      let kind: ProtoTokenKind = 'int';
      if (c === '0' && (source[i + 1] === 'x' || source[i + 1] === 'X')) {
        advance(2);
        if (!/[0-9a-fA-F]/.test(source[i] ?? '')) {
          throw new ProtoSyntaxError(
            'hex literal without digits',
            startLine,
            startCol,
          );
        }
        while (i < n && /[0-9a-fA-F]/.test(source[i])) advance();
      } else {
        while (i < n && isDigit(source[i])) advance();
        if (source[i] === '.') {
          kind = 'float';
          advance();
          while (i < n && isDigit(source[i])) advance();
        }
        if (source[i] === 'e' || source[i] === 'E') {
          kind = 'float';
          advance();
          if (source[i] === '+' || source[i] === '-') advance();
          if (!isDigit(source[i] ?? ''))
            throw new ProtoSyntaxError('malformed exponent', line, col);
          while (i < n && isDigit(source[i])) advance();
        }
      }
      if (i < n && isIdentStart(source[i])) {
        throw new ProtoSyntaxError(
          `unexpected "${source[i]}" after number`,
          line,
          col,
        );
      }
      push({
        kind,
        value: source.slice(start, i),
        line: startLine,
        column: startCol,
      });
      continue;
    }
    if (c === '"' || c === "'") {
      advance();
      let value = '';
      for (;;) {
        if (i >= n || source[i] === '\n') {
          throw new ProtoSyntaxError(
            'unterminated string',
            startLine,
            startCol,
          );
        }
        const ch = source[i];
        if (ch === c) {
          advance();
          break;
        }
        if (ch === '\\') {
          const e = source[i + 1];
          if (e === undefined)
            throw new ProtoSyntaxError(
              'unterminated string',
              startLine,
              startCol,
            );
          if (ESCAPES[e] !== undefined) {
            value += ESCAPES[e];
            advance(2);
          } else if (e === 'x' || e === 'X') {
            const m = /^[0-9a-fA-F]{1,2}/.exec(source.slice(i + 2, i + 4));
            if (!m) throw new ProtoSyntaxError('bad \\x escape', line, col);
            value += String.fromCharCode(parseInt(m[0], 16));
            advance(2 + m[0].length);
          } else if (e >= '0' && e <= '7') {
            const m = /^[0-7]{1,3}/.exec(source.slice(i + 1, i + 4))!;
            value += String.fromCharCode(parseInt(m[0], 8) & 0xff);
            advance(1 + m[0].length);
          } else if (e === 'u' || e === 'U') {
            const len = e === 'u' ? 4 : 8;
            const hex = source.slice(i + 2, i + 2 + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
              throw new ProtoSyntaxError(`bad \\${e} escape`, line, col);
            }
            const cp = parseInt(hex, 16);
            if (cp > 0x10ffff)
              throw new ProtoSyntaxError(`bad \\${e} escape`, line, col);
            value += String.fromCodePoint(cp);
            advance(2 + len);
          } else {
            throw new ProtoSyntaxError(`unknown escape \\${e}`, line, col);
          }
          continue;
        }
        if (ch === '\0')
          throw new ProtoSyntaxError('NUL byte in string', line, col);
        value += ch;
        advance();
      }
      push({ kind: 'string', value, line: startLine, column: startCol });
      continue;
    }
    if (SYMBOLS.has(c)) {
      advance();
      push({
        kind: 'symbol',
        value: c,
        line: startLine,
        column: startCol,
      });
      continue;
    }
    let shown = `"${c}"`;
    if (c === '\0') shown = 'NUL byte';
    else if (c.charCodeAt(0) < 32)
      shown = `control character 0x${c.charCodeAt(0).toString(16)}`;
    throw new ProtoSyntaxError(`unexpected ${shown}`, startLine, startCol);
  }
  push({ kind: 'eof', value: '', line, column: col });
  return tokens;
}
