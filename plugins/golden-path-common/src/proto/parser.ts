import {
  DEFAULT_MAX_PROTO_BYTES,
  ProtoSyntaxError,
  ProtoToken,
  tokenizeProto,
} from './tokenizer';

/**
 * A position in a proto file (1-based).
 *
 * @public
 */
export interface ProtoPosition {
  line: number;
  column: number;
}

/**
 * An option, e.g. `option go_package = "…";` or `[deprecated = true]`.
 *
 * @public
 */
export interface ProtoOption extends ProtoPosition {
  name: string;
  /** Scalar values as written (strings decoded); aggregate `{…}` values as `{…}`. */
  value: string;
}

/**
 * A message field (also map fields and oneof members).
 *
 * @public
 */
export interface ProtoField extends ProtoPosition {
  /** Its comment: the block right above it, else the one after it on its line. */
  comment?: string;
  name: string;
  /** Type as written, e.g. `string`, `google.protobuf.Timestamp`, `.foo.Bar`. */
  type: string;
  number: number;
  label?: 'repeated' | 'optional' | 'required';
  /** Set for `map<K, V>` fields. */
  map?: { keyType: string; valueType: string };
  /** The oneof this field belongs to. */
  oneof?: string;
  options: ProtoOption[];
}

/**
 * A `reserved` statement's content.
 *
 * @public
 */
export interface ProtoReserved extends ProtoPosition {
  ranges: Array<{ start: number; end: number }>;
  names: string[];
}

/**
 * An enum value.
 *
 * @public
 */
export interface ProtoEnumValue extends ProtoPosition {
  /** Its comment: the block right above it, else the one after it on its line. */
  comment?: string;
  name: string;
  number: number;
  options: ProtoOption[];
}

/**
 * An enum declaration.
 *
 * @public
 */
export interface ProtoEnum extends ProtoPosition {
  /** Its comment: the block right above it, else the one after it on its line. */
  comment?: string;
  name: string;
  fullName: string;
  values: ProtoEnumValue[];
  reserved: ProtoReserved[];
  options: ProtoOption[];
}

/**
 * A message declaration.
 *
 * @public
 */
export interface ProtoMessage extends ProtoPosition {
  /** Its comment: the block right above it, else the one after it on its line. */
  comment?: string;
  name: string;
  /** Fully-qualified name including the package, e.g. `order.v1.Order.Item`. */
  fullName: string;
  fields: ProtoField[];
  oneofs: string[];
  messages: ProtoMessage[];
  enums: ProtoEnum[];
  reserved: ProtoReserved[];
  extensions: ProtoReserved[];
  options: ProtoOption[];
}

/**
 * An rpc of a service.
 *
 * @public
 */
export interface ProtoRpc extends ProtoPosition {
  /** Its comment: the block right above it, else the one after it on its line. */
  comment?: string;
  name: string;
  requestType: string;
  responseType: string;
  clientStreaming: boolean;
  serverStreaming: boolean;
  options: ProtoOption[];
}

/**
 * A service declaration.
 *
 * @public
 */
export interface ProtoService extends ProtoPosition {
  /** Its comment: the block right above it, else the one after it on its line. */
  comment?: string;
  name: string;
  rpcs: ProtoRpc[];
  options: ProtoOption[];
}

/**
 * A parsed `.proto` file.
 *
 * @public
 */
export interface ProtoFile {
  syntax?: string;
  edition?: string;
  package?: string;
  imports: Array<
    ProtoPosition & { path: string; modifier?: 'public' | 'weak' }
  >;
  options: ProtoOption[];
  messages: ProtoMessage[];
  enums: ProtoEnum[];
  services: ProtoService[];
  /** `extend` blocks, by extended type. */
  extends: Array<ProtoPosition & { extendee: string; fields: ProtoField[] }>;
}

const MAX_FIELD_NUMBER = 536870911;
const MAX_DEPTH = 64;

class Parser {
  private pos = 0;
  private depth = 0;
  private pkg = '';

  constructor(private readonly tokens: ProtoToken[]) {}

