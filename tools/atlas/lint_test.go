package main

import (
	"encoding/json"
	"testing"
)

func TestMigrateLintDropTable(t *testing.T) {
	devURL, _ := testDB(t)
	dir := hashedDir(t, map[string]string{
		"1_init.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE pets (id bigint PRIMARY KEY);\n",
		"2_drop.sql": "-- drop the pets\nDROP TABLE pets;\n",
	})
	r := atlas(t, "migrate", "lint", "--dir", "file://"+dir, "--dev-url", devURL, "--latest", "1", "--format", "{{ json .Files }}")
	if r.code != 1 {
		t.Fatalf("destructive changes must exit 1: %s", r)
	}
	var files []struct {
		Name    string
		Text    string
		Error   string
		Reports []struct {
			Text        string
			Diagnostics []struct {
				Pos  int
				Text string
				Code string
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &files); err != nil {
		t.Fatalf("output is not the JSON of .Files: %v\n%s", err, r.stdout)
	}
	if len(files) != 1 || files[0].Name != "2_drop.sql" || files[0].Error != "destructive changes detected" {
		t.Fatalf("unexpected files: %+v", files)
	}
	if len(files[0].Reports) != 1 || len(files[0].Reports[0].Diagnostics) != 1 {
		t.Fatalf("unexpected reports: %+v", files[0].Reports)
	}
	d := files[0].Reports[0].Diagnostics[0]
	if d.Code != "DS102" || d.Text != `Dropping table "pets"` || d.Pos != len("-- drop the pets\n") {
		t.Fatalf("unexpected diagnostic: %+v", d)
	}

	// The default format is Atlas's human-readable report.
	r = atlas(t, "migrate", "lint", "--dir", "file://"+dir, "--dev-url", devURL, "--latest", "2")
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stdout, "Analyzing changes until version 2 (2 migrations in total):")
	contains(t, r.stdout, "-- L2: Dropping table \"pets\" https://atlasgo.io/lint/analyzers#DS102")
	contains(t, r.stdout, "-- 1 version ok, 1 with errors")

	// A nolint directive silences the analyzer.
	quiet := hashedDir(t, map[string]string{
		"1_init.sql": "CREATE TABLE pets (id bigint PRIMARY KEY);\n",
		"2_drop.sql": "-- atlas:nolint destructive\nDROP TABLE pets;\n",
	})
	mustAtlas(t, "migrate", "lint", "--dir", "file://"+quiet, "--dev-url", devURL, "--latest", "1")
}

func TestMigrateLintRequiresLatest(t *testing.T) {
	r := atlas(t, "migrate", "lint", "--dir", "file://"+t.TempDir(), "--dev-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stderr, "--latest or --git-base is required")
}
