{%- set A = values.aggregate -%}
{%- set PB = values.protoPkg + 'v1' -%}
// Package jobs runs the scheduled-job infrastructure as production does: whole
// instances of the service (the Fx application of cmd/main.go, configured
// through its environment variables) sharing one PostgreSQL database and one
// Redis, with test jobs registered next to the service's own. The tests set
// environment variables, so they do not run in parallel.
package jobs

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/auth/jwt"
	"${{ values.pkgModule }}/job"
	"${{ values.pkgModule }}/job/pgstore"
	"${{ values.pkgModule }}/lock"
{% if values.protoPkg < 'common' %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% else %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% endif %}
	appfx "${{ values.module }}/internal/infrastructure/fx"
	"${{ values.module }}/tests/testdb"
	"${{ values.module }}/tests/testport"
	"${{ values.module }}/tests/testredis"
)

const jwtSecret = "jobs-test-secret-of-at-least-32-bytes"

// yearly is the schedule of the jobs the tests tick by hand: it does not fire
// while a test runs.
const yearly = "0 0 0 1 1 *"

// cluster is what the replicas of the service share: a database and a Redis
// key prefix, both fresh for the test.
type cluster struct {
	t      *testing.T
	pool   *pgxpool.Pool
	dbURL  string
	redis  *redis.Client
	prefix string
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	pool, dbURL := testdb.New(t)
	client := testredis.New(t)
	return &cluster{t: t, pool: pool, dbURL: dbURL, redis: client, prefix: testredis.Prefix(t, client, "${{ values.serviceName }}-jobs")}
}

// replica is one running instance of the service.
type replica struct {
	app     *fxtest.App
	addr    string
	runner  *job.Runner
	reg     *prometheus.Registry
	stopped bool
}

// start runs an instance named name: appfx.Module, as cmd/main.go runs it,
// plus the given job definitions in the "jobs" group, where every job module
// of the service puts its own.
func (c *cluster) start(name string, defs ...job.Definition) *replica {
	c.t.Helper()
	port := testport.Free(c.t)
	for key, value := range map[string]string{
		"DATABASE_URL": c.dbURL, "GRPC_PORT": strconv.Itoa(port), "METRICS_PORT": "0", "JWT_SECRET": jwtSecret,
		"OTEL_EXPORTER_OTLP_ENDPOINT": "", "LOG_LEVEL": "warn", "RATE_LIMIT_RPS": "0",
		"REDIS_ADDR": testredis.Addr(), "REDIS_PASSWORD": "", "REDIS_DB": "0",
		"JOB_KEY_PREFIX": c.prefix, "JOB_INSTANCE": name, "JOB_LOCK_TTL": "",
	} {
		c.t.Setenv(key, value)
	}
	r := &replica{addr: "127.0.0.1:" + strconv.Itoa(port)}
	opts := []fx.Option{appfx.Module, fx.Populate(&r.runner, &r.reg)}
	for _, def := range defs {
		opts = append(opts, fx.Provide(fx.Annotate(func() job.Definition { return def }, fx.ResultTags(`group:"jobs"`))))
	}
	r.app = fxtest.New(c.t, opts...)
	r.app.RequireStart()
	c.t.Cleanup(r.stop)
	return r
}

// stop stops the instance: the scheduler, then the runner, waiting for runs.
func (r *replica) stop() {
	if !r.stopped {
		r.stopped = true
		r.app.RequireStop()
	}
}

