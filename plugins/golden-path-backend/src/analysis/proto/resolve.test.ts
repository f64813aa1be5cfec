import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { analyzeProtos } from './analyzeProtos';
import { parseProto } from '@golden-path/plugin-golden-path-common';
import { resolveProtoTypes } from './resolve';

/*
 * Type resolution across the files of a package and its imports, on
 * hand-made trees shaped like large public APIs (types in other files of the
 * package, re-exports with `import public`, nested types, fully-qualified
 * names). Every tree that buf can build without dependencies is also built
 * with the real `buf build`, and its errors must be exactly our findings.
 */
const run = promisify(execFile);
const BUF = path.resolve(__dirname, '../../../../../.tools/bin/buf');

type Tree = Record<string, string>;

/** The split package every case starts from: valid for buf. */
const SPLIT: Tree = {
  'common/v1/money.proto': `syntax = "proto3";
package common.v1;
message Money { int64 units = 1; }
`,
  'common/v1/reexport.proto': `syntax = "proto3";
package common.v1;
import public "common/v1/money.proto";
message Page { int32 size = 1; }
`,
  'shop/v1/resources.proto': `syntax = "proto3";
package shop.v1;
import "common/v1/reexport.proto";
message Order {
  message Item { string sku = 1; common.v1.Money price = 2; }
  repeated Item items = 1;
  Status status = 2;
  enum Status { STATUS_UNSPECIFIED = 0; }
  common.v1.Page page = 3;
}
`,
  'shop/v1/shop_service.proto': `syntax = "proto3";
package shop.v1;
import "shop/v1/resources.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/empty.proto";
service ShopService {
  rpc GetOrder(GetOrderRequest) returns (.shop.v1.GetOrderResponse);
  rpc Ping(google.protobuf.Empty) returns (google.protobuf.Empty);
}
message GetOrderRequest { string id = 1; google.protobuf.Timestamp at = 2; }
message GetOrderResponse {
  Order order = 1;
  Order.Item first = 2;
  v1.Order again = 3;
  shop.v1.Order.Status status = 4;
  map<string, Order.Item> by_sku = 5;
}
`,
};

/** Our unknown-type findings over every file, as `path:line`. */
function ours(tree: Tree): string[] {
  const files = new Map(
    Object.entries(tree).map(([p, s]) => [p, parseProto(s)]),
  );
  const { problems } = resolveProtoTypes(files, files.keys());
  return [...problems.entries()]
    .flatMap(([p, list]) =>
      list
        .filter(x => x.code === 'proto-unknown-type')
        .map(x => `${p}:${x.line}`),
    )
    .sort();
}

function messagesOf(tree: Tree): string[] {
  const files = new Map(
    Object.entries(tree).map(([p, s]) => [p, parseProto(s)]),
  );
  const { problems } = resolveProtoTypes(files, files.keys());
  return [...problems.values()].flat().map(p => p.message);
}

/** `buf build` errors on the same tree, as `path:line`. */
async function bufErrors(tree: Tree): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-buf-resolve-'));
  try {
    fs.writeFileSync(path.join(dir, 'buf.yaml'), 'version: v2\n');
    for (const [p, s] of Object.entries(tree)) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), s);
    }
    const out = await run(BUF, ['build', '--error-format=json'], {
      cwd: dir,
    }).then(
      () => '',
      (e: { stdout: string; stderr: string }) => `${e.stdout}\n${e.stderr}`,
    );
    return out
      .split('\n')
      .filter(l => l.startsWith('{'))
      .map(l => JSON.parse(l) as { path: string; start_line: number })
      .map(e => `${e.path}:${e.start_line}`)
      .sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const replace = (tree: Tree, file: string, from: string, to: string): Tree => {
  if (!tree[file].includes(from)) throw new Error(`${file} has no ${from}`);
  return { ...tree, [file]: tree[file].replace(from, to) };
};

