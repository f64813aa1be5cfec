-- Create "users" table
CREATE TABLE "users" ("id" bigint NOT NULL, "email" text NOT NULL, PRIMARY KEY ("id"));