// client returns a gRPC client of the instance and a context with a token.
func (r *replica) client(t *testing.T) (${{ PB }}.${{ A }}ServiceClient, context.Context) {
	t.Helper()
	conn, err := grpc.NewClient(r.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	validator, err := jwt.NewValidator(jwt.Config{Secret: []byte(jwtSecret)})
	if err != nil {
		t.Fatal(err)
	}
	token, err := validator.Issue("jobs-test", []string{"admin"}, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
	return ${{ PB }}.New${{ A }}ServiceClient(conn), ctx
}

// health returns a client of the instance's gRPC health service.
func (r *replica) health(t *testing.T) healthpb.HealthClient {
	t.Helper()
	conn, err := grpc.NewClient(r.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return healthpb.NewHealthClient(conn)
}

// metric reads one sample of a counter of the instance's registry.
func (r *replica) metric(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for _, lp := range m.GetLabel() {
				if want, ok := labels[lp.GetName()]; ok && want != lp.GetValue() {
					continue next
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// runs reads the job_runs rows of a job straight from the table, oldest first.
func (c *cluster) runs(name string) []job.Run {
	c.t.Helper()
	rows, err := c.pool.Query(context.Background(), `SELECT id, job_name, triggered_by, status, instance_id,
		scheduled_at, started_at, finished_at, error FROM job_runs WHERE job_name = $1 ORDER BY started_at, id`, name)
	if err != nil {
		c.t.Fatal(err)
	}
	runs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (job.Run, error) {
		var (
			r                       job.Run
			trigger, state          string
			scheduledAt, finishedAt *time.Time
			errText                 *string
		)
		err := row.Scan(&r.ID, &r.Job, &trigger, &state, &r.Instance, &scheduledAt, &r.StartedAt, &finishedAt, &errText)
		r.Trigger, r.Status = job.Trigger(trigger), job.Status(state)
		if scheduledAt != nil {
			r.ScheduledAt = scheduledAt.UTC()
		}
		if finishedAt != nil {
			r.FinishedAt = finishedAt.UTC()
		}
		if errText != nil {
			r.Error = *errText
		}
		return r, err
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return runs
}

// waitFor polls cond for up to timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestTwoInstancesRunEachTickOnce(t *testing.T) {
	c := newCluster(t)
	var executions atomic.Int32
	everySecond := job.Definition{
		Job: job.NewFunc("every_second", func(context.Context) error {
			executions.Add(1)
			time.Sleep(50 * time.Millisecond)
			return nil
		}),
		Schedule: "* * * * * *",
		Timeout:  time.Second,
	}
	a := c.start("replica-a", everySecond)
	b := c.start("replica-b", everySecond)
	waitFor(t, 20*time.Second, "three finished ticks", func() bool {
		finished := 0
		for _, r := range c.runs("every_second") {
			if r.Status != job.StatusRunning {
				finished++
			}
		}
		return finished >= 3
	})
	a.stop()
	b.stop()

	runs := c.runs("every_second")
	perTick := map[time.Time]int{}
	for _, r := range runs {
		perTick[r.ScheduledAt]++
		if r.Status != job.StatusSucceeded || r.Trigger != job.TriggerCron || r.ScheduledAt.IsZero() ||
			(r.Instance != "replica-a" && r.Instance != "replica-b") {
			t.Errorf("run %+v: want a succeeded cron run of replica-a or replica-b", r)
		}
	}
	for tick, n := range perTick {
		if n != 1 {
			t.Errorf("tick %s: %d runs recorded, want exactly one", tick.Format(time.RFC3339), n)
		}
	}
	if got := int(executions.Load()); got != len(runs) {
		t.Errorf("the job ran %d times for %d recorded runs", got, len(runs))
	}
	labels := map[string]string{"job": "every_second", "status": "succeeded"}
	if got := a.metric(t, "job_runs_total", labels) + b.metric(t, "job_runs_total", labels); got != float64(len(runs)) {
		t.Errorf("job_runs_total of both replicas = %v, want %d", got, len(runs))
	}
}

// TestNoTickFiresOnceTheShutdownBegins stops an instance running a job every
// second with a drain delay of 2.5s: the ticks stop when the shutdown begins
// (the gRPC server's stop hook, the first to run), not when the jobs' phase
// comes after the drain, so no run starts during the drain only for that
// phase to cancel it.
func TestNoTickFiresOnceTheShutdownBegins(t *testing.T) {
	c := newCluster(t)
	t.Setenv("SHUTDOWN_DRAIN_DELAY", "2500ms")
	a := c.start("replica-a", job.Definition{
		Job:      job.NewFunc("during_drain", func(context.Context) error { return nil }),
		Schedule: "* * * * * *",
		Timeout:  time.Second,
	})
	waitFor(t, 10*time.Second, "a first tick", func() bool { return len(c.runs("during_drain")) > 0 })
	stopping := time.Now()
	a.stop()
	if took := time.Since(stopping); took < 2500*time.Millisecond {
		t.Fatalf("the stop took %v, want at least the drain delay", took)
	}
	// A tick of the instant the stop began may still fire; none of a later second.
	for _, r := range c.runs("during_drain") {
		if r.ScheduledAt.After(stopping.Add(200 * time.Millisecond)) {
			t.Errorf("run %+v: the tick of %s fired %v after the shutdown began", r, r.ScheduledAt.Format(time.RFC3339), r.ScheduledAt.Sub(stopping).Round(time.Millisecond))
		}
	}
}

// TestRunJobIsRefusedOnceTheShutdownBegins stops an instance with a drain
// delay while an API run goes on: during the drain, when the server still
// answers calls, RunJob is refused UNAVAILABLE with a message sending the
// client to another replica and starts no run, while the run started before
// goes on until the jobs' phase cancels it within SHUTDOWN_TIMEOUT.
func TestRunJobIsRefusedOnceTheShutdownBegins(t *testing.T) {
	c := newCluster(t)
	const shutdownTimeout = 5 * time.Second
	t.Setenv("SHUTDOWN_DRAIN_DELAY", "1500ms")
	t.Setenv("SHUTDOWN_TIMEOUT", shutdownTimeout.String())
	waitForCtx := func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}
	a := c.start("replica-a",
		job.Definition{Job: job.NewFunc("started_before", waitForCtx), Timeout: time.Minute},
		job.Definition{Job: job.NewFunc("asked_during_drain", func(context.Context) error { return nil }), Timeout: time.Minute},
	)
	client, ctx := a.client(t)
	before, err := client.RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: "started_before"})
	if err != nil {
		t.Fatalf("RunJob before the shutdown: %v", err)
	}

	health := a.health(t)
	a.stopped = true
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	stopping := time.Now()
	stopped := make(chan error, 1)
	go func() { stopped <- a.app.Stop(stopCtx) }()
	waitFor(t, time.Second, "NOT_SERVING once the shutdown begins", func() bool {
		resp, err := health.Check(ctx, &healthpb.HealthCheckRequest{})
		return err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_NOT_SERVING
	})
	_, err = client.RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: "asked_during_drain"})
	const refusal = "job asked_during_drain not started: this replica is shutting down; retry on another replica"
	if st, _ := status.FromError(err); st.Code() != codes.Unavailable || st.Message() != refusal {
		t.Fatalf("RunJob during the drain (%v after the shutdown began) = %v, want UNAVAILABLE %q", time.Since(stopping), err, refusal)
	}

	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("stop: %v", err)
		}
	case <-time.After(shutdownTimeout + time.Second):
		t.Fatalf("the stop did not end within SHUTDOWN_TIMEOUT %v", shutdownTimeout)
	}
	if runs := c.runs("asked_during_drain"); len(runs) != 0 {
		t.Errorf("runs started during the drain: %+v", runs)
	}
	runs := c.runs("started_before")
	if len(runs) != 1 || runs[0].ID.String() != before.GetRun().GetId() || runs[0].Status != job.StatusFailed ||
		!strings.Contains(runs[0].Error, "job runner is stopped before the run finished") ||
		runs[0].FinishedAt.Sub(stopping) > shutdownTimeout {
		t.Errorf("job_runs of started_before = %+v, want run %s failed by the shutdown within SHUTDOWN_TIMEOUT", runs, before.GetRun().GetId())
	}
}

