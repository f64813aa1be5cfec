package main

import (
	"os"
	"path/filepath"
	"testing"
)

var twoFiles = map[string]string{
	"1_users.sql":  "CREATE TABLE users (id bigint PRIMARY KEY);\n",
	"2_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n",
}

func TestMigrateValidateChecksum(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string)
		want   []string
	}{
		{
			name: "edited",
			change: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "1_users.sql"), []byte("CREATE TABLE users (id int PRIMARY KEY);\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"You have a checksum error in your migration directory.", "L2: 1_users.sql was edited", "'atlas migrate hash'"},
		},
		{
			name: "added",
			change: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "3_pets.sql"), []byte("CREATE TABLE pets (id bigint);\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"You have a checksum error in your migration directory.", "L4: 3_pets.sql was added"},
		},
		{
			name: "removed",
			change: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "2_orders.sql")); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"You have a checksum error in your migration directory.", "L3: 2_orders.sql was removed"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := hashedDir(t, twoFiles)
			mustAtlas(t, "migrate", "validate", "--dir", "file://"+dir)
			tc.change(t, dir)
			r := atlas(t, "migrate", "validate", "--dir", "file://"+dir)
			if r.code != 1 {
				t.Fatalf("want exit 1: %s", r)
			}
			for _, w := range tc.want {
				contains(t, r.stdout, w)
			}
			contains(t, r.stderr, "Error: checksum mismatch")
		})
	}
}

func TestMigrateValidateMissingSum(t *testing.T) {
	dir := writeDir(t, twoFiles)
	r := atlas(t, "migrate", "validate", "--dir", "file://"+dir)
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stdout, "You have a checksum error in your migration directory.")
	contains(t, r.stderr, "Error: checksum file not found")
}

func TestMigrateValidateDevURL(t *testing.T) {
	devURL, _ := testDB(t)
	good := hashedDir(t, twoFiles)
	mustAtlas(t, "migrate", "validate", "--dir", "file://"+good, "--dev-url", devURL)
	bad := hashedDir(t, map[string]string{
		"1_users.sql":  "CREATE TABLE users (id bigint PRIMARY KEY);\n",
		"2_broken.sql": "ALTER TABLE missing ADD COLUMN x int;\n",
	})
	r := atlas(t, "migrate", "validate", "--dir", "file://"+bad, "--dev-url", devURL)
	if r.code != 1 {
		t.Fatalf("want exit 1: %s", r)
	}
	contains(t, r.stderr, "replaying the migration directory")
	contains(t, r.stderr, `relation "missing" does not exist`)
	// The replay leaves the dev database clean.
	mustAtlas(t, "migrate", "validate", "--dir", "file://"+good, "--dev-url", devURL)
}
