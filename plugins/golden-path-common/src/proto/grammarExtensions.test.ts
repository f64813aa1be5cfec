import { parseProto, ProtoFile, ProtoMessage } from './parser';
import { ProtoSyntaxError } from './tokenizer';

// Every source below was checked with `buf build` (v1.75): the accepted ones
// build, the refused ones fail at the same construct.

function syntaxError(source: string): ProtoSyntaxError {
  try {
    parseProto(source);
  } catch (e) {
    if (e instanceof ProtoSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

function allMessages(file: ProtoFile): ProtoMessage[] {
  const out: ProtoMessage[] = [];
  const visit = (ms: ProtoMessage[]) =>
    ms.forEach(m => {
      out.push(m);
      visit(m.messages);
    });
  visit(file.messages);
  return out;
}
const groups = `syntax = "proto2";
package search.v1;
message SearchResponse {
  // Result is one hit.
  repeated group Result = 1 {
    required string url = 2;
    optional string title = 3;
    repeated string snippets = 4;
  }
  optional group Meta = 5 [deprecated = true] {
    optional int32 total = 1;
    optional group Timing = 2 { optional int64 micros = 1; }
  }
  oneof paging { group Cursor = 6 { optional bytes token = 1; } }
  extensions 100 to 199;
  extend SearchResponse { optional group Debug = 150 { optional string trace = 1; } }
}
extend SearchResponse {
  optional group Extra = 100 { optional string note = 1; }
  repeated group Tag = 101 { required string key = 1; }
}
`;
const edition2024 = `edition = "2024";
package vis.v1;
import option "google/protobuf/descriptor.proto";
export message Public {
  local message Hidden { int32 a = 1; }
  export enum Kind { KIND_UNSPECIFIED = 0; }
  Hidden hidden = 1;
}
local message Internal {}
export enum Color { COLOR_UNSPECIFIED = 0; }
local enum Shade { SHADE_UNSPECIFIED = 0; }
`;
const messageSet = `syntax = "proto2";
package ms.v1;
message Container {
  option message_set_wire_format = true;
  extensions 4 to max;
}
message Item {
  extend Container { optional Item item = 2147483646; }
}
message Other {}
extend Container { optional Other other = 1000000000; }
extend .ms.v1.Container { optional Other other2 = 536870912; }
`;
const messageSetReserved = `syntax = "proto2";
package ms.v1;
message Container {
  option message_set_wire_format = true;
  extensions 4 to 1000000000;
  reserved 1000000001 to max;
}
`;

describe('proto2 groups', () => {
  it('declares a nested message named as the group and a lowercase field of that type', () => {
    const file = parseProto(groups);
    const response = file.messages.find(m => m.name === 'SearchResponse')!;
    expect(
      response.fields.map(f => [f.name, f.type, f.number, f.label, f.oneof]),
    ).toEqual([
      ['result', 'Result', 1, 'repeated', undefined],
      ['meta', 'Meta', 5, 'optional', undefined],
      ['cursor', 'Cursor', 6, undefined, 'paging'],
    ]);
    expect(response.fields[1].options).toEqual([
      expect.objectContaining({ name: 'deprecated', value: 'true' }),
    ]);
    const result = response.messages.find(m => m.name === 'Result')!;
    expect(result).toMatchObject({
      fullName: 'search.v1.SearchResponse.Result',
      comment: 'Result is one hit.',
      line: 5,
    });
    expect(result.fields.map(f => [f.label, f.type, f.name, f.number])).toEqual(
      [
        ['required', 'string', 'url', 2],
        ['optional', 'string', 'title', 3],
        ['repeated', 'string', 'snippets', 4],
      ],
    );
    expect(allMessages(file).map(m => m.fullName)).toEqual([
      'search.v1.SearchResponse',
      'search.v1.SearchResponse.Result',
      'search.v1.SearchResponse.Meta',
      'search.v1.SearchResponse.Meta.Timing',
      'search.v1.SearchResponse.Cursor',
      'search.v1.SearchResponse.Debug',
      'search.v1.Extra',
      'search.v1.Tag',
    ]);
  });

  it('reads groups in extend blocks as extension fields', () => {
    const file = parseProto(groups);
    expect(file.extends).toHaveLength(1);
    expect(
      file.extends[0].fields.map(f => [f.label, f.name, f.type, f.number]),
    ).toEqual([
      ['optional', 'extra', 'Extra', 100],
      ['repeated', 'tag', 'Tag', 101],
    ]);
    const tag = file.messages.find(m => m.name === 'Tag')!;
    expect(tag.fields).toEqual([
      expect.objectContaining({ label: 'required', name: 'key', number: 1 }),
    ]);
  });
});

describe('edition 2024', () => {
  it('reads import option and export/local visibility', () => {
    const file = parseProto(edition2024);
    expect(file.edition).toBe('2024');
    expect(file.imports).toEqual([
      expect.objectContaining({
        path: 'google/protobuf/descriptor.proto',
        line: 3,
      }),
    ]);
    expect(allMessages(file).map(m => m.fullName)).toEqual([
      'vis.v1.Public',
      'vis.v1.Public.Hidden',
      'vis.v1.Internal',
    ]);
    expect(file.messages[0].enums.map(e => e.fullName)).toEqual([
      'vis.v1.Public.Kind',
    ]);
    expect(file.messages[0].fields.map(f => [f.type, f.name])).toEqual([
      ['Hidden', 'hidden'],
    ]);
    expect(file.enums.map(e => e.name)).toEqual(['Color', 'Shade']);
  });

  it('still reads export and local as field types and names', () => {
    const file = parseProto(
      'edition = "2024";\noption features.enforce_naming_style = STYLE_LEGACY;\nmessage A { export local = 1; local.B export = 2; }\nmessage export {}\nmessage local { message B {} }',
    );
    expect(file.messages[0].fields.map(f => [f.type, f.name])).toEqual([
      ['export', 'local'],
      ['local.B', 'export'],
    ]);
  });
});

describe('MessageSet', () => {
  it('allows extension numbers up to 2^31 - 2, which max means', () => {
    const file = parseProto(messageSet);
    expect(file.messages[0].extensions[0].ranges).toEqual([
      { start: 4, end: 2147483646 },
    ]);
    expect(file.extends.map(e => [e.extendee, e.fields[0].number])).toEqual([
      ['Container', 1000000000],
      ['.ms.v1.Container', 536870912],
    ]);
  });

  it('resolves max in reserved ranges the same way', () => {
    const file = parseProto(messageSetReserved);
    expect(file.messages[0].reserved[0].ranges).toEqual([
      { start: 1000000001, end: 2147483646 },
    ]);
  });

  it('keeps max at 2^29 - 1 elsewhere', () => {
    const file = parseProto(
      'syntax = "proto2";\nmessage M { extensions 4 to max; }\nmessage N { reserved 10 to max; }',
    );
    expect(file.messages[0].extensions[0].ranges).toEqual([
      { start: 4, end: 536870911 },
    ]);
    expect(file.messages[1].reserved[0].ranges).toEqual([
      { start: 10, end: 536870911 },
    ]);
  });
});

describe('what buf refuses', () => {
  it.each([
    [
      'a group in proto3',
      'syntax = "proto3";\nmessage A {\n  optional group G = 1 { optional int32 a = 2; }\n}\n',
      3,
      12,
      'groups are not supported in proto3',
    ],
    [
      'a group in edition 2023',
      'edition = "2023";\nmessage A {\n  group G = 1 { int32 a = 2; }\n}\n',
      3,
      3,
      'groups are not supported in edition 2023',
    ],
    [
      'a group without a label',
      'syntax = "proto2";\nmessage A {\n  group G = 1 { optional int32 a = 2; }\n}\n',
      3,
      3,
      'a group needs a label',
    ],
    [
      'a lowercase group name',
      'syntax = "proto2";\nmessage A {\n  optional group g = 1 { optional int32 a = 2; }\n}\n',
      3,
      18,
      'must start with an uppercase letter',
    ],
    [
      'a group whose field name clashes',
      'syntax = "proto2";\nmessage A {\n  optional group G = 1 { optional int32 a = 2; }\n  optional int32 g = 2;\n}\n',
      4,
      3,
      'field A.g is declared twice',
    ],
    [
      'import option before edition 2024',
      'edition = "2023";\nimport option "google/protobuf/descriptor.proto";\n',
      2,
      8,
      '"import option" requires edition 2024',
    ],
    [
      'export in proto3',
      'syntax = "proto3";\nexport message A {}\n',
      2,
      1,
      '"export" requires edition 2024',
    ],
    [
      'export on a service',
      'edition = "2024";\nexport service S {}\n',
      2,
      1,
      '"export" applies to a message or enum',
    ],
    [
      'import weak in edition 2024',
      'edition = "2024";\nimport weak "google/protobuf/descriptor.proto";\n',
      2,
      8,
      '"import weak" is not allowed in edition 2024',
    ],
    [
      'an extension number over 2^31 - 2',
      'syntax = "proto2";\nmessage M {\n  option message_set_wire_format = true;\n  extensions 4 to max;\n}\nextend M { optional M big = 2147483647; }\n',
      6,
      29,
      'out of range 1..2147483646',
    ],
    [
      'an extension range over 2^31 - 2 in a MessageSet',
      'syntax = "proto2";\nmessage M {\n  option message_set_wire_format = true;\n  extensions 4 to 2147483647;\n}\n',
      4,
      19,
      'out of range 1..2147483646',
    ],
    [
      'a MessageSet-size extension range elsewhere',
      'syntax = "proto2";\nmessage M {\n  extensions 4 to 2147483646;\n}\n',
      3,
      19,
      'out of range 1..536870911',
    ],
    [
      'a MessageSet-size extension of a plain message',
      'syntax = "proto2";\nmessage M {\n  extensions 4 to max;\n}\nextend M { optional M big = 536870912; }\n',
      5,
      12,
      'out of range 1..536870911 (M is not a MessageSet)',
    ],
    [
      'a field in a MessageSet',
      'syntax = "proto2";\nmessage M {\n  option message_set_wire_format = true;\n  extensions 4 to max;\n  optional int32 f = 1;\n}\n',
      5,
      3,
      'cannot declare fields',
    ],
    [
      'a scalar MessageSet extension',
      'syntax = "proto2";\nmessage M {\n  option message_set_wire_format = true;\n  extensions 4 to max;\n}\nextend M { optional int32 n = 1000000000; }\n',
      6,
      12,
      'must be a message',
    ],
    [
      'a repeated MessageSet extension',
      'syntax = "proto2";\nmessage M {\n  option message_set_wire_format = true;\n  extensions 4 to max;\n}\nextend M { repeated M all = 1000000000; }\n',
      6,
      12,
      'cannot be repeated',
    ],
    [
      'a MessageSet in proto3',
      'syntax = "proto3";\nmessage M {\n  option message_set_wire_format = true;\n}\n',
      3,
      3,
      'not supported in proto3',
    ],
    [
      'a reserved number over 2^29 - 1',
      'syntax = "proto2";\nmessage M {\n  reserved 600000000;\n}\n',
      3,
      12,
      'out of range 1..536870911',
    ],
  ])(
    'reports %s with its position',
    (_label, source, line, column, message) => {
      const e = syntaxError(source);
      expect(e.message).toContain(message);
      expect({ line: e.line, column: e.column }).toEqual({ line, column });
    },
  );
});
