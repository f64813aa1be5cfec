import fs from 'node:fs';
import path from 'node:path';
import { parseProto } from './parser';
import { ProtoSyntaxError, tokenizeProto } from './tokenizer';

const fixture = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../../golden-path-backend/src/__fixtures__/monorepo/api/proto/order/v1/order_service.proto',
  ),
  'utf8',
);

function syntaxError(source: string): ProtoSyntaxError {
  try {
    parseProto(source);
  } catch (e) {
    if (e instanceof ProtoSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('parseProto', () => {
  it('reads a realistic service file', () => {
    const file = parseProto(fixture);
    expect(file.syntax).toBe('proto3');
    expect(file.package).toBe('order.v1');
    expect(file.imports).toEqual([
      expect.objectContaining({
        path: 'google/protobuf/timestamp.proto',
        line: 5,
      }),
    ]);
    expect(file.options).toEqual([
      expect.objectContaining({
        name: 'go_package',
        value: 'github.com/acme/shop/gen/go/order/v1;orderv1',
      }),
    ]);
    expect(file.services).toHaveLength(1);
    const svc = file.services[0];
    expect(svc.name).toBe('OrderService');
    expect(svc.rpcs.map(r => r.name)).toEqual([
      'CreateOrder',
      'GetOrder',
      'ListOrders',
      'Orders',
    ]);
    expect(svc.rpcs[1].options).toEqual([
      expect.objectContaining({
        name: 'idempotency_level',
        value: 'NO_SIDE_EFFECTS',
      }),
    ]);
    expect(svc.rpcs[2]).toMatchObject({
      clientStreaming: false,
      serverStreaming: true,
      responseType: 'ListOrdersResponse',
    });
    const order = file.messages.find(m => m.name === 'Order')!;
    expect(order.fullName).toBe('order.v1.Order');
    expect(order.fields.map(f => [f.name, f.number])).toEqual([
      ['id', 1],
      ['status', 2],
      ['created_at', 3],
      ['updated_at', 4],
      ['items', 5],
      ['labels', 6],
      ['card_token', 7],
      ['voucher_code', 8],
    ]);
    expect(order.fields.find(f => f.name === 'items')).toMatchObject({
      label: 'repeated',
      type: 'Item',
      options: [{ name: 'deprecated', value: 'true' }],
    });
    expect(order.fields.find(f => f.name === 'labels')?.map).toEqual({
      keyType: 'string',
      valueType: 'string',
    });
    expect(order.fields.find(f => f.name === 'card_token')?.oneof).toBe(
      'payment',
    );
    expect(order.reserved).toEqual([
      expect.objectContaining({
        ranges: [
          { start: 9, end: 9 },
          { start: 15, end: 536870911 },
        ],
      }),
      expect.objectContaining({ names: ['legacy'] }),
    ]);
    expect(order.messages[0].fullName).toBe('order.v1.Order.Item');
    expect(file.enums.map(e => e.name)).toEqual(['OrderStatus', 'Channel']);
    expect(file.enums[0].reserved[0].ranges).toEqual([
      { start: 3, end: 3 },
      { start: 10, end: 20 },
    ]);
  });

  it('reads the rest of the grammar: edition-less proto2 labels, extensions, extend, aggregate options, comments', () => {
    const file = parseProto(`
      /* header */ syntax = 'proto2';
      package a.b.v1; // trailing
      import public "x.proto";
      import weak "y.proto";
      option (my.opt).field = { a: 1 b: [2, 3] c { d: "}" } };
      message M {
        optional string name = 1 [default = "a" "b", (ext) = -1.5e3];
        required int32 n = 0x2;
        extensions 100 to 199;
        message optional { }
        optional optional o = 3;
        enum E { option allow_alias = true; E_UNSPECIFIED = 0; E_ONE = 1; E_UNO = 1 [deprecated = true]; }
        ;
      }
      extend M { optional int32 extra = 100; }
      service S { option deprecated = true; rpc Do(stream .a.b.v1.M) returns (M) {} }
    `);
    expect(file.syntax).toBe('proto2');
    expect(file.imports.map(i => [i.path, i.modifier])).toEqual([
      ['x.proto', 'public'],
      ['y.proto', 'weak'],
    ]);
    expect(file.options[0]).toMatchObject({
      name: '(my.opt).field',
      value: '{…}',
    });
    const m = file.messages[0];
    expect(m.fields[0]).toMatchObject({
      label: 'optional',
      options: [
        { name: 'default', value: 'ab' },
        { name: '(ext)', value: '-1.5e3' },
      ],
    });
    expect(m.fields[1]).toMatchObject({ label: 'required', number: 2 });
    expect(m.fields[2]).toMatchObject({
      label: 'optional',
      type: 'optional',
      name: 'o',
    });
    expect(m.extensions[0].ranges).toEqual([{ start: 100, end: 199 }]);
    expect(m.enums[0].values.map(v => v.name)).toEqual([
      'E_UNSPECIFIED',
      'E_ONE',
      'E_UNO',
    ]);
    expect(file.extends[0]).toMatchObject({
      extendee: 'M',
      fields: [expect.objectContaining({ name: 'extra' })],
    });
    expect(file.services[0].rpcs[0]).toMatchObject({
      clientStreaming: true,
      requestType: '.a.b.v1.M',
    });
  });

  it.each([
    [
      'a missing semicolon',
      'syntax = "proto3"\npackage a.v1;',
      2,
      1,
      'expected ";" after the syntax statement, found "package"',
    ],
    [
      'an unterminated string',
      'syntax = "proto3;\n',
      1,
      10,
      'unterminated string',
    ],
    [
      'an unterminated comment',
      'syntax = "proto3";\n/* never closed',
      2,
      1,
      'unterminated block comment',
    ],
    [
      'an unknown character',
      'syntax = "proto3";\nmessage A { string a = 1; } @',
      2,
      29,
      'unexpected "@"',
    ],
    [
      'an unknown syntax',
      'syntax = "proto4";',
      1,
      10,
      'unknown syntax "proto4"',
    ],
    [
      'a late syntax statement',
      'package a;\nsyntax = "proto3";',
      2,
      1,
      '"syntax" must be the first statement',
    ],
    [
      'an unclosed message',
      'syntax = "proto3";\nmessage A {\n  string a = 1;\n',
      2,
      1,
      'message A is not closed',
    ],
    [
      'a duplicate field number',
      'message A {\n  string a = 1;\n  string b = 1;\n}',
      3,
      3,
      'field number 1 of A.b is already used by a',
    ],
    [
      'a duplicate field name',
      'message A {\n  string a = 1;\n  int32 a = 2;\n}',
      3,
      3,
      'field A.a is declared twice',
    ],
    [
      'field number zero',
      'message A { string a = 0; }',
      1,
      24,
      'field number 0 is out of range',
    ],
    [
      'a reserved implementation number',
      'message A { string a = 19000; }',
      1,
      24,
      'reserved for the protobuf implementation',
    ],
    [
      'a field without a number',
      'message A { string a; }',
      1,
      21,
      'expected "=" after field a, found ";"',
    ],
    ['an empty enum', 'enum E {}', 1, 1, 'enum E has no values'],
    [
      'an rpc without returns',
      'service S { rpc A(B) (C); }',
      1,
      22,
      'expected "returns" in rpc A',
    ],
    [
      'a stray top-level token',
      'syntax = "proto3";\n}',
      2,
      1,
      'expected a top-level declaration, found "}"',
    ],
    [
      'a repeated oneof member',
      'message A { oneof o { repeated string a = 1; } }',
      1,
      23,
      'oneof fields cannot be repeated',
    ],
    [
      'an empty range',
      'message A { reserved 5 to 2; }',
      1,
      22,
      'range 5 to 2 is empty',
    ],
    ['a bad escape', 'option a = "\\q";', 1, 13, 'unknown escape \\q'],
    [
      'a two package statements',
      'package a;\npackage b;',
      2,
      1,
      'only one package',
    ],
    [
      'a malformed number',
      'message A { string a = 12ab; }',
      1,
      26,
      'after number',
    ],
  ])(
    'reports %s with its position',
    (_label, source, line, column, message) => {
      const e = syntaxError(source);
      expect(e.message).toContain(message);
      expect({ line: e.line, column: e.column }).toEqual({ line, column });
    },
  );

  it('refuses deep nesting instead of overflowing the stack', () => {
    const source = `${'message A { '.repeat(200)}${'} '.repeat(200)}`;
    expect(syntaxError(source).message).toContain(
      'nesting deeper than 64 levels',
    );
  });

  it('refuses a 10 MB file quickly, before tokenizing', () => {
    const big = `syntax = "proto3";\n${'// padding padding padding padding padding padding\n'.repeat(
      200_000,
    )}`;
    expect(big.length).toBeGreaterThan(10_000_000);
    const start = process.hrtime.bigint();
    expect(() => parseProto(big)).toThrow(
      /larger than the limit of 1048576 bytes/,
    );
    // measuring the string's UTF-8 size is all it costs (~30 ms; room for a busy machine)
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(500);
  });

  it('rejects binary content at the first control byte', () => {
    const binary = Buffer.from([
      0x73, 0x79, 0x6e, 0x00, 0x01, 0x02, 0xff, 0xfe,
    ]).toString('latin1');
    const e = syntaxError(binary);
    expect(e.message).toMatch(/unexpected NUL byte/);
    expect(e.column).toBe(4);
  });

  it('tokenizes numbers, strings and comments', () => {
    const tokens = tokenizeProto(
      'a = -0x1F; b = 1.5e-3; // c\n d = "\\x41\\101\\u00e9";',
    );
    expect(tokens.map(t => t.value)).toEqual([
      'a',
      '=',
      '-',
      '0x1F',
      ';',
      'b',
      '=',
      '1.5e-3',
      ';',
      'd',
      '=',
      'AAé',
      ';',
      '',
    ]);
    expect(tokens.find(t => t.value === 'd')).toMatchObject({
      line: 2,
      column: 2,
    });
  });
});
