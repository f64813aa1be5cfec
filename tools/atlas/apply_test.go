package main

import (
	"encoding/json"
	"strings"
	"testing"
)

var appFiles = map[string]string{
	"20240101000000_users.sql":  "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
	"20240102000000_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user_id_idx ON orders (user_id);\n",
}

type statusJSON struct {
	Available, Pending []struct{ Name, Version, Description string }
	Applied            []struct {
		Version, Description, Type string
		Applied, Total             int
		OperatorVersion            string
	}
	Current, Next, Status, Error, SQL string
	Count, Total                      int
}

func status(t *testing.T, args ...string) statusJSON {
	t.Helper()
	r := mustAtlas(t, append([]string{"migrate", "status", "--format", "{{ json . }}"}, args...)...)
	var s statusJSON
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("status JSON: %v\n%s", err, r.stdout)
	}
	return s
}

func TestMigrateApplyThenStatus(t *testing.T) {
	url, db := testDB(t)
	dir := hashedDir(t, appFiles)
	s := status(t, "--dir", "file://"+dir, "--url", url)
	if s.Status != "PENDING" || s.Current != "No migration applied yet" || s.Next != "20240101000000" || len(s.Pending) != 2 {
		t.Fatalf("status before apply: %+v", s)
	}
	r := mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url)
	contains(t, r.stdout, "Migrating to version 20240102000000 (2 migrations in total):")
	contains(t, r.stdout, "  -- migrating version 20240101000000\n    -> CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n  -- ok (")
	contains(t, r.stdout, "  -- 2 migrations\n  -- 3 sql statements\n")

	s = status(t, "--dir", "file://"+dir, "--url", url)
	if s.Status != "OK" || s.Current != "20240102000000" || s.Next != "Already at latest version" || len(s.Applied) != 2 || len(s.Pending) != 0 {
		t.Fatalf("status after apply: %+v", s)
	}
	if a := s.Applied[1]; a.Type != "applied" || a.Applied != 2 || a.Total != 2 || a.OperatorVersion != "Atlas CLI "+Version || a.Description != "orders" {
		t.Fatalf("revision: %+v", a)
	}
	text := mustAtlas(t, "migrate", "status", "--dir", "file://"+dir, "--url", url).stdout
	want := "Migration Status: OK\n  -- Current Version: 20240102000000\n  -- Next Version:    Already at latest version\n  -- Executed Files:  2\n  -- Pending Files:   0\n"
	if text != want {
		t.Fatalf("status text:\n%q\nwant:\n%q", text, want)
	}
	r = mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url)
	if r.stdout != "No migration files to execute\n" {
		t.Fatalf("second apply: %s", r)
	}

	// The revision table has Atlas's columns, types and values.
	cols := queryString(t, db, `SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable, ', ' ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_schema = 'atlas_schema_revisions' AND table_name = 'atlas_schema_revisions'`)
	wantCols := "version character varying NO, description character varying NO, type bigint NO, applied bigint NO, total bigint NO, " +
		"executed_at timestamp with time zone NO, execution_time bigint NO, error text YES, error_stmt text YES, hash character varying NO, " +
		"partial_hashes jsonb YES, operator_version character varying NO"
	if cols != wantCols {
		t.Fatalf("revision columns:\n%s\nwant:\n%s", cols, wantCols)
	}
	row := queryString(t, db, `SELECT concat_ws('|', version, description, type, applied, total, hash, error, partial_hashes::text) FROM atlas_schema_revisions.atlas_schema_revisions WHERE version = '20240101000000'`)
	if !strings.HasPrefix(row, "20240101000000|users|2|1|1|") || !strings.HasSuffix(row, "||null") {
		t.Fatalf("revision row: %s", row)
	}
}

func TestMigrateApplyAmount(t *testing.T) {
	url, _ := testDB(t)
	dir := hashedDir(t, appFiles)
	r := mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url, "1")
	contains(t, r.stdout, "Migrating to version 20240101000000 (1 migrations in total):")
	r = mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url, "1")
	contains(t, r.stdout, "Migrating to version 20240102000000 from 20240101000000 (1 migrations in total):")
	if r := atlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url, "0"); r.code != 1 || !strings.Contains(r.stderr, "cannot apply '0' migration files") {
		t.Fatalf("amount 0: %s", r)
	}
}

