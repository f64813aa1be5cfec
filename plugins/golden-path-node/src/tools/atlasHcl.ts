import { UnsafeToolConfigError } from './violations';

/**
 * The atlas.hcl check: the file is tokenized the way HCL does (comments,
 * quoted strings with their escapes, heredocs), parsed into blocks and
 * attributes, and accepted only when it has the small shape a service needs:
 * `env`, `lint` and `diff` blocks whose attributes are literal values. A data
 * source, a function call, a variable reference, a string interpolation or a
 * heredoc is refused wherever it is, so a comment or an odd spacing cannot
 * hide one (a keyword filter over the text could be bypassed that way).
 */

type Token =
  | { kind: 'ident'; text: string; line: number }
  | { kind: 'string'; text: string; line: number }
  | { kind: 'number'; text: string; line: number }
  | { kind: 'newline' | 'eof'; text: string; line: number }
  | { kind: 'punct'; text: string; line: number };

/** A block the check accepts: its labels, its attribute names, its nested blocks. */
interface BlockShape {
  labels: number;
  /** Attribute names, or '*' for any name (literal values only either way). */
  attributes: string[] | '*';
  blocks: Record<string, BlockShape>;
}

/** Analyzer and policy blocks (`destructive { error = true }`): literal settings only. */
const SETTINGS: BlockShape = { labels: 0, attributes: '*', blocks: {} };
const settingsBlocks = (...names: string[]) =>
  Object.fromEntries(names.map(n => [n, SETTINGS]));

const LINT: BlockShape = {
  labels: 0,
  attributes: ['latest'],
  blocks: settingsBlocks(
    'destructive',
    'data_depend',
    'incompatible',
    'concurrent_index',
    'naming',
    'non_linear',
  ),
};
const DIFF: BlockShape = {
  labels: 0,
  attributes: [],
  blocks: settingsBlocks('skip', 'concurrent_index'),
};
const MIGRATION: BlockShape = {
  labels: 0,
  attributes: [
    'dir',
    'format',
    'revisions_schema',
    'baseline',
    'exec_order',
    'lock_timeout',
  ],
  blocks: {},
};
const FORMAT: BlockShape = {
  labels: 0,
  attributes: [],
  blocks: settingsBlocks('migrate', 'schema'),
};
const ENV: BlockShape = {
  labels: 1,
  attributes: ['url', 'dev', 'src', 'schemas', 'exclude'],
  blocks: { migration: MIGRATION, lint: LINT, diff: DIFF, format: FORMAT },
};
const FILE: BlockShape = {
  labels: 0,
  attributes: [],
  blocks: { env: ENV, lint: LINT, diff: DIFF },
};

const WHY = 'it could run a program or read outside the workspace';
const FIX =
  'keep env, lint and diff blocks with literal values (the actions pass URLs and directories as flags)';

class Refusal extends Error {
  constructor(
    readonly line: number,
    readonly what: string,
    readonly why = WHY,
  ) {
    super(what);
  }
}

/** Splits HCL text into tokens; comments are dropped (a line comment keeps its newline). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: c, line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0)
        throw new Refusal(
          line,
          'an unterminated /* comment',
          'HCL cannot read the rest of the file',
        );
      for (let j = i; j < end; j++) if (text[j] === '\n') line++;
      i = end + 2;
    } else if (c === '"') {
      const start = line;
      let value = '';
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined || d === '\n') {
          throw new Refusal(
            start,
            'an unterminated string',
            'HCL cannot read the rest of the file',
          );
        }
        if (d === '"') break;
        if (d === '\\') {
          value += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        // `${` and `%{` start a template (`$${` and `%%{` are escapes of them):
        // both are refused, an escape too, so no template ever reaches atlas.
        if (
          (d === '$' || d === '%') &&
          (text[i + 1] === '{' || (text[i + 1] === d && text[i + 2] === '{'))
        ) {
          throw new Refusal(start, `the interpolation ${d}{…} in a string`);
        }
        value += d;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: value, line: start });
    } else if (c === '<' && text[i + 1] === '<') {
      throw new Refusal(line, 'a heredoc (<<)');
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256))!;
      tokens.push({ kind: 'ident', text: m[0], line });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(
        text.slice(i, i + 256),
      )!;
      tokens.push({ kind: 'number', text: m[0], line });
      i += m[0].length;
    } else {
      tokens.push({ kind: 'punct', text: c, line });
      i++;
    }
  }
  tokens.push({ kind: 'eof', text: '', line });
  return tokens;
}

/** Lists in lists read at most this deep (the reader recurses per level). */
const MAX_LIST_DEPTH = 32;

