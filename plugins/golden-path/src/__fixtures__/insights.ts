import type { Entity } from '@backstage/catalog-model';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import type { ProtoFileWithMessages } from '../api/protoMessages';

/** A Go service entity as the templates register it. */
export const goServiceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'order-service',
    namespace: 'default',
    annotations: {
      'golden-path.dev/go-service': 'services/order-service',
      'backstage.io/source-location':
        'url:https://github.com/acme/shop/tree/main/',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

/** A Component without the go-service annotation. */
export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'website', lifecycle: 'production', owner: 'team-a' },
};

const orderProto: ProtoFileWithMessages = {
  path: 'api/proto/order/v1/order.proto',
  syntax: 'proto3',
  package: 'order.v1',
  imports: ['google/protobuf/timestamp.proto'],
  services: [
    {
      name: 'OrderService',
      line: 8,
      rpcs: [
        {
          name: 'CreateOrder',
          requestType: 'CreateOrderRequest',
          responseType: 'CreateOrderResponse',
          clientStreaming: false,
          serverStreaming: false,
          line: 9,
        },
        {
          name: 'WatchOrders',
          requestType: 'WatchOrdersRequest',
          responseType: 'WatchOrdersResponse',
          clientStreaming: false,
          serverStreaming: true,
          line: 10,
        },
      ],
    },
  ],
  messages: [
    'order.v1.CreateOrderRequest',
    'order.v1.CreateOrderResponse',
    'order.v1.WatchOrdersRequest',
    'order.v1.WatchOrdersResponse',
  ],
  messageDetails: [
    {
      fullName: 'order.v1.CreateOrderRequest',
      line: 13,
      fields: [
        { name: 'customer_id', type: 'string', number: 1 },
        { name: 'item_skus', type: 'string', number: 2, label: 'repeated' },
        {
          name: 'quantities',
          type: 'map<string, int32>',
          number: 3,
          map: { keyType: 'string', valueType: 'int32' },
        },
      ],
    },
    {
      fullName: 'order.v1.CreateOrderResponse',
      line: 19,
      fields: [
        { name: 'order_id', type: 'string', number: 1 },
        {
          name: 'created_at',
          type: 'google.protobuf.Timestamp',
          number: 2,
        },
      ],
    },
    {
      fullName: 'order.v1.WatchOrdersRequest',
      line: 24,
      fields: [{ name: 'customer_id', type: 'string', number: 1 }],
    },
    {
      fullName: 'order.v1.WatchOrdersResponse',
      line: 27,
      fields: [{ name: 'order_id', type: 'string', number: 1 }],
    },
  ],
  enums: ['order.v1.OrderStatus'],
  problems: [
    {
      severity: 'warning',
      code: 'proto-enum-zero',
      message:
        'enum OrderStatus: the zero value must be ORDER_STATUS_UNSPECIFIED',
      path: 'api/proto/order/v1/order.proto',
      line: 31,
      column: 3,
    },
  ],
};