var brokenFiles = map[string]string{
	"1_users.sql":  "CREATE TABLE users (id bigint PRIMARY KEY);\n",
	"2_broken.sql": "CREATE TABLE broken (id bigint);\nTHIS IS A FAILING STATEMENT;\nCREATE TABLE never (id bigint);\n",
}

func TestMigrateApplyFailureRecorded(t *testing.T) {
	url, db := testDB(t)
	dir := hashedDir(t, brokenFiles)
	// Without a transaction the applied statement stays, and the revision
	// records the error, the failing statement and applied < total.
	r := atlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url, "--tx-mode", "none")
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stderr, `Error: sql/migrate: executing statement "THIS IS A FAILING STATEMENT;" from version "2"`)
	contains(t, r.stdout, "  -- 1 migration ok, 1 with errors\n  -- 2 sql statements ok, 1 with errors\n")
	row := queryString(t, db, `SELECT concat_ws('|', type, applied, total, error_stmt, error, jsonb_array_length(partial_hashes)) FROM atlas_schema_revisions.atlas_schema_revisions WHERE version = '2'`)
	if want := `2|1|3|THIS IS A FAILING STATEMENT;|pq: syntax error at or near "THIS"|1`; row != want {
		t.Fatalf("failed revision:\n%s\nwant:\n%s", row, want)
	}
	s := status(t, "--dir", "file://"+dir, "--url", url)
	if s.Status != "PENDING" || s.Count != 1 || s.Total != 3 || s.SQL != "THIS IS A FAILING STATEMENT;" || !strings.Contains(s.Error, "syntax error") {
		t.Fatalf("status after failure: %+v", s)
	}
	text := mustAtlas(t, "migrate", "status", "--dir", "file://"+dir, "--url", url).stdout
	contains(t, text, "  -- Current Version: 2 (1 statements applied)\n  -- Next Version:    2 (2 statements left)\n  -- Executed Files:  2 (last one partially)\n")
	contains(t, text, "Last migration attempt had errors:\n  -- SQL:   THIS IS A FAILING STATEMENT;\n  -- ERROR: pq: syntax error")
}

func TestMigrateApplyFailureInTransaction(t *testing.T) {
	url, db := testDB(t)
	dir := hashedDir(t, brokenFiles)
	// In the default mode (a transaction per file) the failing file is rolled
	// back with its revision row, as with the Atlas CLI on PostgreSQL.
	r := atlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url)
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stderr, `executing statement "THIS IS A FAILING STATEMENT;" from version "2"`)
	if n := queryString(t, db, `SELECT count(*)::text FROM pg_tables WHERE tablename = 'broken'`); n != "0" {
		t.Fatal("the failing file was not rolled back")
	}
	if v := queryString(t, db, `SELECT string_agg(version, ',' ORDER BY version) FROM atlas_schema_revisions.atlas_schema_revisions`); v != "1" {
		t.Fatalf("revisions: %s", v)
	}
	s := status(t, "--dir", "file://"+dir, "--url", url)
	if s.Status != "PENDING" || s.Current != "1" || s.Next != "2" {
		t.Fatalf("status: %+v", s)
	}
}

