import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workspaceResolver } from '@golden-path/plugin-golden-path-node';
import { RecordedServiceValues } from './recordedValues';
import { planRpc, rpcFiles } from './serviceRpc';

const values = {
  name: 'order',
  serviceName: 'order-service',
  module: 'github.com/acme/order-service',
  pkgModule: 'github.com/acme/go-pkg',
  protoPkg: 'order',
  aggregate: 'Order',
  aggLower: 'order',
  aggPlural: 'Orders',
  table: 'orders',
  stage: 'mvp',
  fields: [
    { name: 'customer_id', type: 'uuid' },
    { name: 'priority', type: 'enum', values: ['low', 'high'] },
    { name: 'quantity', type: 'int' },
    { name: 'total', type: 'money' },
    { name: 'note', type: 'string', optional: true },
  ],
  transitions: [],
  hasStateMachine: false,
  jobs: [{ name: 'recount_orders', schedule: '@hourly', timeout: '1m' }],
  jobsMigration: '0002',
} as unknown as RecordedServiceValues;

const PROTO = `syntax = "proto3";
service OrderService {
  rpc CreateOrder(CreateOrderRequest) returns (CreateOrderResponse);
  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);
  rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse);
}
message Order {}
message SummaryRequest {}
`;

let dir: string;
let svc: string;
let proto: string;
/** A host file outside the workspace (beside it), as a checkout's symlink would reach. */
let hostDir: string;

function write(rel: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(svc, rel)), { recursive: true });
  fs.writeFileSync(path.join(svc, rel), text);
}

beforeEach(() => {
  // Real paths: the plan gets the resolver's (symlink-free) service directory.
  const top = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'rpc-plan-')),
  );
  dir = path.join(top, 'workspace');
  hostDir = path.join(top, 'host');
  fs.mkdirSync(hostDir);
  svc = path.join(dir, 'services/order-service');
  proto = path.join(dir, 'api/proto/order/v1/order_service.proto');
  fs.mkdirSync(path.dirname(proto), { recursive: true });
  fs.writeFileSync(proto, PROTO);
  write(
    'internal/adapter/inbound/grpc/order_handler.go',
    'package grpc\n\nfunc (h *OrderHandler) Register(s grpc.ServiceRegistrar) {}\n\nfunc (h *OrderHandler) Audit() {}\n',
  );
  write(
    'internal/domain/repository/order_repository.go',
    'package repository\n\ntype OrderRepository interface {\n\tList(ctx context.Context) error\n}\n',
  );
  write(
    'internal/application/dto/request/order.go',
    'package request\n\ntype (\n\tOrderFields struct{}\n\tMoney struct{}\n)\n',
  );
  write('db/queries/order.sql', '-- name: GetOrderForUpdate :one\nSELECT 1;\n');
});

afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

const plan = (name: string, kind = 'query', fields = ['customer_id']) =>
  planRpc(
    { name, kind, fields },
    values,
    svc,
    proto,
    'services/order-service',
    workspaceResolver(dir),
  );

/** `rel` of the service made a symlink to a host file (outside the workspace) holding `text`. */
function linkOut(rel: string, text: string) {
  const host = path.join(hostDir, path.basename(rel));
  fs.writeFileSync(host, text);
  fs.mkdirSync(path.dirname(path.join(svc, rel)), { recursive: true });
  fs.symlinkSync(host, path.join(svc, rel));
}

