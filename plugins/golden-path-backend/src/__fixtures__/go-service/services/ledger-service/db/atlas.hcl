# Atlas configuration (run in db/): `atlas migrate diff --env local <name>` writes
# a migration for the changes in schema/schema.sql; `atlas migrate apply --env local`
# applies migrations/ to the local database created by `make db-init`.
env "local" {
  src = "file://schema/schema.sql"
  url = "postgres://ledger_svc:local-dev-only@localhost:5432/ledger_db?sslmode=disable"
  dev = "docker://postgres/17/dev?search_path=public"
  migration {
    dir = "file://migrations"
  }
}
