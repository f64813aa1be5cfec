package database_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/internal/testdb"
)

func testPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return testdb.New(t, "pkg_database_test", "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)")
}

func count(t *testing.T, db database.DBTX) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT count(*) FROM items").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNewPoolRejectsBadURL(t *testing.T) {
	t.Parallel()
	if _, err := database.NewPool(context.Background(), "not a url ::"); err == nil {
		t.Fatal("NewPool accepted a malformed url")
	}
}

func TestWithinTx(t *testing.T) {
	t.Parallel()
	pool := testPool(t)
	tm := database.NewTxManager(pool)
	ctx := context.Background()

	t.Run("commit", func(t *testing.T) {
		err := tm.WithinTx(ctx, func(ctx context.Context) error {
			db := database.GetDBTX(ctx, pool)
			if _, ok := db.(pgx.Tx); !ok {
				t.Errorf("GetDBTX inside WithinTx returned %T, want pgx.Tx", db)
			}
			_, err := db.Exec(ctx, "INSERT INTO items VALUES (1, 'a')")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := count(t, pool); got != 1 {
			t.Fatalf("rows after commit = %d, want 1", got)
		}
	})

	t.Run("rollback on error", func(t *testing.T) {
		sentinel := errors.New("use case failed")
		err := tm.WithinTx(ctx, func(ctx context.Context) error {
			if _, err := database.GetDBTX(ctx, pool).Exec(ctx, "INSERT INTO items VALUES (2, 'b')"); err != nil {
				return err
			}
			return sentinel
		})
		if !errors.Is(err, sentinel) {
			t.Fatalf("WithinTx error = %v, want sentinel", err)
		}
		if got := count(t, pool); got != 1 {
			t.Fatalf("rows after rollback = %d, want 1", got)
		}
	})

	t.Run("rollback on panic", func(t *testing.T) {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("panic was swallowed")
				}
			}()
			_ = tm.WithinTx(ctx, func(ctx context.Context) error {
				_, _ = database.GetDBTX(ctx, pool).Exec(ctx, "INSERT INTO items VALUES (3, 'c')")
				panic("boom")
			})
		}()
		if got := count(t, pool); got != 1 {
			t.Fatalf("rows after panic = %d, want 1", got)
		}
	})

	t.Run("nested joins outer", func(t *testing.T) {
		err := tm.WithinTx(ctx, func(outer context.Context) error {
			if err := tm.WithinTx(outer, func(inner context.Context) error {
				_, err := database.GetDBTX(inner, pool).Exec(inner, "INSERT INTO items VALUES (4, 'd')")
				return err
			}); err != nil {
				return err
			}
			return errors.New("outer fails after inner succeeded")
		})
		if err == nil {
			t.Fatal("outer error lost")
		}
		if got := count(t, pool); got != 1 {
			t.Fatalf("rows after nested rollback = %d, want 1", got)
		}
	})

	t.Run("pool outside tx", func(t *testing.T) {
		if _, ok := database.GetDBTX(ctx, pool).(*pgxpool.Pool); !ok {
			t.Fatal("GetDBTX without tx did not return the pool")
		}
	})
}

func TestNewTxManagerNilPool(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("NewTxManager(nil) did not panic")
		}
	}()
	database.NewTxManager(nil)
}