func TestLockOfACrashedReplicaExpiresAndTheNextTickRuns(t *testing.T) {
	c := newCluster(t)
	ctx := context.Background()
	var executions atomic.Int32
	a := c.start("replica-a", job.Definition{
		Job:      job.NewFunc("after_crash", func(context.Context) error { executions.Add(1); return nil }),
		Schedule: yearly,
		Timeout:  time.Minute,
	})

	// A replica took the job's lock (pkg/job locks "job:<name>") and crashed:
	// nobody renews or releases it.
	crashed, err := lock.NewLocker(c.redis, lock.Config{Prefix: c.prefix})
	if err != nil {
		t.Fatal(err)
	}
	held, err := crashed.Acquire(ctx, "job:after_crash", 1500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	first := time.Now().UTC().Truncate(time.Second)
	skipped, err := a.runner.Tick(ctx, "after_crash", first)
	if !errors.Is(err, job.ErrAlreadyRunning) || skipped.Status != job.StatusSkipped {
		t.Fatalf("tick while the crashed replica holds the lock = %+v, %v; want a skipped run and ErrAlreadyRunning", skipped, err)
	}
	waitFor(t, 5*time.Second, "the crashed replica's lock expires", func() bool {
		return c.redis.Exists(ctx, held.Key()).Val() == 0
	})
	ran, err := a.runner.Tick(ctx, "after_crash", first.Add(time.Second))
	if err != nil || ran.Status != job.StatusSucceeded {
		t.Fatalf("tick after the lock expired = %+v, %v; want a succeeded run", ran, err)
	}
	if got := executions.Load(); got != 1 {
		t.Errorf("the job ran %d times, want once", got)
	}

	runs := c.runs("after_crash")
	if len(runs) != 2 {
		t.Fatalf("job_runs = %+v, want the skipped tick and the run", runs)
	}
	if r := runs[0]; r.Status != job.StatusSkipped || !r.ScheduledAt.Equal(first) || r.Error != "the previous run still holds the lock" ||
		r.Instance != "replica-a" || !r.FinishedAt.Equal(r.StartedAt) {
		t.Errorf("first row = %+v, want the skipped tick of %s", r, first)
	}
	if r := runs[1]; r.ID != ran.ID || r.Status != job.StatusSucceeded || !r.ScheduledAt.Equal(first.Add(time.Second)) ||
		r.Error != "" || r.FinishedAt.Before(r.StartedAt) {
		t.Errorf("second row = %+v, want the succeeded run %s", r, ran.ID)
	}
}

func TestARunExceedingItsTimeoutIsCancelledAndRecordedFailed(t *testing.T) {
	c := newCluster(t)
	const timeout = 300 * time.Millisecond
	a := c.start("replica-a", job.Definition{
		Job: job.NewFunc("too_slow", func(ctx context.Context) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Minute):
				return nil
			}
		}),
		Schedule: yearly,
		Timeout:  timeout,
	})
	start := time.Now()
	run, err := a.runner.Tick(context.Background(), "too_slow", start)
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < timeout || elapsed > 10*time.Second {
		t.Errorf("the run took %v, want it cancelled at its %v timeout", elapsed, timeout)
	}
	if run.Status != job.StatusFailed || !strings.Contains(run.Error, "timeout exceeded") {
		t.Errorf("run = %+v, want failed with a timeout error", run)
	}
	runs := c.runs("too_slow")
	if len(runs) != 1 || runs[0].ID != run.ID || runs[0].Status != job.StatusFailed || runs[0].Error != run.Error ||
		runs[0].FinishedAt.Sub(runs[0].StartedAt) < timeout {
		t.Errorf("job_runs = %+v, want the one failed run %s lasting at least %v", runs, run.ID, timeout)
	}
	if got := a.metric(t, "job_failures_total", map[string]string{"job": "too_slow", "reason": "timeout"}); got != 1 {
		t.Errorf("job_failures_total{reason=timeout} = %v, want 1", got)
	}
}