/** A recursive-descent reader of the accepted shape; anything else is a Refusal. */
class Reader {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private skipNewlines() {
    while (this.peek().kind === 'newline') this.pos++;
  }

  /** A body up to `}` (nested) or the end of the file (top level). */
  body(shape: BlockShape, path: string, nested: boolean) {
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') {
        if (nested)
          throw new Refusal(
            t.line,
            `the block ${path} without its closing }`,
            'HCL cannot read the file',
          );
        return;
      }
      if (t.kind === 'punct' && t.text === '}') {
        if (!nested)
          throw new Refusal(
            t.line,
            'a } without its block',
            'HCL cannot read the file',
          );
        this.pos++;
        return;
      }
      if (t.kind !== 'ident')
        throw new Refusal(
          t.line,
          `${describe(t)} where a block or an attribute starts`,
        );
      this.pos++;
      const after = this.peek();
      if (after.kind === 'punct' && after.text === '=') {
        this.pos++;
        this.attribute(shape, path, t);
      } else {
        this.block(shape, path, t);
      }
      const end = this.peek();
      if (
        end.kind === 'newline' ||
        end.kind === 'eof' ||
        (end.kind === 'punct' && end.text === '}')
      )
        continue;
      throw new Refusal(end.line, `${describe(end)} after ${t.text}`);
    }
  }

  private attribute(shape: BlockShape, path: string, name: Token) {
    const where = path ? `${path}.${name.text}` : name.text;
    if (shape.attributes !== '*' && !shape.attributes.includes(name.text)) {
      throw new Refusal(name.line, `the attribute ${where}`);
    }
    this.value(where);
  }

  /** A literal: a string without interpolation, a number, true/false/null, or a list of them. */
  private value(where: string, depth = 0) {
    const t = this.next();
    if (depth > MAX_LIST_DEPTH)
      throw new Refusal(
        t.line,
        `lists nested more than ${MAX_LIST_DEPTH} deep in ${where}`,
        'no atlas.hcl setting is a list that deep',
      );
    if (t.kind === 'string' || t.kind === 'number') return;
    if (t.kind === 'ident') {
      if (['true', 'false', 'null'].includes(t.text)) return;
      const call = this.peek();
      const what =
        call.kind === 'punct' && call.text === '('
          ? `the function call ${t.text}()`
          : `the reference ${t.text}`;
      throw new Refusal(t.line, `${what} in ${where}`);
    }
    if (t.kind === 'punct' && t.text === '[') {
      for (;;) {
        this.skipNewlines();
        const u = this.peek();
        if (u.kind === 'punct' && u.text === ']') {
          this.pos++;
          return;
        }
        this.value(where, depth + 1);
        this.skipNewlines();
        const sep = this.peek();
        if (sep.kind === 'punct' && sep.text === ',') this.pos++;
        else if (!(sep.kind === 'punct' && sep.text === ']')) {
          throw new Refusal(sep.line, `${describe(sep)} in the list ${where}`);
        }
      }
    }
    throw new Refusal(
      t.line,
      `${describe(t)} in ${where} (only literal values are read)`,
    );
  }

  private block(shape: BlockShape, path: string, name: Token) {
    const labels: string[] = [];
    while (this.peek().kind === 'string' || this.peek().kind === 'ident')
      labels.push(this.next().text);
    const open = this.next();
    const shown = [
      path,
      [name.text, ...labels.map(l => JSON.stringify(l))].join(' '),
    ]
      .filter(Boolean)
      .join(' > ');
    if (!(open.kind === 'punct' && open.text === '{')) {
      throw new Refusal(open.line, `${describe(open)} after ${shown}`);
    }
    const inner = shape.blocks[name.text];
    if (!inner) throw new Refusal(name.line, `the block ${shown}`);
    if (labels.length > inner.labels)
      throw new Refusal(name.line, `the block ${shown} (too many labels)`);
    this.body(inner, path ? `${path}.${name.text}` : name.text, true);
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'newline') return 'a line break';
  if (t.kind === 'string') return `the string ${JSON.stringify(t.text)}`;
  return `"${t.text}"`;
}

/**
 * Refuses an atlas.hcl outside the accepted shape (see above), with one line:
 * file and line, what was found, why and how to fix it.
 *
 * @public
 */
export function checkAtlasHcl(text: string, file = 'atlas.hcl'): void {
  try {
    new Reader(tokenize(text)).body(FILE, '', false);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    throw new UnsafeToolConfigError(
      `${file}:${e.line}: ${e.what} is refused: ${e.why}; ${FIX}`,
    );
  }
}