/** The error fn throws, or undefined. */
function errorOf(fn: () => unknown): Error | undefined {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

describe('planRpc', () => {
  it('plans a query and a command with their names and files', () => {
    const q = plan('FindOrdersByCustomer', 'query', [
      'customer_id',
      'priority',
    ]);
    expect(q).toEqual({
      name: 'FindOrdersByCustomer',
      kind: 'query',
      fields: [
        { name: 'customer_id', type: 'uuid' },
        { name: 'priority', type: 'enum', values: ['low', 'high'] },
      ],
      snake: 'find_orders_by_customer',
      camel: 'findOrdersByCustomer',
      pkg: 'findordersbycustomeruc',
    });
    expect(rpcFiles(q)).toContain('db/queries/find_orders_by_customer.sql');
    const c = plan('ChangeQuantity', 'command', ['quantity']);
    expect(c.kind).toBe('command');
    expect(rpcFiles(c)).toHaveLength(6);
  });
});

describe('bad input: an RPC to add', () => {
  it.each([
    [
      'an RPC the service has',
      'GetOrder',
      /order-service already has an RPC named GetOrder \(order_service\.proto\); pick another name/,
    ],
    [
      'a plural of an existing RPC',
      'GetOrders',
      /rpc name GetOrders collides with the existing RPC GetOrder: they differ only in a plural/,
    ],
    [
      'a singular of an existing RPC',
      'ListOrder',
      /collides with the existing RPC ListOrders/,
    ],
    [
      'a Go keyword',
      'Type',
      /its Go name type is a Go keyword or predeclared identifier/,
    ],
    [
      'a predeclared identifier',
      'New',
      /its Go name new is a Go keyword or predeclared identifier/,
    ],
    [
      'not PascalCase',
      'find_orders',
      /rpc name "find_orders" is not PascalCase/,
    ],
    [
      'the aggregate use cases package',
      'Order',
      /its package orderuc is the package of the Order use cases/,
    ],
    [
      'a job package',
      'RecountOrders',
      /its package recountordersuc is the package of the scheduled job recount_orders/,
    ],
    [
      'a handler method',
      'Audit',
      /internal\/adapter\/inbound\/grpc\/order_handler\.go already declares Audit/,
    ],
    [
      'a repository method',
      'List',
      /internal\/domain\/repository\/order_repository\.go already declares List/,
    ],
    [
      'a request type',
      'Money',
      /internal\/application\/dto\/request\/order\.go already declares Money/,
    ],
    [
      'a proto message',
      'Summary',
      /order_service\.proto already declares SummaryRequest/,
    ],
    [
      'an sqlc query',
      'GetOrderForUpdate',
      /db\/queries\/order\.sql already has a query named GetOrderForUpdate/,
    ],
  ])('refuses %s in one line', (_label, name, message) => {
    const refused = errorOf(() => plan(name));
    expect(refused?.message).toMatch(message);
    expect(refused?.message.split('\n')).toHaveLength(1);
  });

  it.each([
    [
      'an unknown kind',
      'event',
      ['quantity'],
      /rpc kind "event" is neither query/,
    ],
    ['no fields', 'query', [], /needs 1 to 8 fields of Order/],
    [
      'an unknown field',
      'query',
      ['colour'],
      /"colour" is not a field of Order; its fields are customer_id, priority, quantity, total, note/,
    ],
    [
      'a money field',
      'query',
      ['total'],
      /field total is a money; an RPC's request carries required string, int, bool, uuid, enum fields only/,
    ],
    [
      'an optional field',
      'command',
      ['note'],
      /field note is an optional string/,
    ],
    [
      'a field twice',
      'command',
      ['quantity', 'quantity'],
      /field quantity is listed twice/,
    ],
  ])('refuses %s', (_label, kind, fields, message) => {
    expect(() => plan('SetThings', kind, fields)).toThrow(message);
  });

  it('refuses a name whose files exist', () => {
    write('tests/integration/set_things_test.go', 'package integration\n');
    expect(() => plan('SetThings', 'command', ['quantity'])).toThrow(
      /services\/order-service\/tests\/integration\/set_things_test\.go exists already; pick another name/,
    );
  });
});

describe('bad input: a checkout whose symlinks lead out of the workspace', () => {
  // Before the fix the plan read the host file: its declarations came back in
  // the refusal ("host.go already declares FindSecret"), an oracle on host files.
  it.each([
    [
      'a Go file of a package (goIdentifiers)',
      'internal/adapter/inbound/grpc/host.go',
      'package grpc\n\nfunc FindSecret() {}\n',
      /^Go file "services\/order-service\/internal\/adapter\/inbound\/grpc\/host\.go" goes through a symlink \(services\/order-service\/internal\/adapter\/inbound\/grpc\/host\.go\) that leads outside the task workspace; a checkout's symlinks may only lead within the workspace: replace it with the file or directory itself$/,
    ],
    [
      'an sqlc query file (declaredIn)',
      'db/queries/host.sql',
      '-- name: FindSecret :many\nSELECT 1;\n',
      /^file "services\/order-service\/db\/queries\/host\.sql" goes through a symlink .* that leads outside the task workspace/,
    ],
    [
      'a package directory (goIdentifiers)',
      'internal/application/port/input',
      '',
      /^directory "services\/order-service\/internal\/application\/port\/input" goes through a symlink .* that leads outside the task workspace/,
    ],
  ])(
    'refuses %s in one line, without reading it',
    (_label, rel, text, message) => {
      if (text) linkOut(rel, text);
      else {
        fs.writeFileSync(
          path.join(hostDir, 'secret.go'),
          'package input\n\ntype FindSecretUseCase interface{}\n',
        );
        fs.mkdirSync(path.dirname(path.join(svc, rel)), { recursive: true });
        fs.symlinkSync(hostDir, path.join(svc, rel));
      }
      const refused = errorOf(() => plan('FindSecret'));
      expect(refused?.message).toMatch(message);
      expect(refused?.message).not.toContain(hostDir);
      expect(refused?.message.split('\n')).toHaveLength(1);
    },
  );

  it('refuses a sibling proto of the package linked out (declaredIn through listFiles)', () => {
    const host = path.join(hostDir, 'host.proto');
    fs.writeFileSync(host, 'message FindSecretRequest {}\n');
    fs.symlinkSync(host, path.join(path.dirname(proto), 'host.proto'));
    expect(() => plan('FindSecret')).toThrow(
      /^file "api\/proto\/order\/v1\/host\.proto" goes through a symlink .* leads outside the task workspace/,
    );
  });

  it('refuses a use case package the RPC adds that is a link out (the existence check)', () => {
    const uc = path.join(svc, 'internal/application/usecase/findsecretuc');
    fs.mkdirSync(path.dirname(uc), { recursive: true });
    fs.symlinkSync(hostDir, uc);
    // Before: existsSync followed it, so the answer told whether a host directory exists.
    expect(() => plan('FindSecret')).toThrow(
      /^path "services\/order-service\/internal\/application\/usecase\/findsecretuc\/di\.go" goes through a symlink .* leads outside the task workspace/,
    );
  });

  it('follows a symlink that stays inside the workspace, as Go would', () => {
    const shared = path.join(dir, 'shared/decl.go');
    fs.mkdirSync(path.dirname(shared), { recursive: true });
    fs.writeFileSync(shared, 'package grpc\n\nfunc FindSecret() {}\n');
    fs.symlinkSync(
      shared,
      path.join(svc, 'internal/adapter/inbound/grpc/decl.go'),
    );
    expect(() => plan('FindSecret')).toThrow(
      /internal\/adapter\/inbound\/grpc\/decl\.go already declares FindSecret/,
    );
  });
});