describe('resolveProtoTypes agrees with buf build', () => {
  const cases: Array<[string, Tree, string[]]> = [
    [
      'a package split over files, types in other files, nested, public re-exports, well-known types',
      SPLIT,
      [],
    ],
    [
      'a type of the package in a file that is not imported',
      {
        ...SPLIT,
        'shop/v1/other.proto':
          'syntax = "proto3";\npackage shop.v1;\nmessage Uses { Order o = 1; }\n',
      },
      ['shop/v1/other.proto:3'],
    ],
    [
      'a type only re-exported to an importer one step further (import public is not transitive through plain imports)',
      replace(
        SPLIT,
        'shop/v1/shop_service.proto',
        '  Order order = 1;',
        '  Order order = 1;\n  common.v1.Money total = 6;',
      ),
      ['shop/v1/shop_service.proto:13'],
    ],
    [
      'a relative name whose first part names an enclosing package',
      {
        ...SPLIT,
        'shop/common/v1/x.proto':
          'syntax = "proto3";\npackage shop.common.v1;\nimport "common/v1/money.proto";\nmessage X { common.v1.Money m = 1; }\n',
      },
      ['shop/common/v1/x.proto:4'],
    ],
    [
      'the same name written fully qualified',
      {
        ...SPLIT,
        'shop/common/v1/x.proto':
          'syntax = "proto3";\npackage shop.common.v1;\nimport "common/v1/money.proto";\nmessage X { .common.v1.Money m = 1; }\n',
      },
      [],
    ],
    [
      'a nested type named without its parent outside of it',
      replace(
        SPLIT,
        'shop/v1/shop_service.proto',
        '  Order.Item first = 2;',
        '  Item first = 2;',
      ),
      ['shop/v1/shop_service.proto:13'],
    ],
    [
      'a misspelt well-known type',
      replace(
        SPLIT,
        'shop/v1/shop_service.proto',
        'google.protobuf.Timestamp at',
        'google.protobuf.Timestmp at',
      ),
      ['shop/v1/shop_service.proto:10'],
    ],
    [
      'custom options extending descriptor.proto, with a valid and a misspelt field type',
      {
        ...SPLIT,
        'shop/v1/options.proto': `syntax = "proto3";
package shop.v1;
import "google/protobuf/descriptor.proto";
message Rule { string path = 1; }
extend google.protobuf.MethodOptions {
  Rule rule = 50001;
  Rulez other = 50002;
}
`,
      },
      ['shop/v1/options.proto:7'],
    ],
    [
      'an RPC taking an enum',
      replace(
        SPLIT,
        'shop/v1/shop_service.proto',
        'rpc GetOrder(GetOrderRequest)',
        'rpc GetOrder(Order.Status)',
      ),
      ['shop/v1/shop_service.proto:7'],
    ],
    [
      'proto2 groups (a nested message named as the group) and a MessageSet extension of a group type',
      {
        'legacy/v1/search.proto': `syntax = "proto2";
package legacy.v1;
message Set { option message_set_wire_format = true; extensions 4 to max; }
message Search {
  repeated group Result = 1 { required string url = 2; optional Result.Link link = 3;
    message Link { optional string href = 1; } }
  optional Result best = 4;
  optional Search.Result.Link first = 5;
  extensions 100 to 199;
}
extend Search { optional group Extra = 100 { optional Search.Result inner = 1; } }
extend Set { optional Extra set_extra = 2147483646; }
message Uses { optional Extra e = 1; optional Search.Result r = 2; optional Missing m = 3; }
`,
      },
      ['legacy/v1/search.proto:13'],
    ],
    [
      'edition 2024 import option and exported messages',
      {
        'vis/v1/vis.proto': `edition = "2024";
package vis.v1;
import option "google/protobuf/descriptor.proto";
export message Public { local message Hidden { int32 a = 1; } Hidden hidden = 1; }
local message Internal { Public.Hidden h = 1; Gone g = 2; }
`,
      },
      ['vis/v1/vis.proto:5'],
    ],
  ];

  it.each(cases)('%s', async (_label, tree, expected) => {
    expect(ours(tree)).toEqual(expected);
    expect(await bufErrors(tree)).toEqual(expected);
  });

  it('says why a name does not resolve, and how to fix it', () => {
    expect(messagesOf(cases[1][1])).toEqual([
      'field "Uses.o" has type "Order", which is declared in shop/v1/resources.proto, which this file does not import; add import "shop/v1/resources.proto"',
    ]);
    expect(messagesOf(cases[3][1])).toEqual([
      'field "X.m" has type "common.v1.Money", which is looked up as "shop.common.v1.Money" (its first part names the enclosing package shop.common), which does not exist; write ".common.v1.Money" for the top-level name',
    ]);
  });
});

