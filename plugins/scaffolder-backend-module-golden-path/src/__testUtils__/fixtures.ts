/** Proto, SQL and migration fixtures written into test workspaces. */

export const BUF_YAML = `version: v2
modules:
  - path: .
lint:
  use: [STANDARD]
breaking:
  use: [WIRE_JSON]
`;

export const BUF_GEN_YAML = `version: v2
plugins:
  - local: protoc-gen-go
    out: ../../gen
    opt: paths=source_relative
  - local: protoc-gen-go-grpc
    out: ../../gen
    opt: paths=source_relative
`;

export const GOOD_PROTO = `syntax = "proto3";

package order.v1;

option go_package = "example.com/gen/order/v1;orderv1";

service OrderService {
  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);
}

message GetOrderRequest {
  string id = 1;
}

message GetOrderResponse {
  string id = 1;
  string status = 2;
}
`;

/** Lint-unclean: a service named in plural and an enum without _UNSPECIFIED. */
export const LINT_BAD_PROTO = `syntax = "proto3";

package order.v1;

enum Color {
  RED = 0;
}

service Orders {
  rpc Get(GetOrderRequest) returns (GetOrderRequest);
}

message GetOrderRequest {
  string id = 1;
}
`;

export const BROKEN_PROTO = `syntax = "proto3";
package order.v1;
message Broken {
  string id = 1
}
`;

export const protoWorkspace = (
  proto: string,
  extra: Record<string, string> = {},
) => ({
  'api/proto/buf.yaml': BUF_YAML,
  'api/proto/buf.gen.yaml': BUF_GEN_YAML,
  'api/proto/order/v1/order_service.proto': proto,
  ...extra,
});

export const SQLC_YAML = `version: "2"
sql:
  - engine: postgresql
    schema: schema/schema.sql
    queries: queries
    gen:
      go:
        package: sqlcgen
        sql_package: pgx/v5
        out: ../sqlcgen
`;

export const SCHEMA_SQL = `CREATE TABLE orders (
  id uuid PRIMARY KEY,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;

export const GOOD_QUERIES = `-- name: GetOrder :one
SELECT id, status, created_at FROM orders WHERE id = $1;

-- name: ListOrders :many
SELECT id, status, created_at FROM orders ORDER BY created_at LIMIT $1;
`;

export const BAD_QUERIES = `-- name: GetOrder :one
SELECT id, missing_column FROM orders WHERE id = $1;
`;

export const sqlcWorkspace = (queries: string, config = SQLC_YAML) => ({
  'svc/db/sqlc.yaml': config,
  'svc/db/schema/schema.sql': SCHEMA_SQL,
  'svc/db/queries/order.sql': queries,
});
