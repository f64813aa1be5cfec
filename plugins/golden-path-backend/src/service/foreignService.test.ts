import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DefaultInsightsService } from './InsightsService';
import {
  localInsightsService,
  writeFiles,
} from '../__testUtils__/localInsights';

/*
 * The insights of a service nobody here wrote, read from a real directory as
 * the backend reads any `dir:` source location: package main at the service
 * root with a domain folder per bounded context, a golang-migrate migration
 * directory, and an API split over files that imports googleapis (a buf
 * dependency, not in the tree). Each analysis says what it recognised and
 * reports nothing that is not so.
 */
const FILES: Record<string, string> = {
  'go.mod': 'module example.com/legacy\n\ngo 1.26\n',
  'services/legacy/main.go':
    'package main\n\nimport "example.com/legacy/services/legacy/domain/order"\n\nfunc main() { _ = order.New() }\n',
  'services/legacy/domain/order/order.go':
    'package order\n\ntype Order struct{}\n\nfunc New() Order { return Order{} }\n',
  'services/legacy/domain/payment/payment.go':
    'package payment\n\nimport "example.com/legacy/services/legacy/domain/order"\n\nvar _ = order.New\n',
  'services/legacy/internal/handler/order.go':
    'package handler\n\nimport "example.com/legacy/services/legacy/domain/order"\n\nfunc NewHandler() { _ = order.New() }\n',
  'services/legacy/db/migrations/000001_create_orders.up.sql':
    'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
  'services/legacy/db/migrations/000001_create_orders.down.sql':
    'DROP TABLE orders;\n',
  'services/legacy/db/migrations/000002_add_total.up.sql':
    'ALTER TABLE orders ADD COLUMN total bigint;\n',
  'services/legacy/db/migrations/000002_add_total.down.sql':
    'ALTER TABLE orders DROP COLUMN total;\n',
  'api/proto/legacy/v1/legacy_service.proto': `syntax = "proto3";
package legacy.v1;
import "google/api/annotations.proto";
import "legacy/v1/messages.proto";
service LegacyService {
  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse) {
    option (google.api.http) = { get: "/v1/orders/{id}" };
  }
}
`,
  'api/proto/legacy/v1/messages.proto': `syntax = "proto3";
package legacy.v1;
import "common/v1/money.proto";
message GetOrderRequest { string id = 1; }
message GetOrderResponse { string id = 1; common.v1.Money total = 2; }
`,
  'api/proto/common/v1/money.proto': `syntax = "proto3";
package common.v1;
message Money { int64 units = 1; string currency_code = 2; }
`,
};

describe('insights of a service of another layout, with golang-migrate and a split API', () => {
  let root: string;
  let service: DefaultInsightsService;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-foreign-service-'));
    writeFiles(root, FILES);
    service = localInsightsService(root);
  });

  afterAll(async () => {
    await service.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const entity = (): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'legacy',
      namespace: 'default',
      annotations: {
        'golden-path.dev/go-service': 'services/legacy',
        'backstage.io/source-location': `dir:${root}/`,
        'backstage.io/managed-by-location': `file:${root}/services/legacy/catalog-info.yaml`,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  });

  it('says once that the layout is another, and finds nothing missing', async () => {
    const { layers } = await service.getInsights(entity());
    expect(layers.followsGoldenPath).toBe(false);
    expect(layers.problems.map(p => [p.severity, p.code])).toEqual([
      ['info', 'layout-foreign'],
    ]);
    expect(layers.problems[0].message).toContain(
      'recognised: domain: domain/order, domain/payment; adapters: internal/handler; entry point: package main at the service root.',
    );
    expect(layers.violations).toEqual([]);
  });

  it('reads the golang-migrate directory as two versions, with no atlas.sum asked for', async () => {
    const { migrations } = await service.getInsights(entity());
    expect(migrations.format).toBe('golang-migrate');
    expect(
      migrations.files.map(f => `${f.version} ${f.name} ${f.down}`),
    ).toEqual([
      '000001 000001_create_orders.up.sql 000001_create_orders.down.sql',
      '000002 000002_add_total.up.sql 000002_add_total.down.sql',
    ]);
    expect(migrations.problems).toEqual([]);
    expect(migrations.sum.status).toBe('none');
  });

  it('resolves the API across its files and the shared protos, and names googleapis once as not analysed', async () => {
    const { protos } = await service.getInsights(entity());
    expect(protos.files.map(f => f.path)).toEqual([
      'api/proto/legacy/v1/legacy_service.proto',
      'api/proto/legacy/v1/messages.proto',
    ]);
    expect(
      protos.files
        .flatMap(f => f.problems)
        .filter(p => p.code === 'proto-unknown-type'),
    ).toEqual([]);
    expect(protos.problems.map(p => [p.severity, p.code, p.path])).toEqual([
      [
        'info',
        'proto-import-not-analysed',
        'api/proto/legacy/v1/legacy_service.proto',
      ],
    ]);
  });
});
