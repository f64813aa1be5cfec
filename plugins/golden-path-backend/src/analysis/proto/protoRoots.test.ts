import { analyzeProtos } from './analyzeProtos';
import { findProtoRoots } from './protoRoots';
import {
  createInsightsDirFilter,
  createInsightsFileFilter,
  SourceTreeBuilder,
} from '../sourceTree';

/*
 * Protos kept outside api/proto/, found as buf finds them: through the buf
 * configs at or above the service, else in the usual proto/, protos/ or
 * api/protobuf/.
 */

function tree(files: Record<string, string>) {
  const b = new SourceTreeBuilder();
  for (const [p, text] of Object.entries(files)) b.add(p, Buffer.from(text));
  return b.build();
}

const api = (pkg: string, service: string) =>
  `syntax = "proto3";\npackage ${pkg};\nservice ${service} {\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);\n}\nmessage GetOrderRequest {}\nmessage GetOrderResponse {}\n`;

describe('findProtoRoots', () => {
  const roots = (files: Record<string, string>, serviceDir = 'svc') =>
    findProtoRoots(p => files[p], serviceDir);

  it('reads the module roots of buf.work.yaml, buf.yaml v2, v1 and v1beta1', () => {
    expect(
      roots({ 'buf.work.yaml': 'version: v1\ndirectories:\n  - schemas\n' }),
    ).toEqual({ roots: ['schemas'], configs: ['buf.work.yaml'] });
    expect(
      roots({
        'buf.yaml':
          'version: v2\nmodules:\n  - path: idl\n  - path: vendor/x\n',
      }),
    ).toEqual({ roots: ['idl', 'vendor/x'], configs: ['buf.yaml'] });
    expect(roots({ 'svc/buf.yaml': 'version: v1\n' })).toEqual({
      roots: ['svc'],
      configs: ['svc/buf.yaml'],
    });
    expect(
      roots({ 'buf.yaml': 'version: v1beta1\nbuild:\n  roots: [a, b]\n' }),
    ).toEqual({ roots: ['a', 'b'], configs: ['buf.yaml'] });
  });

  it('falls back to proto/, protos/ and api/protobuf/ without a buf config', () => {
    expect(roots({})).toEqual({
      roots: ['api/protobuf', 'proto', 'protos'],
      configs: [],
    });
  });
});

describe('analyzeProtos with proto roots outside api/proto', () => {
  const found = (files: Record<string, string>, serviceDir: string): string[] =>
    analyzeProtos(tree(files), { serviceDir }).files.map(f => f.path);

  it('a repository-wide proto in protos/ that declares the service', () => {
    expect(
      found(
        {
          'src/checkoutservice/main.go': 'package main\n',
          'protos/demo.proto': `${api(
            'demo.v1',
            'CheckoutService',
          )}service CartService {}\n`,
          'protos/other.proto': api('other.v1', 'PaymentService'),
        },
        'src/checkoutservice',
      ),
    ).toEqual(['protos/demo.proto']);
  });

  it('a proto in api/protobuf/ that declares the service, as protoc --proto_path=api/protobuf reads it (ThreeDotsLabs wild-workouts)', () => {
    const files = {
      'internal/trainer/main.go': 'package main\n',
      'api/protobuf/trainer.proto': api('trainer', 'TrainerService'),
      'api/protobuf/users.proto': api('users', 'UsersService'),
    };
    expect(found(files, 'internal/trainer')).toEqual([
      'api/protobuf/trainer.proto',
    ]);
    expect(found(files, 'internal/users')).toEqual([
      'api/protobuf/users.proto',
    ]);
    expect(
      createInsightsFileFilter('internal/trainer')('api/protobuf/users.proto'),
    ).toBe(true);
  });

  it("a buf.work.yaml directory's <service>/ folder", () => {
    expect(
      found(
        {
          'buf.work.yaml': 'version: v1\ndirectories: [schemas]\n',
          'schemas/order/v1/order.proto': api('order.v1', 'OrderService'),
          'schemas/billing/v1/billing.proto': api(
            'billing.v1',
            'BillingService',
          ),
        },
        'services/order-service',
      ),
    ).toEqual(['schemas/order/v1/order.proto']);
  });

  it('names the roots it looked in when it finds nothing', () => {
    const { problems } = analyzeProtos(
      tree({ 'buf.yaml': 'version: v2\nmodules:\n  - path: idl\n' }),
      { serviceDir: 'services/order-service' },
    );
    expect(problems.map(p => p.message)).toEqual([
      'no .proto files found in services/order-service, api/proto/order/ or the proto roots idl (buf.yaml)',
    ]);
  });

  it('says a file of the repository is one, not a dependency', () => {
    const { problems } = analyzeProtos(
      tree({
        'protos/order/v1/order.proto': `syntax = "proto3";\npackage order.v1;\nimport "money/v1/money.proto";\n`,
        'a/money/v1/money.proto': 'syntax = "proto3";\npackage money.v1;\n',
        'b/money/v1/money.proto': 'syntax = "proto3";\npackage money.v1;\n',
      }),
      { serviceDir: 'services/order-service' },
    );
    expect(problems.map(p => p.message)).toEqual([
      'import "money/v1/money.proto" (in protos/order/v1/order.proto) matches a/money/v1/money.proto, b/money/v1/money.proto of this repository but no single file below a proto root; add its root to the buf config: not analysed, so the types it may declare are not checked',
    ]);
  });
});

describe('reading the proto roots', () => {
  it('reads the buf configs above the service and the protos of its roots', () => {
    const wanted = createInsightsFileFilter('services/svc', {
      protoRoots: ['schemas'],
    });
    expect(wanted('buf.work.yaml')).toBe(true);
    expect(wanted('services/buf.yaml')).toBe(true);
    expect(wanted('schemas/svc/v1/svc.proto')).toBe(true);
    expect(wanted('other/svc/v1/svc.proto')).toBe(false);
    expect(createInsightsFileFilter('services/svc')('protos/a.proto')).toBe(
      true,
    );
    const enters = createInsightsDirFilter('services/svc', {
      protoRoots: ['schemas'],
    });
    expect(enters('schemas/svc')).toBe(true);
    expect(enters('protos')).toBe(false);
  });
});
