ALTER TABLE "orders" ADD COLUMN "customer_id" uuid NULL;
