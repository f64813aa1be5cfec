// Package testdb gives the integration and boot tests a fresh PostgreSQL
// database with the service's migrations applied.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/go-pkg/database"
)

// DefaultAdminURL is the local development server (make infra-up).
const DefaultAdminURL = "postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"

// New creates the database ledger_test_<random> on the server of
// TEST_DATABASE_URL (default DefaultAdminURL), applies db/migrations/*.sql in
// order, and drops it when the test ends. It returns a pool and the
// database's URL. GOLDEN_PATH_NO_DB=1 skips the test.
func New(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	if os.Getenv("GOLDEN_PATH_NO_DB") == "1" {
		t.Skip("GOLDEN_PATH_NO_DB=1: skipping PostgreSQL test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	adminURL := os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		adminURL = DefaultAdminURL
	}
	admin, err := database.NewPool(ctx, adminURL)
	if err != nil {
		t.Fatalf("connect to %s (start it with make infra-up, set TEST_DATABASE_URL, or GOLDEN_PATH_NO_DB=1 to skip): %v", adminURL, err)
	}
	t.Cleanup(admin.Close)

	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatal(err)
	}
	name := "ledger_test_" + hex.EncodeToString(suffix)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})

	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatalf("parse %s: %v", adminURL, err)
	}
	u.Path = "/" + name
	pool, err := database.NewPool(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	for _, file := range Migrations(t) {
		sql, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, string(sql)); err != nil {
			t.Fatalf("apply %s: %v", filepath.Base(file), err)
		}
	}
	return pool, u.String()
}

// Migrations returns the migration files in the order Atlas applies them.
func Migrations(t testing.TB) []string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "db", "migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations found in %s (%v)", filepath.Join(root, "db", "migrations"), err)
	}
	slices.Sort(files)
	return files
}

// moduleRoot is the service's directory: the nearest go.mod above the test's
// working directory (go test runs each package in its own directory). Not
// runtime.Caller: under -trimpath it gives no path on disk.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for start := dir; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod in %s or above it", start)
		}
		dir = parent
	}
}
