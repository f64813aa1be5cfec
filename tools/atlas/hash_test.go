package main

import (
	"os"
	"path/filepath"
	"testing"

	"ariga.io/atlas/sql/migrate"
)

func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", name)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if e.Name() == migrate.HashFileName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return writeDir(t, files)
}

func TestMigrateHashMatchesLibrary(t *testing.T) {
	dir := copyFixture(t, "hash")
	mustAtlas(t, "migrate", "hash", "--dir", "file://"+dir)
	got, err := os.ReadFile(filepath.Join(dir, migrate.HashFileName))
	if err != nil {
		t.Fatal(err)
	}
	ld, err := migrate.NewLocalDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := ld.Files()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := migrate.NewHashFile(files)
	if err != nil {
		t.Fatal(err)
	}
	want, err := sum.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("atlas.sum differs from the library's hash file\ngot:\n%s\nwant:\n%s", got, want)
	}
	// The committed golden file pins the format across library upgrades.
	golden, err := os.ReadFile(filepath.Join("testdata", "hash", migrate.HashFileName))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(golden) {
		t.Fatalf("atlas.sum differs from testdata/hash/atlas.sum\ngot:\n%s\nwant:\n%s", got, golden)
	}
	// Hashing again is stable, and the directory validates.
	mustAtlas(t, "migrate", "hash", "--dir", "file://"+dir)
	again, err := os.ReadFile(filepath.Join(dir, migrate.HashFileName))
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(got) {
		t.Fatalf("second hash differs:\n%s\n%s", got, again)
	}
	mustAtlas(t, "migrate", "validate", "--dir", "file://"+dir)
}

func TestMigrateHashMissingDir(t *testing.T) {
	r := atlas(t, "migrate", "hash", "--dir", "file://"+filepath.Join(t.TempDir(), "nope"))
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stderr, "Error: open migration directory")
}
