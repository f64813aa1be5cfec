{%- set A = values.aggregate -%}
{%- set PB = values.protoPkg + 'v1' -%}
package e2e

import (
	"context"
{%- if values.jobs | length %}
	"net"
	"os"
	"strconv"
{%- endif %}
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"

	"${{ values.module }}/tests/testdb"
)

// lockTable holds an ACCESS EXCLUSIVE lock on the ${{ values.table }} table until the
// returned function is called, so every query of it waits: a call as long as
// the test wants, through the service's real code path.
func lockTable(t *testing.T, pool *pgxpool.Pool) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE ${{ values.table }} IN ACCESS EXCLUSIVE MODE"); err != nil {
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
	client := ${{ PB }}.New${{ A }}ServiceClient(svc.conn)

	// A query slower than statement_timeout (waiting for the lock counts).
	release := lockTable(t, pool)
	start := time.Now()
	_, err := client.List${{ values.aggPlural }}(ctx, &${{ PB }}.List${{ values.aggPlural }}Request{})
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
		resp *${{ PB }}.List${{ values.aggPlural }}Response
		err  error
	}
	inFlight := make(chan result, 1)
	go func() {
		resp, err := client.List${{ values.aggPlural }}(ctx, &${{ PB }}.List${{ values.aggPlural }}Request{})
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
{%- if values.jobs | length %}

// TestRunningJobDoesNotDelayTheDrain runs the binary with the ${{ values.jobs[0].name }} job held
// up by a table lock (DB_STATEMENT_TIMEOUT and DB_LOCK_TIMEOUT off, so its
// query waits as long as the lock is held) and stops it with SIGTERM: the
// server reports NOT_SERVING at once and stops serving after the drain delay
// while the job runs on; the job is cancelled before SHUTDOWN_TIMEOUT ends
// and recorded failed with the shutdown as its cause, and the process exits 0
// within SHUTDOWN_TIMEOUT.
func TestRunningJobDoesNotDelayTheDrain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	pool, dbURL := testdb.New(t)
	const (
		jobName         = "${{ values.jobs[0].name }}"
		drainDelay      = 500 * time.Millisecond
		shutdownTimeout = 10 * time.Second
	)
	svc := startService(t, "DATABASE_URL="+dbURL,
		"DB_STATEMENT_TIMEOUT=0", "DB_LOCK_TIMEOUT=0", "JOB_KEY_PREFIX=e2e-"+strconv.Itoa(os.Getpid())+"-"+time.Now().Format("150405.000000"),
		"SHUTDOWN_DRAIN_DELAY="+drainDelay.String(), "SHUTDOWN_TIMEOUT="+shutdownTimeout.String())
	logs, port := svc.logs, svc.port
	ctx := asRole(t, "admin", 20*time.Second)
	lockTable(t, pool)
	run, err := ${{ PB }}.New${{ A }}ServiceClient(svc.conn).RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: jobName})
	if err != nil {
		t.Fatalf("RunJob %s: %v\n%s", jobName, err, logs)
	}
	waitForLockWait(t, pool) // the job is running, stuck on the lock

	sigterm := svc.sigterm()
	for svc.healthStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		if time.Since(sigterm) > drainDelay {
			t.Fatalf("health not NOT_SERVING during the drain delay: the running job delays the drain\n%s", logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The server stops listening once drained, long before the job gives up.
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 200*time.Millisecond)
		if err != nil {
			break
		}
		_ = c.Close()
		if time.Since(sigterm) > drainDelay+2*time.Second {
			t.Fatalf("the gRPC server still accepts connections %v after SIGTERM: the running job delays the drain\n%s", time.Since(sigterm), logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := svc.waitExit(shutdownTimeout + 2*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, logs)
	}
	if took := time.Since(sigterm); took > shutdownTimeout {
		t.Errorf("stop took %v, more than SHUTDOWN_TIMEOUT %v", took, shutdownTimeout)
	}
	var (
		state, cause string
		finished     time.Time
	)
	err = pool.QueryRow(context.Background(), "SELECT status, coalesce(error, ''), finished_at FROM job_runs WHERE id = $1", run.GetRun().GetId()).Scan(&state, &cause, &finished)
	if err != nil {
		t.Fatalf("read the job run: %v\n%s", err, logs)
	}
	if state != "failed" || !strings.Contains(cause, "job runner is stopped before the run finished") || finished.Sub(sigterm) > shutdownTimeout {
		t.Errorf("job run = %s %q finished %v after SIGTERM; want failed by the shutdown within SHUTDOWN_TIMEOUT\n%s", state, cause, finished.Sub(sigterm), logs)
	}
	out := logs.String()
	if strings.Index(out, "gRPC server stopped") > strings.Index(out, "job failed") || strings.Contains(out, "calls still running") {
		t.Errorf("want the gRPC server stopped gracefully, then the job cancelled:\n%s", out)
	}
}
{%- endif %}