/** The insights of `order-service`: one violation, one pending migration. */
export const insightsFixture: GoServiceInsights = {
  entityRef: 'component:default/order-service',
  generatedAt: '2026-11-25T20:00:00.000Z',
  source: {
    location: 'url:https://github.com/acme/shop/tree/main/',
    serviceDir: 'services/order-service',
    revision: 'abc1234',
    fileCount: 42,
    problems: [],
  },
  layers: {
    modulePath: 'github.com/acme/shop',
    serviceImportPath: 'github.com/acme/shop/services/order-service',
    layers: [
      {
        layer: 'domain',
        packages: 2,
        files: 5,
        lines: 310,
        sublayers: [
          { name: 'entity', packages: 1, files: 3, lines: 220 },
          { name: 'valueobject', packages: 1, files: 2, lines: 90 },
        ],
      },
      {
        layer: 'application',
        packages: 2,
        files: 4,
        lines: 260,
        sublayers: [
          { name: 'usecase', packages: 1, files: 3, lines: 200 },
          { name: 'port/output', packages: 1, files: 1, lines: 60 },
        ],
      },
      {
        layer: 'adapter',
        packages: 2,
        files: 6,
        lines: 480,
        sublayers: [
          { name: 'inbound/grpc', packages: 1, files: 3, lines: 250 },
          { name: 'outbound/postgres', packages: 1, files: 3, lines: 230 },
        ],
      },
      {
        layer: 'infrastructure',
        packages: 1,
        files: 2,
        lines: 120,
        sublayers: [{ name: 'fx', packages: 1, files: 2, lines: 120 }],
      },
      {
        layer: 'cmd',
        packages: 1,
        files: 1,
        lines: 40,
        sublayers: [],
      },
    ],
    packages: [
      {
        dir: 'internal/domain/entity',
        importPath:
          'github.com/acme/shop/services/order-service/internal/domain/entity',
        name: 'entity',
        layer: 'domain',
        sublayer: 'entity',
        files: 3,
        testFiles: 2,
        lines: 220,
        hasDi: false,
        internalImports: [
          'github.com/acme/shop/services/order-service/internal/adapter/outbound/postgres',
        ],
        externalImports: ['errors'],
      },
      {
        dir: 'internal/application/usecase',
        importPath:
          'github.com/acme/shop/services/order-service/internal/application/usecase',
        name: 'usecase',
        layer: 'application',
        sublayer: 'usecase',
        files: 3,
        testFiles: 3,
        lines: 200,
        hasDi: false,
        internalImports: [],
        externalImports: ['context'],
      },
    ],
    violations: [
      {
        path: 'services/order-service/internal/domain/entity/order.go',
        line: 7,
        column: 2,
        fromPackage:
          'github.com/acme/shop/services/order-service/internal/domain/entity',
        fromLayer: 'domain',
        fromSublayer: 'entity',
        toPackage:
          'github.com/acme/shop/services/order-service/internal/adapter/outbound/postgres',
        toLayer: 'adapter',
        toSublayer: 'outbound/postgres',
        rule: 'domain must not import adapter',
      },
    ],
    problems: [
      {
        severity: 'warning',
        code: 'missing-di',
        message: 'internal/application/usecase has constructors but no di.go',
        path: 'services/order-service/internal/application/usecase',
      },
    ],
    totals: { packages: 8, files: 18, testFiles: 9, lines: 1210 },
    dependencyRule: {
      source: 'service',
      path: 'services/order-service/.golangci.yml',
      rules: [
        {
          name: 'domain',
          files: ['**/internal/domain/**', '!$test'],
          deny: [
            'github.com/acme/shop/services/order-service/internal/adapter',
          ],
          allow: [],
        },
      ],
    },
  },
  protos: {
    files: [orderProto],
    problems: [],
  },
  migrations: {
    dir: 'services/order-service/db/migrations',
    format: 'atlas',
    formatReason: 'no other tool’s file names or markers: Atlas’s own format',
    files: [
      {
        name: '20260101000000_init.sql',
        version: '20260101000000',
        description: 'init',
        hash: 'h1:aaa',
        sumIgnored: false,
      },
      {
        name: '20260201000000_add_status.sql',
        version: '20260201000000',
        description: 'add_status',
        hash: 'h1:bbb',
        sumIgnored: false,
      },
    ],
    sum: {
      status: 'mismatch',
      mismatch: {
        file: '20260201000000_add_status.sql',
        reason: 'edited',
        line: 3,
      },
      added: [],
      edited: ['20260201000000_add_status.sql'],
      removed: [],
      message: 'checksum mismatch',
    },
    environments: [
      {
        name: 'staging',
        status: 'pending',
        revisionsSchema: 'atlas_schema_revisions',
        currentVersion: '20260101000000',
        versions: [
          {
            version: '20260101000000',
            description: 'init',
            file: '20260101000000_init.sql',
            state: 'applied',
            types: ['execute'],
            applied: 3,
            total: 3,
            executedAt: '2026-01-02T10:00:00Z',
            executionTimeMs: 12,
            hashMatches: true,
          },
          {
            version: '20260201000000',
            description: 'add_status',
            file: '20260201000000_add_status.sql',
            state: 'pending',
            types: [],
            note: 'not applied yet',
          },
        ],
      },
      {
        name: 'production',
        status: 'failed',
        revisionsSchema: 'atlas_schema_revisions',
        currentVersion: '20260101000000',
        versions: [
          {
            version: '20251201000000',
            description: 'legacy',
            state: 'drift',
            types: ['execute'],
            executedAt: '2025-12-01T10:00:00Z',
            note: 'applied, but no file in the migration directory',
          },
          {
            version: '20260101000000',
            description: 'init',
            file: '20260101000000_init.sql',
            state: 'baseline',
            types: ['baseline'],
          },
          {
            version: '20260201000000',
            description: 'add_status',
            file: '20260201000000_add_status.sql',
            state: 'failed',
            types: ['execute'],
            applied: 1,
            total: 2,
            error: '<b>column "status" already exists</b>',
            errorStatement: 'ALTER TABLE orders ADD COLUMN status text;',
          },
        ],
      },
      {
        name: 'preview',
        status: 'failed',
        revisionsSchema: 'atlas_schema_revisions',
        currentVersion: '20260101000000',
        versions: [
          {
            version: '20260101000000',
            description: 'init',
            file: '20260101000000_init.sql',
            state: 'partial',
            types: ['execute'],
            applied: 2,
            total: 3,
            hashMatches: false,
          },
        ],
      },
      {
        name: 'qa',
        status: 'error',
        message: 'connect ECONNREFUSED 10.0.0.5:5432',
        revisionsSchema: 'atlas_schema_revisions',
        versions: [],
      },
    ],
    problems: [],
  },
};
