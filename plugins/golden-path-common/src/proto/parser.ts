import { PROTO_SCALAR_TYPES } from './scalarTypes';
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
/** Largest extension number of a MessageSet (`message_set_wire_format`), as protoc allows: 2^31 - 2. */
const MAX_MESSAGE_SET_NUMBER = 2147483646;
/** Largest enum value (int32). */
const MAX_ENUM_NUMBER = 2147483647;
const MAX_DEPTH = 64;

/** A range of a message's `reserved` or `extensions` statement, with where it was written and whether it ended in `max`. */
interface RangeSource {
  range: { start: number; end: number };
  /** The tokens of its start and end (the same for a single number). */
  token: ProtoToken;
  endToken: ProtoToken;
  toMax: boolean;
}

/** An `extend` block (top-level or nested), with the scope its names resolve in. */
interface ExtendSource {
  extendee: string;
  fields: ProtoField[];
  scope: string;
  token: ProtoToken;
}

function isMessageSet(msg: ProtoMessage): boolean {
  return msg.options.some(
    o => o.name === 'message_set_wire_format' && o.value === 'true',
  );
}

class Parser {
  private pos = 0;
  private depth = 0;
  private pkg = '';
  private syntax?: string;
  private edition?: string;
  /** Ranges of messages' `reserved` and `extensions` statements, checked once the message's options are known. */
  private readonly messageRanges = new Map<ProtoReserved, RangeSource[]>();
  /** Every extend block, checked against the extended message at the end. */
  private readonly extendBlocks: ExtendSource[] = [];

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
        this.syntax = value;
      } else {
        file.edition = value;
        this.edition = value;
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
          if (this.isKeyword('public') || this.isKeyword('weak')) {
            const m = this.peek();
            modifier = this.next().value as 'public' | 'weak';
            if (modifier === 'weak' && this.editionAtLeast2024())
              this.fail(
                `"import weak" is not allowed in edition ${this.edition}`,
                m,
              );
          } else if (this.isKeyword('option')) {
            // edition 2024 `import option`: the file is needed for custom options only;
            // listed as a plain import (its types are not usable in fields, protoc checks that)
            this.requireEdition2024('"import option"');
            this.next();
          }
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
        case 'export':
        case 'local':
          this.visibility();
          if (this.isKeyword('message'))
            file.messages.push(this.message(this.pkg));
          else file.enums.push(this.enumDecl(this.pkg));
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
          file.extends.push(this.extend(this.pkg, file.messages));
          break;
        default:
          this.fail(
            `unexpected ${this.describe(
              t,
            )}; expected import, package, option, message, enum, service or extend`,
          );
      }
    }
    this.checkExtends(file);
    return file;
  }

  private editionAtLeast2024(): boolean {
    return this.edition !== undefined && Number(this.edition) >= 2024;
  }

  private requireEdition2024(what: string, t: ProtoToken = this.peek()) {
    if (this.editionAtLeast2024()) return;
    const current = this.edition
      ? `edition ${this.edition}`
      : `"${this.syntax ?? 'proto2'}"`;
    this.fail(`${what} requires edition 2024 or later, not ${current}`, t);
  }

  /**
   * Consumes an edition 2024 visibility modifier (`export` or `local`), which
   * must precede a message or enum declaration.
   */
  private visibility() {
    const t = this.next();
    this.requireEdition2024(`"${t.value}"`, t);
    if (!this.isKeyword('message') && !this.isKeyword('enum'))
      this.fail(
        `"${t.value}" applies to a message or enum, found ${this.describe(
          this.peek(),
        )}`,
        t,
      );
  }

  /** Whether `export`/`local` at the current token starts a nested message or enum (not a field of that type). */
  private atVisibilityModifier(): boolean {
    return (
      (this.isKeyword('export') || this.isKeyword('local')) &&
      (this.isKeyword('message', 1) || this.isKeyword('enum', 1)) &&
      this.peek(2).kind === 'ident' &&
      this.isSymbol('{', 3)
    );
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

  private fieldNumber(context: string, max = MAX_FIELD_NUMBER): number {
    const t = this.peek();
    const n = this.intLit(context);
    if (n < 1 || n > max)
      this.fail(`field number ${n} is out of range 1..${max}`, t);
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
    const msg = this.newMessage(name, scope, kw);
    const open = this.expectSymbol('{', `after message ${name}`);
    msg.comment = this.commentOf(kw, open);
    this.messageBody(msg, `message ${name}`, kw);
    this.leave();
    return msg;
  }

  private newMessage(
    name: string,
    scope: string,
    at: ProtoToken,
  ): ProtoMessage {
    const fullName = scope ? `${scope}.${name}` : name;
    return {
      name,
      fullName,
      fields: [],
      oneofs: [],
      messages: [],
      enums: [],
      reserved: [],
      extensions: [],
      options: [],
      line: at.line,
      column: at.column,
    };
  }

  /** The statements of a message (or group) body after its `{`, through its `}`. */
  private messageBody(msg: ProtoMessage, what: string, opener: ProtoToken) {
    const fullName = msg.fullName;
    this.body(what, opener, () => {
      if (this.atVisibilityModifier()) this.visibility();
      const d = this.peek();
      if (d.kind === 'ident') {
        switch (d.value) {
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
            msg.reserved.push(this.reserved('message'));
            return;
          case 'extensions':
            msg.extensions.push(this.reserved('message'));
            return;
          case 'extend':
            // nested extensions are not listed; a group they declare is a nested message
            this.extend(fullName, msg.messages);
            return;
          default:
            // a field whose type may be a keyword-like identifier (e.g. `string`)
            break;
        }
      }
      msg.fields.push(this.field(undefined, fullName, msg.messages));
    });
    this.checkFields(msg.fields, msg.name);
    this.checkMessageSet(msg);
  }

  /**
   * Field numbers of a message's `reserved` and `extensions` ranges lie in
   * 1..2^29 - 1, or up to 2^31 - 2 in a MessageSet; `max` is that limit.
   */
  private checkRanges(msg: ProtoMessage, messageSet: boolean) {
    const limit = messageSet ? MAX_MESSAGE_SET_NUMBER : MAX_FIELD_NUMBER;
    for (const statement of [...msg.reserved, ...msg.extensions]) {
      for (const { range, token, endToken, toMax } of this.messageRanges.get(
        statement,
      ) ?? []) {
        if (toMax) range.end = limit;
        if (range.end < range.start)
          this.fail(`range ${range.start} to ${range.end} is empty`, token);
        if (range.start < 1 || range.end > limit)
          this.fail(
            `range ${range.start} to ${range.end} is out of range 1..${limit}${
              messageSet ? ' (MessageSet)' : ''
            }`,
            range.start < 1 ? token : endToken,
          );
      }
      this.messageRanges.delete(statement);
    }
  }

  /**
   * MessageSet (`option message_set_wire_format = true;`): extension numbers
   * go up to 2^31 - 2, and it declares extension ranges but no fields.
   */
  private checkMessageSet(msg: ProtoMessage) {
    const messageSet = isMessageSet(msg);
    this.checkRanges(msg, messageSet);
    if (!messageSet) return;
    const at = msg.options.find(o => o.name === 'message_set_wire_format')!;
    if (this.syntax === 'proto3')
      throw new ProtoSyntaxError(
        `message ${msg.name}: MessageSet (message_set_wire_format) is not supported in proto3`,
        at.line,
        at.column,
      );
    if (msg.fields.length)
      throw new ProtoSyntaxError(
        `MessageSet ${msg.name} cannot declare fields, only extensions (${msg.fields[0].name})`,
        msg.fields[0].line,
        msg.fields[0].column,
      );
    if (!msg.extensions.length)
      throw new ProtoSyntaxError(
        `MessageSet ${msg.name} declares no extension ranges`,
        at.line,
        at.column,
      );
  }

  /**
   * Checks extension field numbers against the extended message when this
   * file declares it: up to 2^31 - 2 for a MessageSet (whose extensions must
   * be non-repeated messages), else up to 2^29 - 1. Extensions of messages of
   * other files are allowed the MessageSet limit, as the file alone cannot
   * tell.
   */
  private checkExtends(file: ProtoFile) {
    const byName = new Map<string, ProtoMessage>();
    const index = (messages: ProtoMessage[]) => {
      for (const m of messages) {
        byName.set(m.fullName, m);
        index(m.messages);
      }
    };
    index(file.messages);
    for (const ext of this.extendBlocks) {
      const target = this.lookup(byName, ext.extendee, ext.scope);
      if (!target) continue;
      const messageSet = isMessageSet(target);
      for (const f of ext.fields) {
        const fail = (message: string) => {
          throw new ProtoSyntaxError(message, f.line, f.column);
        };
        if (!messageSet && f.number > MAX_FIELD_NUMBER)
          fail(
            `field number ${f.number} of extension ${f.name} is out of range 1..${MAX_FIELD_NUMBER} (${target.fullName} is not a MessageSet)`,
          );
        if (messageSet && f.label === 'repeated')
          fail(
            `extension ${f.name} of MessageSet ${target.fullName} cannot be repeated`,
          );
        if (messageSet && (PROTO_SCALAR_TYPES.has(f.type) || f.map))
          fail(
            `extension ${f.name} of MessageSet ${target.fullName} must be a message, not ${f.type}`,
          );
      }
    }
  }

  /** The message `name` refers to from `scope`, if this file declares it (protobuf's scoping, inner first). */
  private lookup(
    byName: Map<string, ProtoMessage>,
    name: string,
    scope: string,
  ): ProtoMessage | undefined {
    if (name.startsWith('.')) return byName.get(name.slice(1));
    const parts = scope ? scope.split('.') : [];
    for (let n = parts.length; n >= 0; n--) {
      const prefix = parts.slice(0, n).join('.');
      const found = byName.get(prefix ? `${prefix}.${name}` : name);
      if (found) return found;
    }
    return undefined;
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

  /**
   * A field; `scope` and `nested` are where a group's message type goes (the
   * message holding the field, or the scope of an extend block).
   * `extension` allows MessageSet numbers, checked against the extendee later.
   */
  private field(
    oneof: string | undefined,
    scope: string,
    nested: ProtoMessage[],
    extension = false,
  ): ProtoField {
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
    if (
      this.isKeyword('group') &&
      this.peek(1).kind === 'ident' &&
      this.isSymbol('=', 2)
    )
      return this.group(start, label, oneof, scope, nested, extension);
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
    const number = this.fieldNumber(
      `the number of field ${name}`,
      extension ? MAX_MESSAGE_SET_NUMBER : MAX_FIELD_NUMBER,
    );
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

  /**
   * A proto2 group: `label "group" Name "=" number [options] messageBody`.
   * Like protoc, it declares a message type `Name` (nested in `scope`) and a
   * field of that type named `name` (lowercased), whose number and label are
   * the group's.
   */
  private group(
    start: ProtoToken,
    label: ProtoField['label'],
    oneof: string | undefined,
    scope: string,
    nested: ProtoMessage[],
    extension: boolean,
  ): ProtoField {
    const kw = this.next(); // group
    if (this.syntax !== 'proto2' && (this.syntax || this.edition))
      this.fail(
        `groups are not supported in ${
          this.edition ? `edition ${this.edition}` : this.syntax
        } (proto2 only; editions use message fields with features.message_encoding = DELIMITED)`,
        kw,
      );
    if (!oneof && !label)
      this.fail(
        'a group needs a label (optional, required or repeated)',
        start,
      );
    this.enter(kw);
    const nameTok = this.next();
    const typeName = nameTok.value;
    if (!/^[A-Z]/.test(typeName))
      this.fail(
        `group name ${typeName} must start with an uppercase letter`,
        nameTok,
      );
    const name = typeName.toLowerCase();
    this.expectSymbol('=', `after group ${typeName}`);
    const number = this.fieldNumber(
      `the number of group ${typeName}`,
      extension ? MAX_MESSAGE_SET_NUMBER : MAX_FIELD_NUMBER,
    );
    const options = this.compactOptions();
    const open = this.expectSymbol('{', `after group ${typeName}`);
    const msg = this.newMessage(typeName, scope, kw);
    msg.comment = this.commentOf(start, open);
    this.messageBody(msg, `group ${typeName}`, kw);
    this.leave();
    nested.push(msg);
    return {
      comment: msg.comment,
      name,
      type: typeName,
      number,
      label,
      options,
      oneof,
      line: start.line,
      column: start.column,
    };
  }

  private oneof(msg: ProtoMessage) {
    const scope = msg.fullName;
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
      msg.fields.push(this.field(name, scope, msg.messages));
    });
  }

  /**
   * reserved = "reserved" ( ranges | strFieldNames | identifiers ) ";" (also
   * `extensions`). `max` is 2^31 - 1 for an enum; a message's ranges are
   * checked (and `max` set) by {@link Parser.checkRanges} once its options are known.
   */
  private reserved(owner: 'message' | 'enum'): ProtoReserved {
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
        let toMax = false;
        let endToken = t;
        if (this.isKeyword('to')) {
          this.next();
          endToken = this.peek();
          if (this.isKeyword('max')) {
            this.next();
            end = owner === 'enum' ? MAX_ENUM_NUMBER : MAX_FIELD_NUMBER;
            toMax = true;
          } else {
            end = this.intLit('the end of the range', true);
          }
        }
        if (end < start && !(toMax && owner === 'message'))
          this.fail(`range ${start} to ${end} is empty`, t);
        const range = { start, end };
        out.ranges.push(range);
        if (owner === 'message') {
          const sources = this.messageRanges.get(out) ?? [];
          sources.push({ range, token: t, endToken, toMax });
          this.messageRanges.set(out, sources);
        }
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
        e.reserved.push(this.reserved('enum'));
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

  /** An extend block; groups it declares become messages of `nested`, in `scope`. */
  private extend(
    scope: string,
    nested: ProtoMessage[],
  ): ProtoFile['extends'][number] {
    const kw = this.next();
    this.enter(kw);
    const extendee = this.fullIdent('the extended type', true);
    this.expectSymbol('{', `after extend ${extendee}`);
    const fields: ProtoField[] = [];
    this.body(`extend ${extendee}`, kw, () => {
      fields.push(this.field(undefined, scope, nested, true));
    });
    this.checkFields(fields, `extend ${extendee}`);
    this.extendBlocks.push({ extendee, fields, scope, token: kw });
    this.leave();
    return { extendee, fields, line: kw.line, column: kw.column };
  }
}

/**
 * Parses a `.proto` file (proto3, proto2 with groups, editions up to 2024) into
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