  private peek(offset = 0): ProtoToken {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): ProtoToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /** The comment of a declaration starting at `start` and ending at `end`. */
  private commentOf(start: ProtoToken, end?: ProtoToken): string | undefined {
    return start.leadingComment ?? end?.trailingComment;
  }

  private fail(message: string, t: ProtoToken = this.peek()): never {
    throw new ProtoSyntaxError(message, t.line, t.column);
  }

  private describe(t: ProtoToken): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'string') return `string ${JSON.stringify(t.value)}`;
    return `"${t.value}"`;
  }

  private isSymbol(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'symbol' && t.value === value;
  }

  private isKeyword(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.value === value;
  }

  private expectSymbol(value: string, context: string): ProtoToken {
    const t = this.peek();
    if (t.kind !== 'symbol' || t.value !== value) {
      this.fail(`expected "${value}" ${context}, found ${this.describe(t)}`);
    }
    return this.next();
  }

  private expectIdent(context: string): ProtoToken {
    const t = this.peek();
    if (t.kind !== 'ident')
      this.fail(`expected ${context}, found ${this.describe(t)}`);
    return this.next();
  }

  private expectString(context: string): string {
    const t = this.peek();
    if (t.kind !== 'string')
      this.fail(
        `expected ${context} (a quoted string), found ${this.describe(t)}`,
      );
    let value = this.next().value;
    while (this.peek().kind === 'string') value += this.next().value; // adjacent literals concatenate
    return value;
  }

  private enter(t: ProtoToken) {
    if (++this.depth > MAX_DEPTH)
      this.fail(`nesting deeper than ${MAX_DEPTH} levels`, t);
  }

  private leave() {
    this.depth--;
  }

  /** fullIdent = ident { "." ident }, optionally with a leading dot for types. */
  private fullIdent(context: string, allowLeadingDot = false): string {
    let name = '';
    if (allowLeadingDot && this.isSymbol('.')) {
      this.next();
      name = '.';
    }
    name += this.expectIdent(context).value;
    while (this.isSymbol('.')) {
      this.next();
      name += `.${
        this.expectIdent(`identifier after "." in ${context}`).value
      }`;
    }
    return name;
  }

  private intLit(context: string, allowSign = false): number {
    let sign = 1;
    if (allowSign && (this.isSymbol('-') || this.isSymbol('+'))) {
      if (this.next().value === '-') sign = -1;
    }
    const t = this.peek();
    if (t.kind !== 'int')
      this.fail(`expected ${context} (an integer), found ${this.describe(t)}`);
    this.next();
    let value: number;
    if (/^0[xX]/.test(t.value)) value = parseInt(t.value.slice(2), 16);
    else if (/^0[0-7]+$/.test(t.value)) value = parseInt(t.value.slice(1), 8);
    else if (/^0\d/.test(t.value))
      this.fail(`invalid octal literal ${t.value}`, t);
    else value = parseInt(t.value, 10);
    return sign * value!;
  }

  parseFile(): ProtoFile {
    const file: ProtoFile = {
      imports: [],
      options: [],
      messages: [],
      enums: [],
      services: [],
      extends: [],
    };
    if (this.isKeyword('syntax') || this.isKeyword('edition')) {
      const kw = this.next();
      this.expectSymbol('=', `after "${kw.value}"`);
      const t = this.peek();
      const value = this.expectString(`the ${kw.value}`);
      if (kw.value === 'syntax') {
        if (value !== 'proto2' && value !== 'proto3')
          this.fail(
            `unknown syntax "${value}"; expected "proto3" or "proto2"`,
            t,
          );
        file.syntax = value;
      } else {
        file.edition = value;
      }
      this.expectSymbol(';', `after the ${kw.value} statement`);
    }
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'symbol' && t.value === ';') {
        this.next();
        continue;
      }
      if (t.kind !== 'ident')
        this.fail(
          `expected a top-level declaration, found ${this.describe(t)}`,
        );
      switch (t.value) {
        case 'syntax':
        case 'edition':
          this.fail(`"${t.value}" must be the first statement of the file`);
          break;
        case 'import': {
          this.next();
          let modifier: 'public' | 'weak' | undefined;
          if (this.isKeyword('public') || this.isKeyword('weak'))
            modifier = this.next().value as 'public' | 'weak';
          const path = this.expectString('the imported file');
          this.expectSymbol(';', 'after the import');
          file.imports.push({ path, modifier, line: t.line, column: t.column });
          break;
        }
        case 'package': {
          this.next();
          if (file.package !== undefined)
            this.fail('a file may declare only one package', t);
          file.package = this.fullIdent('the package name');
          this.pkg = file.package;
          this.expectSymbol(';', 'after the package name');
          break;
        }
        case 'option':
          file.options.push(this.optionStatement());
          break;
        case 'message':
          file.messages.push(this.message(this.pkg));
          break;
        case 'enum':
          file.enums.push(this.enumDecl(this.pkg));
          break;
        case 'service':
          file.services.push(this.service());
          break;
        case 'extend':
          file.extends.push(this.extend());
          break;
        default:
          this.fail(
            `unexpected ${this.describe(
              t,
            )}; expected import, package, option, message, enum, service or extend`,
          );
      }
    }
    return file;
  }

  /** optionName = ( ident | "(" fullIdent ")" ) { "." ( ident | "(" fullIdent ")" ) } */
  private optionName(): string {
    const part = () => {
      if (this.isSymbol('(')) {
        this.next();
        const name = this.fullIdent('the extension name', true);
        this.expectSymbol(')', 'after the extension name');
        return `(${name})`;
      }
      return this.expectIdent('an option name').value;
    };
    let name = part();
    while (this.isSymbol('.')) {
      this.next();
      name += `.${part()}`;
    }
    return name;
  }

  /** constant = fullIdent | [-+] intLit | [-+] floatLit | strLit | messageLiteral */
  private constant(): string {
    const t = this.peek();
    if (t.kind === 'string') return this.expectString('a value');
    if (t.kind === 'ident') return this.fullIdent('a value');
    if (this.isSymbol('{')) {
      this.skipAggregate();
      return '{…}';
    }
    let sign = '';
    if (this.isSymbol('-') || this.isSymbol('+'))
      sign = this.next().value === '-' ? '-' : '';
    const v = this.peek();
    if (v.kind === 'int' || v.kind === 'float') {
      this.next();
      return sign + v.value;
    }
    if (v.kind === 'ident' && (v.value === 'inf' || v.value === 'nan')) {
      this.next();
      return sign + v.value;
    }
    return this.fail(`expected a value, found ${this.describe(v)}`);
  }

  /** Skips a text-format message literal `{ … }`, checking brackets balance. */
  private skipAggregate() {
    const open = this.expectSymbol('{', 'to open the message literal');
    const stack = ['}'];
    while (stack.length) {
      const t = this.next();
      if (t.kind === 'eof') this.fail('unterminated message literal', open);
      if (t.kind !== 'symbol') continue;
      if (t.value === '{') stack.push('}');
      else if (t.value === '[') stack.push(']');
      else if (t.value === '<') stack.push('>');
      else if (t.value === '}' || t.value === ']' || t.value === '>') {
        if (stack.pop() !== t.value)
          this.fail(`unbalanced "${t.value}" in message literal`, t);
      }
      if (stack.length > MAX_DEPTH)
        this.fail(`message literal nested deeper than ${MAX_DEPTH} levels`, t);
    }
  }

  private optionStatement(): ProtoOption {
    const t = this.next(); // option
    const name = this.optionName();
    this.expectSymbol('=', `after option ${name}`);
    const value = this.constant();
    this.expectSymbol(';', `after option ${name}`);
    return { name, value, line: t.line, column: t.column };
  }

  /** "[" option { "," option } "]" */
  private compactOptions(): ProtoOption[] {
    const options: ProtoOption[] = [];
    if (!this.isSymbol('[')) return options;
    this.next();
    for (;;) {
      const t = this.peek();
      const name = this.optionName();
      this.expectSymbol('=', `after option ${name}`);
      options.push({
        name,
        value: this.constant(),
        line: t.line,
        column: t.column,
      });
      if (this.isSymbol(',')) {
        this.next();
        continue;
      }
      this.expectSymbol(']', 'to close the options');
      return options;
    }
  }

  private fieldNumber(context: string): number {
    const t = this.peek();
    const n = this.intLit(context);
    if (n < 1 || n > MAX_FIELD_NUMBER)
      this.fail(`field number ${n} is out of range 1..${MAX_FIELD_NUMBER}`, t);
    if (n >= 19000 && n <= 19999)
      this.fail(
        `field number ${n} is reserved for the protobuf implementation (19000-19999)`,
        t,
      );
    return n;
  }

  private message(scope: string): ProtoMessage {
    const kw = this.next(); // message
    this.enter(kw);
    const name = this.expectIdent('a message name').value;
    const fullName = scope ? `${scope}.${name}` : name;
    const msg: ProtoMessage = {
      name,
      fullName,
      fields: [],
      oneofs: [],
      messages: [],
      enums: [],
      reserved: [],
      extensions: [],
      options: [],
      line: kw.line,
      column: kw.column,
    };
    const open = this.expectSymbol('{', `after message ${name}`);
    msg.comment = this.commentOf(kw, open);
    this.body(`message ${name}`, kw, t => {
      if (t.kind === 'ident') {
        switch (t.value) {
          case 'message':
            msg.messages.push(this.message(fullName));
            return;
          case 'enum':
            msg.enums.push(this.enumDecl(fullName));
            return;
          case 'option':
            msg.options.push(this.optionStatement());
            return;
          case 'oneof':
            this.oneof(msg);
            return;
          case 'reserved':
            msg.reserved.push(this.reserved());
            return;
          case 'extensions':
            msg.extensions.push(this.reserved());
            return;
          case 'extend':
            this.extend();
            return;
          default:
            // a field whose type may be a keyword-like identifier (e.g. `string`)
            break;
        }
      }
      msg.fields.push(this.field());
    });
    this.checkFields(msg.fields, name);
    this.leave();
    return msg;
  }

  /**
   * Reads the statements of a `{ … }` body up to its closing brace, skipping
   * empty statements; `statement` consumes one statement starting at `t`.
   */
  private body(
    what: string,
    opener: ProtoToken,
    statement: (t: ProtoToken) => void,
  ) {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'symbol' && t.value === '}') {
        this.next();
        return;
      }
      if (t.kind === 'eof')
        this.fail(`${what} is not closed (missing "}")`, opener);
      if (t.kind === 'symbol' && t.value === ';') {
        this.next();
        continue;
      }
      statement(t);
    }
  }

  private checkFields(fields: ProtoField[], owner: string) {
    const numbers = new Map<number, string>();
    const names = new Set<string>();
    for (const f of fields) {
      const prior = numbers.get(f.number);
      if (prior) {
        throw new ProtoSyntaxError(
          `field number ${f.number} of ${owner}.${f.name} is already used by ${prior}`,
          f.line,
          f.column,
        );
      }
      numbers.set(f.number, f.name);
      if (names.has(f.name))
        throw new ProtoSyntaxError(
          `field ${owner}.${f.name} is declared twice`,
          f.line,
          f.column,
        );
      names.add(f.name);
    }
  }

  private field(oneof?: string): ProtoField {
    const start = this.peek();
    let label: ProtoField['label'];
    if (
      !oneof &&
      (this.isKeyword('repeated') ||
        this.isKeyword('optional') ||
        this.isKeyword('required'))
    ) {
      // `optional` etc. may also be a message type name; a label is followed by a type, not "="
      if (!this.isSymbol('=', 2) || this.isSymbol('.', 1)) {
        label = this.next().value as ProtoField['label'];
      }
    }
    if (this.isKeyword('map') && this.isSymbol('<', 1)) {
      if (label) this.fail('map fields cannot have a label', start);
      this.next();
      this.next();
      const keyType = this.fullIdent('the map key type');
      this.expectSymbol(',', 'between the map key and value types');
      const valueType = this.fullIdent('the map value type', true);
      this.expectSymbol('>', 'to close the map type');
      const name = this.expectIdent('the map field name').value;
      this.expectSymbol('=', `after field ${name}`);
      const number = this.fieldNumber(`the number of field ${name}`);
      const options = this.compactOptions();
      const semi = this.expectSymbol(';', `after field ${name}`);
      return {
        comment: this.commentOf(start, semi),
        name,
        type: `map<${keyType}, ${valueType}>`,
        number,
        map: { keyType, valueType },
        options,
        oneof,
        line: start.line,
        column: start.column,
      };
    }
    if (this.isKeyword('group'))
      this.fail('groups are not supported (proto2 only and deprecated)');
    const t = this.peek();
    if (t.kind !== 'ident' && !(t.kind === 'symbol' && t.value === '.')) {
      this.fail(`expected a field type, found ${this.describe(t)}`);
    }
    const type = this.fullIdent('a field type', true);
    const nameTok = this.peek();
    if (nameTok.kind !== 'ident')
      this.fail(
        `expected a field name after type ${type}, found ${this.describe(
          nameTok,
        )}`,
      );
    const name = this.next().value;
    this.expectSymbol('=', `after field ${name}`);
    const number = this.fieldNumber(`the number of field ${name}`);
    const options = this.compactOptions();
    const semi = this.expectSymbol(';', `after field ${name}`);
    return {
      comment: this.commentOf(start, semi),
      name,
      type,
      number,
      label,
      options,
      oneof,
      line: start.line,
      column: start.column,
    };
  }

  private oneof(msg: ProtoMessage) {
    const kw = this.next();
    const name = this.expectIdent('a oneof name').value;
    msg.oneofs.push(name);
    this.expectSymbol('{', `after oneof ${name}`);
    this.body(`oneof ${name}`, kw, () => {
      if (this.isKeyword('option')) {
        this.optionStatement();
        return;
      }
      if (this.isKeyword('repeated') && !this.isSymbol('=', 2))
        this.fail('oneof fields cannot be repeated');
      msg.fields.push(this.field(name));
    });
  }

  /** reserved = "reserved" ( ranges | strFieldNames | identifiers ) ";" (also `extensions`) */
  private reserved(): ProtoReserved {
    const kw = this.next();
    const out: ProtoReserved = {
      ranges: [],
      names: [],
      line: kw.line,
      column: kw.column,
    };
    for (;;) {
      const t = this.peek();
      if (t.kind === 'string') out.names.push(this.next().value);
      else if (t.kind === 'ident' && kw.value === 'reserved')
        out.names.push(this.next().value);
      else {
        const start = this.intLit(
          `a ${kw.value} number or range`,
          kw.value === 'reserved',
        );
        let end = start;
        if (this.isKeyword('to')) {
          this.next();
          if (this.isKeyword('max')) {
            this.next();
            end = MAX_FIELD_NUMBER;
          } else {
            end = this.intLit('the end of the range', true);
          }
        }
        if (end < start) this.fail(`range ${start} to ${end} is empty`, t);
        out.ranges.push({ start, end });
      }
      if (this.isSymbol(',')) {
        this.next();
        continue;
      }
      break;
    }
    if (kw.value === 'extensions') this.compactOptions();
    this.expectSymbol(';', `after ${kw.value}`);
    return out;
  }

  private enumDecl(scope: string): ProtoEnum {
    const kw = this.next();
    this.enter(kw);
    const name = this.expectIdent('an enum name').value;
    const e: ProtoEnum = {
      name,
      fullName: scope ? `${scope}.${name}` : name,
      values: [],
      reserved: [],
      options: [],
      line: kw.line,
      column: kw.column,
    };
    const open = this.expectSymbol('{', `after enum ${name}`);
    e.comment = this.commentOf(kw, open);
    this.body(`enum ${name}`, kw, t => {
      if (this.isKeyword('option') && !this.isSymbol('=', 1)) {
        e.options.push(this.optionStatement());
        return;
      }
      if (this.isKeyword('reserved') && !this.isSymbol('=', 1)) {
        e.reserved.push(this.reserved());
        return;
      }
      const valueName = this.expectIdent(
        `an enum value name in enum ${name}`,
      ).value;
      this.expectSymbol('=', `after enum value ${valueName}`);
      const number = this.intLit(`the number of enum value ${valueName}`, true);
      const options = this.compactOptions();
      const semi = this.expectSymbol(';', `after enum value ${valueName}`);
      e.values.push({
        comment: this.commentOf(t, semi),
        name: valueName,
        number,
        options,
        line: t.line,
        column: t.column,
      });
    });
    if (e.values.length === 0) this.fail(`enum ${name} has no values`, kw);
    this.leave();
    return e;
  }

  private service(): ProtoService {
    const kw = this.next();
    const name = this.expectIdent('a service name').value;
    const svc: ProtoService = {
      name,
      rpcs: [],
      options: [],
      line: kw.line,
      column: kw.column,
    };
    const open = this.expectSymbol('{', `after service ${name}`);
    svc.comment = this.commentOf(kw, open);
    this.body(`service ${name}`, kw, t => {
      if (this.isKeyword('option')) {
        svc.options.push(this.optionStatement());
        return;
      }
      if (!this.isKeyword('rpc'))
        this.fail(
          `expected "rpc" or "option" in service ${name}, found ${this.describe(
            t,
          )}`,
        );
      svc.rpcs.push(this.rpc());
    });
    return svc;
  }

  private rpc(): ProtoRpc {
    const kw = this.next();
    const name = this.expectIdent('an rpc name').value;
    const messageType = (context: string) => {
      this.expectSymbol('(', `before the ${context} of rpc ${name}`);
      let stream = false;
      if (this.isKeyword('stream') && !this.isSymbol(')', 1)) {
        this.next();
        stream = true;
      }
      const type = this.fullIdent(`the ${context} type of rpc ${name}`, true);
      this.expectSymbol(')', `after the ${context} type of rpc ${name}`);
      return { type, stream };
    };
    const req = messageType('request');
    if (!this.isKeyword('returns'))
      this.fail(
        `expected "returns" in rpc ${name}, found ${this.describe(
          this.peek(),
        )}`,
      );
    this.next();
    const res = messageType('response');
    const options: ProtoOption[] = [];
    let end: ProtoToken;
    if (this.isSymbol('{')) {
      const open = this.next();
      end = open;
      this.body(`rpc ${name}`, open, t => {
        if (!this.isKeyword('option'))
          this.fail(
            `expected "option" in rpc ${name}, found ${this.describe(t)}`,
          );
        options.push(this.optionStatement());
      });
    } else {
      end = this.expectSymbol(';', `after rpc ${name}`);
    }
    return {
      comment: this.commentOf(kw, end),
      name,
      requestType: req.type,
      responseType: res.type,
      clientStreaming: req.stream,
      serverStreaming: res.stream,
      options,
      line: kw.line,
      column: kw.column,
    };
  }

  private extend(): ProtoFile['extends'][number] {
    const kw = this.next();
    this.enter(kw);
    const extendee = this.fullIdent('the extended type', true);
    this.expectSymbol('{', `after extend ${extendee}`);
    const fields: ProtoField[] = [];
    this.body(`extend ${extendee}`, kw, () => {
      fields.push(this.field());
    });
    this.leave();
    return { extendee, fields, line: kw.line, column: kw.column };
  }
}

/**
 * Parses a `.proto` file (proto3, proto2 without groups, editions syntax) into
 * its declarations. Throws {@link ProtoSyntaxError} with the line and column of
 * the first problem. Files over `maxBytes` are refused before tokenizing.
 *
 * @public
 */
export function parseProto(
  source: string,
  options: { maxBytes?: number } = {},
): ProtoFile {
  const tokens = tokenizeProto(
    source,
    options.maxBytes ?? DEFAULT_MAX_PROTO_BYTES,
  );
  return new Parser(tokens).parseFile();
}
