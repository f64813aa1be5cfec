package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	ledgerv1 "github.com/acme/go-pkg/proto/ledger/v1"

	"github.com/acme/ledger-service/tests/testdb"
)

// lockTable holds an ACCESS EXCLUSIVE lock on the accounts table until the
// returned function is called, so every query of it waits: a call as long as
// the test wants, through the service's real code path.
func lockTable(t *testing.T, pool *pgxpool.Pool) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	var once bool
	release = func() {
		if !once {
			once = true
			_ = tx.Rollback(ctx)
		}
	}
	t.Cleanup(release)
	return release
}

// waitForLockWait returns once a statement of the service waits for the lock.
func waitForLockWait(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		err := pool.QueryRow(context.Background(),
			"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no query of the service waits for the table lock")
}

// eventually reports whether cond becomes true within 2s (the process's output
// reaches the test through a pipe, a little after the client's answer).
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestTimeLimitsAndDrain runs the binary with short limits: a query slower
// than DB_STATEMENT_TIMEOUT ends as DeadlineExceeded; on SIGTERM the server
// reports NOT_SERVING, keeps serving for SHUTDOWN_DRAIN_DELAY, lets the
// in-flight call finish with its real answer and exits 0 within
// SHUTDOWN_TIMEOUT.
func TestTimeLimitsAndDrain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	pool, dbURL := testdb.New(t)
	const (
		statementTimeout = 3 * time.Second
		drainDelay       = 500 * time.Millisecond
		shutdownTimeout  = 10 * time.Second
	)
	svc := startService(t, "DATABASE_URL="+dbURL,
		"DB_STATEMENT_TIMEOUT="+statementTimeout.String(), "DB_LOCK_TIMEOUT=0", "RPC_DEFAULT_TIMEOUT=30s",
		"SHUTDOWN_DRAIN_DELAY="+drainDelay.String(), "SHUTDOWN_TIMEOUT="+shutdownTimeout.String())
	logs := svc.logs
	ctx := asRole(t, "reader", 20*time.Second)
	client := ledgerv1.NewAccountServiceClient(svc.conn)

	// A query slower than statement_timeout (waiting for the lock counts).
	release := lockTable(t, pool)
	start := time.Now()
	_, err := client.ListAccounts(ctx, &ledgerv1.ListAccountsRequest{})
	if elapsed := time.Since(start); status.Code(err) != codes.DeadlineExceeded || elapsed < statementTimeout || elapsed > statementTimeout+3*time.Second {
		t.Fatalf("slow query: %v after %v, want DeadlineExceeded after DB_STATEMENT_TIMEOUT %v\n%s", err, elapsed, statementTimeout, logs)
	}
	if !eventually(func() bool { return strings.Contains(logs.String(), "statement timeout") }) {
		t.Errorf("the log does not carry the database's cause of the DeadlineExceeded:\n%s", logs)
	}
	release()

	// SIGTERM while a call is in flight: it finishes with its real answer.
	release = lockTable(t, pool)
	type result struct {
		resp *ledgerv1.ListAccountsResponse
		err  error
	}
	inFlight := make(chan result, 1)
	go func() {
		resp, err := client.ListAccounts(ctx, &ledgerv1.ListAccountsRequest{})
		inFlight <- result{resp, err}
	}()
	waitForLockWait(t, pool)
	sigterm := svc.sigterm()
	for svc.healthStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		if time.Since(sigterm) > drainDelay {
			t.Fatalf("health not NOT_SERVING during the drain delay\n%s", logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(drainDelay + 500*time.Millisecond) // past the drain: GracefulStop waits for the call
	release()
	select {
	case r := <-inFlight:
		if r.err != nil {
			t.Fatalf("the in-flight call was cut by the shutdown: %v\n%s", r.err, logs)
		}
	case <-time.After(shutdownTimeout):
		t.Fatalf("the in-flight call did not finish\n%s", logs)
	}
	if err := svc.waitExit(shutdownTimeout); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, logs)
	}
	if took := time.Since(sigterm); took > shutdownTimeout {
		t.Errorf("stop took %v, more than SHUTDOWN_TIMEOUT %v", took, shutdownTimeout)
	}
	out := logs.String()
	if strings.Index(out, "gRPC server draining") > strings.Index(out, "gRPC server stopped") || strings.Contains(out, "calls still running") {
		t.Errorf("want draining, then a graceful stop:\n%s", out)
	}
}