func TestMigrateApplyBaseline(t *testing.T) {
	url, db := testDB(t)
	if _, err := db.Exec(`CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	dir := hashedDir(t, appFiles)
	r := atlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url)
	if r.code != 1 {
		t.Fatalf("a dirty database needs --baseline: %s", r)
	}
	contains(t, r.stderr, `connected database is not clean: found schema "public". baseline version or allow-dirty is required`)
	r = mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url, "--baseline", "20240101000000")
	contains(t, r.stdout, "Migrating to version 20240102000000 from 20240101000000 (1 migrations in total):")
	rows := queryString(t, db, `SELECT string_agg(concat_ws(':', version, type, applied, total), ',' ORDER BY version) FROM atlas_schema_revisions.atlas_schema_revisions`)
	if rows != "20240101000000:1:0:0,20240102000000:2:2:2" {
		t.Fatalf("revisions: %s", rows)
	}
	s := status(t, "--dir", "file://"+dir, "--url", url)
	if s.Status != "OK" || len(s.Applied) != 2 || s.Applied[0].Type != "baseline" {
		t.Fatalf("status: %+v", s)
	}
}

func TestMigrateApplyAllowDirty(t *testing.T) {
	url, db := testDB(t)
	if _, err := db.Exec(`CREATE TABLE legacy (id bigint)`); err != nil {
		t.Fatal(err)
	}
	dir := hashedDir(t, appFiles)
	mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url, "--allow-dirty")
	if s := status(t, "--dir", "file://"+dir, "--url", url); s.Status != "OK" {
		t.Fatalf("status: %+v", s)
	}
}

func TestRevisionsSchemaPlacement(t *testing.T) {
	url, db := testDB(t)
	dir := hashedDir(t, map[string]string{"1_t.sql": "CREATE TABLE t (id bigint);\n"})
	where := func() string {
		return queryString(t, db, `SELECT string_agg(table_schema, ',' ORDER BY table_schema) FROM information_schema.tables WHERE table_name = 'atlas_schema_revisions'`)
	}
	// Not bound to a schema: the atlas_schema_revisions schema.
	mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", url)
	if got := where(); got != "atlas_schema_revisions" {
		t.Fatalf("realm URL: revisions in %q", got)
	}
	// Bound to a schema (search_path): that schema.
	if _, err := db.Exec(`CREATE SCHEMA app`); err != nil {
		t.Fatal(err)
	}
	appURL := withSearchPath(t, url, "app")
	// With an old-default table present, Atlas refuses to guess.
	r := atlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", appURL)
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stdout, "We couldn't find a revision table in the connected schema")
	if _, err := db.Exec(`DROP SCHEMA atlas_schema_revisions CASCADE`); err != nil {
		t.Fatal(err)
	}
	mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", appURL)
	if got := where(); got != "app" {
		t.Fatalf("schema URL: revisions in %q", got)
	}
	if n := queryString(t, db, `SELECT count(*)::text FROM pg_tables WHERE schemaname = 'app' AND tablename = 't'`); n != "1" {
		t.Fatal("migration not applied in schema app")
	}
	// --revisions-schema wins.
	if _, err := db.Exec(`CREATE SCHEMA other`); err != nil {
		t.Fatal(err)
	}
	otherURL := withSearchPath(t, url, "other")
	mustAtlas(t, "migrate", "apply", "--dir", "file://"+dir, "--url", otherURL, "--revisions-schema", "history")
	if got := where(); got != "app,history" {
		t.Fatalf("--revisions-schema: revisions in %q", got)
	}
	if s := status(t, "--dir", "file://"+dir, "--url", otherURL, "--revisions-schema", "history"); s.Status != "OK" {
		t.Fatalf("status: %+v", s)
	}
}

func TestMigrateSet(t *testing.T) {
	url, db := testDB(t)
	dir := hashedDir(t, appFiles)
	r := mustAtlas(t, "migrate", "set", "20240101000000", "--dir", "file://"+dir, "--url", url)
	if want := "Current version is 20240101000000 (1 set):\n\n  + 20240101000000 (users)\n\n"; r.stdout != want {
		t.Fatalf("set output:\n%q\nwant:\n%q", r.stdout, want)
	}
	rows := queryString(t, db, `SELECT string_agg(concat_ws(':', version, type), ',' ORDER BY version) FROM atlas_schema_revisions.atlas_schema_revisions`)
	if rows != "20240101000000:4" {
		t.Fatalf("revisions: %s", rows)
	}
	s := status(t, "--dir", "file://"+dir, "--url", url)
	if s.Current != "20240101000000" || s.Next != "20240102000000" || s.Applied[0].Type != "manually set" {
		t.Fatalf("status: %+v", s)
	}
	if r := atlas(t, "migrate", "set", "99", "--dir", "file://"+dir, "--url", url); r.code != 1 || !strings.Contains(r.stderr, `migration with version "99" not found`) {
		t.Fatalf("unknown version: %s", r)
	}
}
