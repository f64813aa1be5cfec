// Package testdb gives tests a fresh, throwaway PostgreSQL database.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
)

// New creates a database named <prefix>_<random> on the server of
// TEST_DATABASE_URL (default: the local development PostgreSQL), runs schema
// in it, and drops it (forcing connections closed) when the test ends.
// GOLDEN_PATH_NO_DB=1 skips the calling test.
func New(t testing.TB, prefix, schema string) *pgxpool.Pool {
	t.Helper()
	if os.Getenv("GOLDEN_PATH_NO_DB") == "1" {
		t.Skip("GOLDEN_PATH_NO_DB=1: skipping PostgreSQL test")
	}
	ctx := context.Background()
	adminURL := os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		adminURL = "postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	admin, err := database.NewPool(ctx, adminURL)
	if err != nil {
		t.Fatalf("connect to %s (set TEST_DATABASE_URL, or GOLDEN_PATH_NO_DB=1 to skip): %v", adminURL, err)
	}
	t.Cleanup(admin.Close)

	buf := make([]byte, 6)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	name := prefix + "_" + hex.EncodeToString(buf)
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
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	pool, err := database.NewPool(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if schema != "" {
		if _, err := pool.Exec(ctx, schema); err != nil {
			t.Fatalf("apply schema: %v", err)
		}
	}
	return pool
}
