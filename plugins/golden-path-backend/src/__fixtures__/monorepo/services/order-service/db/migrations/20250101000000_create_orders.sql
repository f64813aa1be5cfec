-- Create "orders" table
CREATE TABLE "orders" ("id" uuid NOT NULL, "total" bigint NOT NULL, "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
