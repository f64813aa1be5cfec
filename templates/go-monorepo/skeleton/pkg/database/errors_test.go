package database_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/internal/testdb"
)

const constrainedSchema = `
CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE accounts (
    id int PRIMARY KEY,
    email text NOT NULL UNIQUE,
    balance bigint NOT NULL CONSTRAINT accounts_balance_not_negative CHECK (balance >= 0),
    parent_id int REFERENCES parents (id)
);`

// TestMapErrorOnRealViolations provokes each violation on the real server and
// checks the domain code and that the message names the field or constraint
// but none of the values.
func TestMapErrorOnRealViolations(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_database_maperr", constrainedSchema)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO accounts (id, email, balance) VALUES (1, 'secret@example.com', 5)`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		sql      string
		code     apperrors.ErrorCode
		mentions string
	}{
		{"unique", `INSERT INTO accounts (id, email, balance) VALUES (2, 'secret@example.com', 1)`, apperrors.CodeAlreadyExists, "same email (unique constraint accounts_email_key)"},
		{"primary key", `INSERT INTO accounts (id, email, balance) VALUES (1, 'other@example.com', 1)`, apperrors.CodeAlreadyExists, "same id (unique constraint accounts_pkey)"},
		{"check", `INSERT INTO accounts (id, email, balance) VALUES (3, 'b@example.com', -1)`, apperrors.CodeInvalidArgument, "constraint accounts_balance_not_negative"},
		{"not null", `INSERT INTO accounts (id, balance) VALUES (4, 1)`, apperrors.CodeInvalidArgument, "email is required"},
		{"foreign key", `INSERT INTO accounts (id, email, balance, parent_id) VALUES (5, 'c@example.com', 1, 99)`, apperrors.CodeFailedPrecondition, "constraint accounts_parent_id_fkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, raw := pool.Exec(ctx, tt.sql)
			var pgErr *pgconn.PgError
			if !errors.As(raw, &pgErr) {
				t.Fatalf("expected a PostgreSQL error, got %v", raw)
			}
			err := database.MapError(raw)
			if got := apperrors.CodeOf(err); got != tt.code {
				t.Fatalf("code = %s, want %s (%v)", got, tt.code, err)
			}
			var sm apperrors.SafeMessager
			if !errors.As(err, &sm) || !strings.Contains(sm.SafeMessage(), tt.mentions) {
				t.Fatalf("client message %q does not name %q", sm.SafeMessage(), tt.mentions)
			}
			if strings.Contains(sm.SafeMessage(), "secret@example.com") || strings.Contains(sm.SafeMessage(), "SQLSTATE") {
				t.Fatalf("client message %q leaks values or SQL details", sm.SafeMessage())
			}
			if !errors.Is(err, raw) || !strings.Contains(err.Error(), pgErr.Code) {
				t.Fatalf("the cause is lost for the logs: %v", err)
			}
		})
	}
	if err := errors.New("plain"); database.MapError(err) != err {
		t.Error("MapError changed a non-PostgreSQL error")
	}
	if database.MapError(nil) != nil {
		t.Error("MapError(nil) is not nil")
	}
}

func poolWith(t *testing.T, base *pgxpool.Pool, opts ...database.Option) *pgxpool.Pool {
	t.Helper()
	pool, err := database.NewPool(context.Background(), base.Config().ConnString(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// TestStatementTimeout: a slow statement is cancelled by the server after
// statement_timeout, and MapError reports it as a deadline.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	pool := poolWith(t, testdb.New(t, "pkg_database_stmt", "SELECT 1"), database.WithStatementTimeout(150*time.Millisecond))
	var setting string
	if err := pool.QueryRow(context.Background(), "SHOW statement_timeout").Scan(&setting); err != nil || setting != "150ms" {
		t.Fatalf("statement_timeout = %q, %v; want 150ms", setting, err)
	}
	start := time.Now()
	_, err := pool.Exec(context.Background(), "SELECT pg_sleep(5)")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("pg_sleep(5) ran %v despite statement_timeout", elapsed)
	}
	if err := database.MapError(err); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("MapError = %v, want context.DeadlineExceeded", err)
	}
}

// TestLockTimeout: waiting for a row lock held by another transaction fails
// after lock_timeout with CodeAborted.
func TestLockTimeout(t *testing.T) {
	t.Parallel()
	base := testPool(t)
	ctx := context.Background()
	if _, err := base.Exec(ctx, "INSERT INTO items VALUES (1, 'a')"); err != nil {
		t.Fatal(err)
	}
	holder, err := base.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Rollback(ctx) }()
	if _, err := holder.Exec(ctx, "SELECT * FROM items WHERE id = 1 FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	pool := poolWith(t, base, database.WithLockTimeout(100*time.Millisecond))
	start := time.Now()
	_, err = pool.Exec(ctx, "UPDATE items SET name = 'b' WHERE id = 1")
	if time.Since(start) > 2*time.Second {
		t.Fatal("the update waited past lock_timeout")
	}
	if got := apperrors.CodeOf(database.MapError(err)); got != apperrors.CodeAborted {
		t.Fatalf("code = %s (%v), want ABORTED", got, err)
	}
}

// TestMapErrorDatabaseUnreachable: a database that cannot be reached is
// CodeUnavailable (clients retry), its cause kept for the logs.
func TestMapErrorDatabaseUnreachable(t *testing.T) {
	t.Parallel()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := closed.Addr().String()
	_ = closed.Close()
	pool, err := pgxpool.New(context.Background(), "postgres://app@"+addr+"/app?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	_, err = pool.Exec(context.Background(), "SELECT 1")
	mapped := database.MapError(err)
	if got := apperrors.CodeOf(mapped); got != apperrors.CodeUnavailable {
		t.Fatalf("code = %s (%v), want UNAVAILABLE", got, err)
	}
	if !errors.Is(mapped, err) {
		t.Fatalf("the cause is lost: %v", mapped)
	}
}

// TestMapErrorSessionTerminated: a connection the server terminates (a
// restart, a failover, pg_terminate_backend) is CodeUnavailable too.
func TestMapErrorSessionTerminated(t *testing.T) {
	t.Parallel()
	base := testPool(t)
	ctx := context.Background()
	conn, err := base.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var pid int
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := base.Exec(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "SELECT 1")
	if err == nil {
		t.Fatal("the terminated session still answered")
	}
	if got := apperrors.CodeOf(database.MapError(err)); got != apperrors.CodeUnavailable {
		t.Fatalf("code = %s (%v), want UNAVAILABLE", got, err)
	}
}

// TestMapErrorKeepsTheCallersDeadline: a call whose context ended is no outage.
func TestMapErrorKeepsTheCallersDeadline(t *testing.T) {
	t.Parallel()
	base := testPool(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := base.Exec(ctx, "SELECT 1")
	mapped := database.MapError(err)
	if apperrors.CodeOf(mapped) == apperrors.CodeUnavailable || !errors.Is(mapped, context.Canceled) {
		t.Fatalf("MapError(%v) = %v, want the context's error", err, mapped)
	}
}
