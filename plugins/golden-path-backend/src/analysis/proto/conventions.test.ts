import fs from 'node:fs';
import path from 'node:path';
import {
  checkProtoConventions,
  expectedProtoNames,
  toUpperSnake,
} from './conventions';
import { parseProto } from '@golden-path/plugin-golden-path-common';

const fixture = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../__fixtures__/monorepo/api/proto/order/v1/order_service.proto',
  ),
  'utf8',
);

describe('checkProtoConventions', () => {
  it('finds the seed convention breaks of the fixture', () => {
    const names = expectedProtoNames('order-service');
    expect(names).toEqual({ package: 'order.v1', service: 'OrderService' });
    const problems = checkProtoConventions(parseProto(fixture), {
      expectedPackage: names.package,
      expectedService: names.service,
      path: 'x.proto',
    });
    const summary = problems.map(p => `${p.code}@${p.line}: ${p.message}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^proto-rpc-name@16: rpc "Orders" does not start with a known verb/,
        ),
        expect.stringMatching(
          /^proto-rpc-request@16: rpc "Orders" takes "GetOrderRequest"/,
        ),
        expect.stringMatching(
          /^proto-rpc-response@16: rpc "Orders" returns "Order"/,
        ),
        expect.stringMatching(
          /^proto-enum-zero@28: enum "Channel" must start with CHANNEL_UNSPECIFIED = 0 \(found WEB = 0\)/,
        ),
        expect.stringMatching(
          /^proto-timestamp@36: field "Order.updated_at" looks like a time but is int64/,
        ),
      ]),
    );
    expect(problems.every(p => p.path === 'x.proto')).toBe(true);
    // the good parts raise nothing
    expect(summary.some(s => s.includes('CreateOrder'))).toBe(false);
    expect(summary.some(s => s.includes('created_at'))).toBe(false);
    expect(summary.some(s => s.includes('OrderStatus'))).toBe(false);
    expect(summary.some(s => s.startsWith('proto-package'))).toBe(false);
  });

  it.each([
    [
      'an unversioned package',
      'syntax = "proto3"; package order;',
      'proto-package',
    ],
    ['no package', 'syntax = "proto3";', 'proto-package'],
    [
      'a service without the Service suffix',
      'syntax = "proto3"; package order.v1; service Orders {}',
      'proto-service-name',
    ],
    [
      'a plural service',
      'syntax = "proto3"; package order.v1; service OrdersService {}',
      'proto-service-name',
    ],
    [
      'two services',
      'syntax = "proto3"; package order.v1; service OrderService {} service PaymentService {}',
      'proto-service-count',
    ],
    [
      'a verb without a noun',
      'syntax = "proto3"; package order.v1; service OrderService { rpc Get(GetRequest) returns (GetResponse); } message GetRequest {} message GetResponse {}',
      'proto-rpc-name',
    ],
    [
      'a camelCase field',
      'syntax = "proto3"; package order.v1; message A { string orderId = 1; }',
      'proto-field-name',
    ],
    [
      'a string time',
      'syntax = "proto3"; package order.v1; message A { string paid_at = 1; }',
      'proto-timestamp',
    ],
    ['proto2', 'syntax = "proto2"; package order.v1;', 'proto-syntax'],
  ])('flags %s', (_label, source, code) => {
    expect(
      checkProtoConventions(parseProto(source)).map(p => p.code),
    ).toContain(code);
  });

  it.each([
    ['OrdersService', true],
    ['PaymentMethodsService', true],
    ['AddressesService', true],
    ['OrderService', false],
    ['StatusService', false],
    ['AddressService', false],
    ['AnalysisService', false],
    ['MetricsService', false],
    ['FieldSemanticsService', false],
    ['NewsService', false],
    ['SmsService', false],
    ['DnsService', false],
    ['SMSService', false],
  ])('service %s looks plural: %s', (name, plural) => {
    const source = `syntax = "proto3"; package order.v1; service ${name} {}`;
    expect(
      checkProtoConventions(parseProto(source)).some(p =>
        p.message.includes('looks plural'),
      ),
    ).toBe(plural);
  });

  it("accepts a domain's own verb before a message of the file (state transitions)", () => {
    const source = `syntax = "proto3"; package ledger.v1;
      service AccountService {
        rpc FreezeAccount(FreezeAccountRequest) returns (FreezeAccountResponse);
        rpc Frobnicate(FrobnicateRequest) returns (FrobnicateResponse);
        rpc ReallyFreezeAccount(ReallyFreezeAccountRequest) returns (ReallyFreezeAccountResponse);
      }
      message Account {}
      message FreezeAccountRequest {} message FreezeAccountResponse {}
      message FrobnicateRequest {} message FrobnicateResponse {}
      message ReallyFreezeAccountRequest {} message ReallyFreezeAccountResponse {}`;
    expect(
      checkProtoConventions(parseProto(source))
        .filter(p => p.code === 'proto-rpc-name')
        .map(p => p.message),
    ).toEqual([
      'rpc "Frobnicate" does not start with a known verb (e.g. Get, List, Create, Update, Delete)',
      'rpc "ReallyFreezeAccount" does not start with a known verb (e.g. Get, List, Create, Update, Delete)',
    ]);
  });

  it('converts names to UPPER_SNAKE like protoc-gen-validate and buf do', () => {
    expect(toUpperSnake('OrderStatus')).toBe('ORDER_STATUS');
    expect(toUpperSnake('HTTPMethod')).toBe('HTTP_METHOD');
    expect(toUpperSnake('V1Kind')).toBe('V1_KIND');
  });
});
