-- Create "orders" table
CREATE TABLE "orders" ("id" bigint NOT NULL, "user_id" bigint NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id"));
-- Create index "orders_user_id_idx" to table: "orders"
CREATE INDEX "orders_user_id_idx" ON "orders" ("user_id");
