package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestMigrateDiff(t *testing.T) {
	devURL, dev := testDB(t)
	work := t.TempDir()
	dir := filepath.Join(work, "migrations")
	schema := filepath.Join(work, "schema.sql")
	write := func(content string) {
		if err := os.WriteFile(schema, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n")
	diff := func() result {
		return mustAtlas(t, "migrate", "diff", "init", "--dir", "file://"+dir, "--to", "file://"+schema, "--dev-url", devURL)
	}
	diff()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[1] != "atlas.sum" || !regexp.MustCompile(`^\d{14}_init\.sql$`).MatchString(names[0]) {
		t.Fatalf("unexpected directory content: %v", names)
	}
	b, err := os.ReadFile(filepath.Join(dir, names[0]))
	if err != nil {
		t.Fatal(err)
	}
	want := "-- Create \"users\" table\nCREATE TABLE \"public\".\"users\" (\"id\" bigint NOT NULL, \"email\" text NOT NULL, PRIMARY KEY (\"id\"));\n"
	if string(b) != want {
		t.Fatalf("migration file:\n%s\nwant:\n%s", b, want)
	}
	mustAtlas(t, "migrate", "validate", "--dir", "file://"+dir)

	r := diff()
	contains(t, r.stdout, "The migration directory is synced with the desired state, no changes to be made")

	// The dev database is left clean.
	if n := queryString(t, dev, `SELECT count(*)::text FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`); n != "0" {
		t.Fatalf("dev database has %s tables after diff", n)
	}

	// A broken schema file fails with the statement Atlas names.
	write("CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE broken (id bigint REFERENCES nope (id));\n")
	r = atlas(t, "migrate", "diff", "next", "--dir", "file://"+dir, "--to", "file://"+schema, "--dev-url", devURL)
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stderr, `read state from "schema.sql": executing statement`)
	if got, _ := os.ReadDir(dir); len(got) != 2 {
		t.Fatalf("a failed diff wrote files: %v", got)
	}
}

func TestMigrateDiffSchemaBound(t *testing.T) {
	devURL, _ := testDB(t)
	work := t.TempDir()
	dir := filepath.Join(work, "migrations")
	schema := filepath.Join(work, "schema.sql")
	if err := os.WriteFile(schema, []byte("CREATE TABLE items (id bigint PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustAtlas(t, "migrate", "diff", "--dir", "file://"+dir, "--to", "file://"+schema, "--dev-url", withSearchPath(t, devURL, "public"))
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("entries %v, %v", entries, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	// Schema-bound dev URLs produce unqualified tables, as in Atlas.
	if !strings.Contains(string(b), `CREATE TABLE "items"`) {
		t.Fatalf("migration file:\n%s", b)
	}
}
