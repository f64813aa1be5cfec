-- Modify "orders" table
ALTER TABLE "orders" ADD COLUMN "status" text NOT NULL DEFAULT 'pending';
-- Create index "orders_status_idx" to table: "orders"
CREATE INDEX "orders_status_idx" ON "orders" ("status");