func TestRunJobIsRefusedWhileACronRunHoldsTheLock(t *testing.T) {
	c := newCluster(t)
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	holding := job.Definition{
		Job: job.NewFunc("holding", func(ctx context.Context) error {
			select {
			case started <- struct{}{}:
			default:
			}
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}),
		Schedule: yearly,
		Timeout:  time.Minute,
	}
	a := c.start("replica-a", holding)
	b := c.start("replica-b", holding)
	client, ctx := b.client(t)

	// A cron tick on replica-a takes the job's lock until released.
	tick := time.Now().UTC().Truncate(time.Second)
	cronRun := make(chan job.Run, 1)
	go func() {
		run, err := a.runner.Tick(context.Background(), "holding", tick)
		if err != nil {
			t.Errorf("cron tick: %v", err)
		}
		cronRun <- run
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the cron run did not start")
	}

	if _, err := client.RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: "holding"}); status.Code(err) != codes.FailedPrecondition {
		t.Errorf("RunJob while a cron run holds the lock: %v, want FailedPrecondition", err)
	}
	for _, tc := range []struct {
		name string
		call func() error
		want codes.Code
	}{
		{"RunJob of an unknown job", func() error {
			_, err := client.RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: "no_such_job"})
			return err
		}, codes.NotFound},
		{"RunJob without a name", func() error {
			_, err := client.RunJob(ctx, &${{ PB }}.RunJobRequest{})
			return err
		}, codes.InvalidArgument},
		{"ListJobRuns of an unknown job", func() error {
			_, err := client.ListJobRuns(ctx, &${{ PB }}.ListJobRunsRequest{JobName: "no_such_job"})
			return err
		}, codes.NotFound},
		{"ListJobRuns with a forged cursor", func() error {
			_, err := client.ListJobRuns(ctx, &${{ PB }}.ListJobRunsRequest{JobName: "holding", Pagination: &commonv1.CursorPaginationRequest{Cursor: "not-a-cursor"}})
			return err
		}, codes.InvalidArgument},
	} {
		if err := tc.call(); status.Code(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}

	close(release)
	var cron job.Run
	select {
	case cron = <-cronRun:
	case <-time.After(10 * time.Second):
		t.Fatal("the cron run did not finish")
	}
	if cron.Status != job.StatusSucceeded {
		t.Fatalf("cron run = %+v, want succeeded", cron)
	}

	// The lock is free again: replica-b accepts the call and runs the job.
	resp, err := client.RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: "holding"})
	if err != nil {
		t.Fatalf("RunJob after the cron run: %v", err)
	}
	api := resp.GetRun()
	if api.GetStatus() != ${{ PB }}.JobRunStatus_JOB_RUN_STATUS_RUNNING || api.GetTrigger() != ${{ PB }}.JobTrigger_JOB_TRIGGER_API ||
		api.GetInstance() != "replica-b" || api.GetScheduleTime() != nil || api.GetJobName() != "holding" {
		t.Errorf("RunJob returned %v, want a running API run of replica-b", api)
	}
	var runs []*${{ PB }}.JobRun
	waitFor(t, 10*time.Second, "the API run finishes", func() bool {
		list, err := client.ListJobRuns(ctx, &${{ PB }}.ListJobRunsRequest{JobName: "holding"})
		if err != nil {
			t.Fatalf("ListJobRuns: %v", err)
		}
		runs = list.GetRuns()
		return len(runs) > 0 && runs[0].GetStatus() == ${{ PB }}.JobRunStatus_JOB_RUN_STATUS_SUCCEEDED
	})

	// The history, newest first: the API run of replica-b, the cron run of replica-a.
	if len(runs) != 2 {
		t.Fatalf("ListJobRuns = %v, want the API run and the cron run", runs)
	}
	if r := runs[0]; r.GetId() != api.GetId() || r.GetTrigger() != ${{ PB }}.JobTrigger_JOB_TRIGGER_API || r.GetInstance() != "replica-b" ||
		r.GetScheduleTime() != nil || r.GetFinishTime().AsTime().Before(r.GetStartTime().AsTime()) || r.GetError() != "" {
		t.Errorf("newest run = %v, want the succeeded API run %s", r, api.GetId())
	}
	if r := runs[1]; r.GetId() != cron.ID.String() || r.GetTrigger() != ${{ PB }}.JobTrigger_JOB_TRIGGER_CRON ||
		r.GetStatus() != ${{ PB }}.JobRunStatus_JOB_RUN_STATUS_SUCCEEDED || r.GetInstance() != "replica-a" ||
		!r.GetScheduleTime().AsTime().Equal(tick) || !r.GetStartTime().AsTime().Equal(cron.StartedAt) ||
		!r.GetFinishTime().AsTime().Equal(cron.FinishedAt) || r.GetError() != "" {
		t.Errorf("older run = %v, want the cron run %+v", r, cron)
	}

	// One run per page: the cursor leads from the newest to the oldest.
	page, err := client.ListJobRuns(ctx, &${{ PB }}.ListJobRunsRequest{JobName: "holding", Pagination: &commonv1.CursorPaginationRequest{PageSize: 1}})
	if err != nil || len(page.GetRuns()) != 1 || page.GetRuns()[0].GetId() != api.GetId() || !page.GetPagination().GetHasMore() {
		t.Fatalf("first page = %v, %v; want the API run and more", page, err)
	}
	page, err = client.ListJobRuns(ctx, &${{ PB }}.ListJobRunsRequest{JobName: "holding", Pagination: &commonv1.CursorPaginationRequest{PageSize: 1, Cursor: page.GetPagination().GetNextCursor()}})
	if err != nil || len(page.GetRuns()) != 1 || page.GetRuns()[0].GetId() != cron.ID.String() || page.GetPagination().GetHasMore() {
		t.Errorf("second page = %v, %v; want the cron run and no more", page, err)
	}
}

// The service's job_runs table (db/migrations) is the table pkg/job's own
// PostgreSQL store expects.
func TestJobRunsTableMatchesPkgJobSchema(t *testing.T) {
	pool, dbURL := testdb.New(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "CREATE SCHEMA pkgjob"); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dbURL+"&search_path=pkgjob")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, pgstore.Schema); err != nil {
		t.Fatalf("apply pgstore.Schema: %v", err)
	}
	describe := func(schema string) []string {
		rows, err := pool.Query(ctx, `
			SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns
			WHERE table_schema = $1 AND table_name = 'job_runs'
			UNION ALL
			SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid = (quote_ident($1) || '.job_runs')::regclass
			UNION ALL
			SELECT replace(indexdef, $1 || '.', '') FROM pg_indexes
			WHERE schemaname = $1 AND tablename = 'job_runs'
			ORDER BY 1`, schema)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return lines
	}
	service, reference := describe("public"), describe("pkgjob")
	if strings.Join(service, "\n") != strings.Join(reference, "\n") || len(service) < 10 {
		t.Errorf("job_runs of the migrations:\n%s\n\npkg/job/pgstore.Schema:\n%s", strings.Join(service, "\n"), strings.Join(reference, "\n"))
	}
}