describe('analyzeProtos across a monorepo', () => {
  const tree = (files: Tree) => ({
    files: new Map(Object.entries(files).map(([p, s]) => [p, Buffer.from(s)])),
    problems: [],
  });
  const SERVICE = `syntax = "proto3";
package shop.v1;
import "google/api/annotations.proto";
import "buf/validate/validate.proto";
import "shop/v1/resources.proto";
service ShopService {
  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse) {
    option (google.api.http) = { get: "/v1/orders/{id}" };
  }
}
message GetOrderRequest { string id = 1 [(buf.validate.field).string.min_len = 1]; }
message GetOrderResponse { Order order = 1; google.api.HttpRule rule = 2; }
`;

  it('resolves types from other files of the package and names imports outside the tree once, as not analysed', () => {
    const { files, problems } = analyzeProtos(
      tree({
        'api/proto/shop/v1/shop_service.proto': SERVICE,
        // the RPC types are declared in the other file, which it imports
        'api/proto/shop/v1/admin_service.proto': SERVICE.replace(
          'service ShopService',
          'service ShopAdminService',
        )
          .replace(
            'import "shop/v1/resources.proto";',
            'import "shop/v1/shop_service.proto";',
          )
          .replace(/message GetOrder\w+ [^\n]*\n/g, ''),
        'api/proto/shop/v1/resources.proto': SPLIT['shop/v1/resources.proto'],
        'api/proto/common/v1/reexport.proto': SPLIT['common/v1/reexport.proto'],
        'api/proto/common/v1/money.proto': SPLIT['common/v1/money.proto'],
      }),
      { serviceDir: 'services/shop-service' },
    );
    expect(
      files.flatMap(f => f.problems).filter(p => p.severity === 'error'),
    ).toEqual([]);
    expect(problems).toEqual([
      {
        severity: 'info',
        code: 'proto-import-not-analysed',
        message:
          'import "buf/validate/validate.proto" (in api/proto/shop/v1/admin_service.proto, api/proto/shop/v1/shop_service.proto) is not among the files read (a buf dependency, another repository, or a part of this one outside the service and its proto roots): not analysed, so the types it may declare are not checked',
        path: 'api/proto/shop/v1/admin_service.proto',
      },
      {
        severity: 'info',
        code: 'proto-import-not-analysed',
        message:
          'import "google/api/annotations.proto" (in api/proto/shop/v1/admin_service.proto, api/proto/shop/v1/shop_service.proto) is not among the files read (a buf dependency, another repository, or a part of this one outside the service and its proto roots): not analysed, so the types it may declare are not checked',
        path: 'api/proto/shop/v1/admin_service.proto',
      },
    ]);
  });

  it('resolves an import below another module root of the workspace (buf v2 modules, third_party/), where exactly one file matches', () => {
    const money = `syntax = "proto3";\npackage acme.types.v1;\nmessage Money { int64 units = 1; }\n`;
    const api = `syntax = "proto3";
package acme.api.v1;
import "acme/types/v1/money.proto";
service PriceService { rpc Get(GetRequest) returns (GetResponse); }
message GetRequest { string id = 1; }
message GetResponse { acme.types.v1.Money price = 1; }
`;
    // buf.yaml: modules apimod and typesmod; buf build resolves the import
    const twoModules = analyzeProtos(
      tree({
        'services/price-service/apimod/acme/api/v1/api.proto': api,
        'services/price-service/typesmod/acme/types/v1/money.proto': money,
      }),
      { serviceDir: 'services/price-service' },
    );
    // (the package and RPC names get their convention warnings)
    expect(
      twoModules.files
        .flatMap(f => f.problems)
        .filter(
          p => p.code.startsWith('proto-unknown') || p.severity === 'error',
        ),
    ).toEqual([]);
    expect(twoModules.problems).toEqual([]);
    // two files could be meant: not resolved, said as not analysed, no error
    const ambiguous = analyzeProtos(
      tree({
        'services/price-service/apimod/acme/api/v1/api.proto': api,
        'services/price-service/typesmod/acme/types/v1/money.proto': money,
        'services/price-service/vendor2/acme/types/v1/money.proto': money,
      }),
      { serviceDir: 'services/price-service' },
    );
    expect(
      ambiguous.files
        .flatMap(f => f.problems)
        .filter(p => p.severity === 'error'),
    ).toEqual([]);
    expect(ambiguous.problems.map(p => p.code)).toEqual([
      'proto-import-not-analysed',
    ]);
  });

  it("holds no copy of another project's API to the service's style (third_party/, Google's packages)", () => {
    const { files, problems } = analyzeProtos(
      tree({
        'services/greeter-service/api/greeter/v1/greeter.proto': `syntax = "proto3";
package greeter.v1;
import "google/api/annotations.proto";
service GreeterService {
  rpc GetGreeting(GetGreetingRequest) returns (GetGreetingResponse) {
    option (google.api.http) = { get: "/v1/greeting" };
  }
}
message GetGreetingRequest { string name = 1; }
message GetGreetingResponse { string message = 1; }
`,
        'services/greeter-service/third_party/google/api/annotations.proto': `syntax = "proto3";
package google.api;
import "google/api/http.proto";
import "google/protobuf/descriptor.proto";
extend google.protobuf.MethodOptions { HttpRule http = 72295728; }
`,
        'services/greeter-service/third_party/google/api/http.proto': `syntax = "proto3";
package google.api;
message HttpRule { string get = 2; }
`,
      }),
      { serviceDir: 'services/greeter-service' },
    );
    const byFile = Object.fromEntries(
      files.map(f => [
        f.path.split('/').slice(2).join('/'),
        f.problems.map(p => p.code),
      ]),
    );
    expect(byFile['third_party/google/api/annotations.proto']).toEqual([]);
    expect(byFile['third_party/google/api/http.proto']).toEqual([]);
    // the import resolves below third_party/, an include root
    expect(problems).toEqual([]);
  });

  it('still reports a name no import can declare when every import resolves', () => {
    const { files } = analyzeProtos(
      tree({
        'api/proto/shop/v1/shop_service.proto': SERVICE.replace(
          /import "(google\/api|buf\/validate)[^\n]*\n/g,
          '',
        )
          .replace(/ \{\n {4}option[^\n]*\n {2}\}/, ';')
          .replace(' [(buf.validate.field).string.min_len = 1]', '')
          .replace('google.api.HttpRule', 'Missing'),
        'api/proto/shop/v1/resources.proto': SPLIT['shop/v1/resources.proto'],
        'api/proto/common/v1/reexport.proto': SPLIT['common/v1/reexport.proto'],
        'api/proto/common/v1/money.proto': SPLIT['common/v1/money.proto'],
      }),
      { serviceDir: 'services/shop-service' },
    );
    expect(
      files
        .flatMap(f => f.problems)
        .filter(p => p.code === 'proto-unknown-type')
        .map(p => `${p.path}:${p.line} ${p.message}`),
    ).toEqual([
      'api/proto/shop/v1/shop_service.proto:8 field "GetOrderResponse.rule" has type "Missing", which is not declared in this file or in any file it imports',
    ]);
  });
});
