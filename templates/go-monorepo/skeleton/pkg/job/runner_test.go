package job_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/internal/testredis"
	"${{ values.pkgModule }}/job"
	"${{ values.pkgModule }}/lock"
	"${{ values.pkgModule }}/logger"
	"${{ values.pkgModule }}/middleware/grpc/interceptor"
)

// stopSlack is how late Stop may return after its deadline on a loaded
// machine (-race, busy cores); a Stop that waits for a run or a write it
// should have given up is late by a second or more.
const stopSlack = 400 * time.Millisecond

// cluster is one Redis namespace and one history shared by several replicas,
// as in production where every replica talks to the same Redis and database.
type cluster struct {
	t      *testing.T
	client *redis.Client
	locker *lock.Locker
	store  *job.MemoryStore
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	client := testredis.New(t)
	locker, err := lock.NewLocker(client, lock.Config{Prefix: testredis.Prefix(t, client, "pkg-job")})
	if err != nil {
		t.Fatal(err)
	}
	return &cluster{t: t, client: client, locker: locker, store: job.NewMemoryStore()}
}

type replica struct {
	*job.Runner
	reg  *prometheus.Registry
	logs *observer.ObservedLogs
}

func (c *cluster) replica(instance string, lockTTL time.Duration, defs ...job.Definition) *replica {
	c.t.Helper()
	reg := prometheus.NewRegistry()
	metrics, err := job.NewMetrics(reg)
	if err != nil {
		c.t.Fatal(err)
	}
	core, logs := observer.New(zapcore.DebugLevel)
	r, err := job.NewRunner(c.locker, c.store, metrics, zap.New(core),
		job.RunnerConfig{Jobs: defs, Instance: instance, LockTTL: lockTTL})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { _ = r.Stop(context.Background()) })
	return &replica{Runner: r, reg: reg, logs: logs}
}

func (c *cluster) runs(name string) []job.Run {
	c.t.Helper()
	runs, err := c.store.List(context.Background(), name, 100)
	if err != nil {
		c.t.Fatal(err)
	}
	return runs
}

// waitFinished polls the history until run id is no longer running.
func (c *cluster) waitFinished(id uuid.UUID) job.Run {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r, err := c.store.Get(context.Background(), id)
		if err != nil {
			c.t.Fatal(err)
		}
		if r.Status != job.StatusRunning {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("run %s still running after 5s", id)
	return job.Run{}
}

// metric reads one sample of a metric family from a replica's registry.
func (r *replica) metric(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
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
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return 0
}

var tick0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func TestTwoReplicasRunEachTickOnce(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	var mu sync.Mutex
	executions := 0
	def := job.Definition{Timeout: 500 * time.Millisecond, Schedule: "* * * * * *", Job: job.NewFunc("reconcile", func(ctx context.Context) error {
		mu.Lock()
		executions++
		mu.Unlock()
		return nil
	})}
	a, b := c.replica("replica-a", 5*time.Second, def), c.replica("replica-b", 5*time.Second, def)

	for i := range 3 {
		tick := tick0.Add(time.Duration(i) * time.Second)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j, r := range []*replica{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Replicas fire a few milliseconds apart; the claim is per tick.
				_, errs[j] = r.Tick(context.Background(), "reconcile", tick.Add(time.Duration(j*7)*time.Millisecond))
			}()
		}
		wg.Wait()
		claimed := 0
		for _, err := range errs {
			switch {
			case errors.Is(err, job.ErrTickClaimed):
				claimed++
			case err != nil:
				t.Fatalf("tick %d: %v", i, err)
			}
		}
		if claimed != 1 {
			t.Fatalf("tick %d: %d replicas lost the claim, want exactly 1 (errors %v)", i, claimed, errs)
		}
	}
	runs := c.runs("reconcile")
	if len(runs) != 3 || executions != 3 {
		t.Fatalf("%d runs recorded, %d executions; want 3 and 3", len(runs), executions)
	}
	for i, r := range runs {
		want := tick0.Add(time.Duration(2-i) * time.Second)
		if r.Status != job.StatusSucceeded || r.Trigger != job.TriggerCron || !r.ScheduledAt.Equal(want) ||
			(r.Instance != "replica-a" && r.Instance != "replica-b") || r.Error != "" || r.FinishedAt.Before(r.StartedAt) {
			t.Errorf("run %d = %+v, want a succeeded cron run scheduled at %v", i, r, want)
		}
	}
	total := a.metric(t, "job_runs_total", map[string]string{"status": "succeeded"}) + b.metric(t, "job_runs_total", map[string]string{"status": "succeeded"})
	if total != 3 {
		t.Fatalf("job_runs_total{status=succeeded} over both replicas = %v, want 3", total)
	}
}

func TestCrashedHolderLockExpiresAndTheNextTickRuns(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	r := c.replica("survivor", 5*time.Second, job.Definition{Timeout: time.Second, Schedule: "* * * * * *",
		Job: job.NewFunc("cleanup", func(context.Context) error { return nil })})

	// A replica took the job's lock and died: nothing releases or renews it.
	if _, err := c.locker.Acquire(context.Background(), "job:cleanup", 600*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	run, err := r.Tick(context.Background(), "cleanup", tick0)
	if !errors.Is(err, job.ErrAlreadyRunning) || run.Status != job.StatusSkipped {
		t.Fatalf("tick while the dead replica holds the lock = %+v, %v; want a skipped run and ErrAlreadyRunning", run, err)
	}
	time.Sleep(700 * time.Millisecond)
	run, err = r.Tick(context.Background(), "cleanup", tick0.Add(time.Second))
	if err != nil || run.Status != job.StatusSucceeded {
		t.Fatalf("tick after the TTL = %+v, %v; want succeeded", run, err)
	}
	runs := c.runs("cleanup")
	if len(runs) != 2 || runs[0].Status != job.StatusSucceeded || runs[1].Status != job.StatusSkipped ||
		!strings.Contains(runs[1].Error, "still holds the lock") || !runs[1].FinishedAt.Equal(runs[1].StartedAt) {
		t.Fatalf("history = %+v; want skipped then succeeded", runs)
	}
	if got := r.metric(t, "job_runs_total", map[string]string{"status": "skipped", "trigger": "cron"}); got != 1 {
		t.Fatalf("job_runs_total{status=skipped} = %v, want 1", got)
	}
}

func TestJobExceedingItsTimeoutIsCancelledAndRecordedFailed(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	r := c.replica("a", 5*time.Second,
		job.Definition{Timeout: 200 * time.Millisecond, Job: job.NewFunc("obedient", func(ctx context.Context) error {
			<-ctx.Done() // honours cancellation
			return ctx.Err()
		})},
		job.Definition{Timeout: 200 * time.Millisecond, Job: job.NewFunc("stubborn", func(ctx context.Context) error {
			time.Sleep(400 * time.Millisecond) // ignores ctx, then claims success
			return nil
		})},
	)
	for _, name := range []string{"obedient", "stubborn"} {
		start := time.Now()
		run, err := r.Tick(context.Background(), name, tick0)
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != job.StatusFailed || !strings.Contains(run.Error, "timeout exceeded: "+name+" ran longer than 200ms") {
			t.Errorf("%s: run = %+v, want failed with the timeout", name, run)
		}
		if d := time.Since(start); name == "obedient" && d > time.Second {
			t.Errorf("%s: cancellation took %v", name, d)
		}
		stored := c.runs(name)
		if len(stored) != 1 || stored[0] != run {
			t.Errorf("%s: history %+v, want exactly the returned run", name, stored)
		}
		if got := r.metric(t, "job_failures_total", map[string]string{"job": name, "reason": "timeout"}); got != 1 {
			t.Errorf("%s: job_failures_total{reason=timeout} = %v, want 1", name, got)
		}
	}
	failed := r.logs.FilterMessage("job failed").FilterField(zap.String("job", "obedient")).All()
	if len(failed) != 1 || failed[0].Level != zapcore.ErrorLevel || failed[0].ContextMap()["reason"] != "timeout" ||
		failed[0].ContextMap()["run_id"] == "" || failed[0].ContextMap()["trigger"] != "cron" {
		t.Fatalf("failure log = %+v, want one error entry with job, run_id, trigger and reason", failed)
	}
}

func TestAPITriggerWhileACronRunHoldsTheLock(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	def := job.Definition{Timeout: 10 * time.Second, Schedule: "0 * * * * *", Job: job.NewFunc("export", func(ctx context.Context) error {
		once.Do(func() { close(started) })
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})}
	cronReplica, apiReplica := c.replica("cron-replica", 5*time.Second, def), c.replica("api-replica", 5*time.Second, def)

	cronDone := make(chan job.Run)
	go func() {
		run, err := cronReplica.Tick(context.Background(), "export", tick0)
		if err != nil {
			t.Error(err)
		}
		cronDone <- run
	}()
	<-started
	_, err := apiReplica.Trigger(context.Background(), "export")
	if !errors.Is(err, job.ErrAlreadyRunning) {
		t.Fatalf("Trigger while running = %v, want ErrAlreadyRunning", err)
	}
	if code := apperrors.CodeOf(err); code != apperrors.CodeFailedPrecondition {
		t.Fatalf("error code = %s, want FAILED_PRECONDITION", code)
	}
	if st, _ := status.FromError(interceptor.ToStatus(err)); st.Code() != codes.FailedPrecondition {
		t.Fatalf("gRPC status = %v, want FailedPrecondition", st)
	}
	if got := apiReplica.metric(t, "job_runs_total", map[string]string{"status": "skipped", "trigger": "api"}); got != 1 {
		t.Fatalf("job_runs_total{status=skipped,trigger=api} = %v, want 1", got)
	}
	close(release)
	if run := <-cronDone; run.Status != job.StatusSucceeded {
		t.Fatalf("cron run = %+v, want succeeded", run)
	}

	run, err := apiReplica.Trigger(context.Background(), "export")
	if err != nil || run.Status != job.StatusRunning || run.Trigger != job.TriggerAPI || !run.ScheduledAt.IsZero() {
		t.Fatalf("Trigger after the cron run = %+v, %v; want a running API run", run, err)
	}
	if done := c.waitFinished(run.ID); done.Status != job.StatusSucceeded || done.Instance != "api-replica" {
		t.Fatalf("API run finished as %+v, want succeeded on api-replica", done)
	}
	if len(c.runs("export")) != 2 {
		t.Fatalf("history = %+v, want the cron run and the API run only", c.runs("export"))
	}
}

func TestFailedAndPanickingJobsAreRecorded(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	r := c.replica("a", 5*time.Second,
		job.Definition{Timeout: time.Second, Job: job.NewFunc("broken", func(context.Context) error {
			return errors.New("upstream returned 503")
		})},
		job.Definition{Timeout: time.Second, Job: job.NewFunc("panicky", func(context.Context) error {
			var m map[string]int
			m["boom"]++
			return nil
		})},
	)
	for _, tc := range []struct{ name, reason, msg string }{
		{"broken", "error", "upstream returned 503"},
		{"panicky", "panic", "job panicky panicked: assignment to entry in nil map"},
	} {
		run, err := r.Tick(context.Background(), tc.name, tick0)
		if err != nil || run.Status != job.StatusFailed || run.Error != tc.msg {
			t.Errorf("%s: %+v, %v; want failed with %q", tc.name, run, err, tc.msg)
		}
		if got := r.metric(t, "job_failures_total", map[string]string{"job": tc.name, "reason": tc.reason}); got != 1 {
			t.Errorf("%s: job_failures_total{reason=%s} = %v, want 1", tc.name, tc.reason, got)
		}
		// The lock was released: the next tick runs again.
		if run, _ := r.Tick(context.Background(), tc.name, tick0.Add(time.Second)); run.Status != job.StatusFailed {
			t.Errorf("%s: second tick = %+v, want it to run (and fail) again", tc.name, run)
		}
	}
}

func TestLostLockCancelsTheRun(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	prefixKey := ""
	r := c.replica("a", 300*time.Millisecond, job.Definition{Timeout: 10 * time.Second, Job: job.NewFunc("fragile", func(ctx context.Context) error {
		// Someone else takes the key over, as after a Redis failover.
		keys, err := c.client.Keys(ctx, "*:job:fragile").Result()
		if err != nil || len(keys) != 1 {
			return errors.New("lock key not found")
		}
		prefixKey = keys[0]
		if err := c.client.Set(ctx, keys[0], "intruder", time.Minute).Err(); err != nil {
			return err
		}
		<-ctx.Done()
		return ctx.Err()
	})})
	run, err := r.Tick(context.Background(), "fragile", tick0)
	if err != nil || run.Status != job.StatusFailed || !strings.Contains(run.Error, "not held by this owner") {
		t.Fatalf("run = %+v, %v; want failed because the lock was lost", run, err)
	}
	if got := r.metric(t, "job_failures_total", map[string]string{"reason": "lock_lost"}); got != 1 {
		t.Fatalf("job_failures_total{reason=lock_lost} = %v, want 1", got)
	}
	if v := c.client.Get(context.Background(), prefixKey).Val(); v != "intruder" {
		t.Fatalf("the runner released someone else's lock (value now %q)", v)
	}
}

func TestStopWaitsThenCancelsAndRefusesNewRuns(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	r := c.replica("a", 5*time.Second,
		job.Definition{Timeout: time.Minute, Job: job.NewFunc("endless", func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})},
	)
	if _, err := r.Trigger(context.Background(), "missing"); !errors.Is(err, job.ErrUnknownJob) || apperrors.CodeOf(err) != apperrors.CodeNotFound {
		t.Fatalf("Trigger of an unknown job = %v, want ErrUnknownJob (NOT_FOUND)", err)
	}
	run, err := r.Trigger(context.Background(), "endless")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := r.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v, want the deadline error (the job never ends by itself)", err)
	}
	done := c.waitFinished(run.ID)
	if done.Status != job.StatusFailed || !strings.Contains(done.Error, "job runner is stopped") {
		t.Fatalf("run after Stop = %+v, want failed by the shutdown", done)
	}
	if _, err := r.Trigger(context.Background(), "endless"); !errors.Is(err, job.ErrStopped) || apperrors.CodeOf(err) != apperrors.CodeUnavailable {
		t.Fatalf("Trigger after Stop = %v, want ErrStopped (UNAVAILABLE)", err)
	}
	if _, err := r.Tick(context.Background(), "endless", tick0); !errors.Is(err, job.ErrStopped) {
		t.Fatalf("Tick after Stop = %v, want ErrStopped", err)
	}
}

// TestRefuseNewRunsLeavesTheRunningOnesToStop: once the shutdown begins an API
// trigger is refused UNAVAILABLE with a message that sends the client to
// another replica (the gRPC drain still answers calls), a tick too, while the
// run already going goes on until Stop cancels it within its deadline.
func TestRefuseNewRunsLeavesTheRunningOnesToStop(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	r := c.replica("a", 5*time.Second,
		// A timeout past Stop's deadline that still ends the test soon when it fails.
		job.Definition{Timeout: 10 * time.Second, Job: job.NewFunc("before_shutdown", func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})},
		job.Definition{Timeout: time.Minute, Job: job.NewFunc("during_shutdown", func(context.Context) error { return nil })},
	)
	before, err := r.Trigger(context.Background(), "before_shutdown")
	if err != nil {
		t.Fatal(err)
	}
	r.RefuseNewRuns()
	r.RefuseNewRuns()

	_, err = r.Trigger(context.Background(), "during_shutdown")
	st, _ := status.FromError(interceptor.ToStatus(err))
	if !errors.Is(err, job.ErrStopped) || st.Code() != codes.Unavailable ||
		st.Message() != "job during_shutdown not started: this replica is shutting down; retry on another replica" {
		t.Fatalf("Trigger once the shutdown began = %v (client sees %s %q), want UNAVAILABLE sending the client to another replica", err, st.Code(), st.Message())
	}
	if _, err := r.Tick(context.Background(), "during_shutdown", tick0); !errors.Is(err, job.ErrStopped) {
		t.Fatalf("Tick once the shutdown began = %v, want ErrStopped", err)
	}
	if runs := c.runs("during_shutdown"); len(runs) != 0 {
		t.Fatalf("runs started once the shutdown began: %+v", runs)
	}
	if n := r.logs.FilterMessage("job runner refuses new runs: shutting down").Len(); n != 1 {
		t.Errorf("%d logs of the refusal, want one however often RefuseNewRuns is called", n)
	}
	if got, err := c.store.Get(context.Background(), before.ID); err != nil || got.Status != job.StatusRunning {
		t.Fatalf("the run started before the shutdown = %+v, %v; want it still running until Stop", got, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	if err := r.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v, want the deadline error (the job never ends by itself)", err)
	}
	if late := time.Since(deadline); late > stopSlack {
		t.Fatalf("Stop returned %v after its deadline", late)
	}
	got, err := c.store.Get(context.Background(), before.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != job.StatusFailed || !strings.Contains(got.Error, "job runner is stopped before the run finished") {
		t.Fatalf("the run started before the shutdown, when Stop returned = %+v, want it recorded failed by the shutdown", got)
	}
}

// TestStopEndsWithinItsDeadline gives Stop a share of a stop budget, as the
// service's jobs hook does: the runs are cancelled StopGrace (1s) before its
// deadline, have recorded their failure when Stop returns, and a job that
// ignores its context does not keep Stop past the deadline.
func TestStopEndsWithinItsDeadline(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	r := c.replica("a", 5*time.Second,
		job.Definition{Timeout: time.Minute, Job: job.NewFunc("cleans_up", func(ctx context.Context) error {
			<-ctx.Done()
			time.Sleep(100 * time.Millisecond) // a job's own cleanup after cancellation
			return ctx.Err()
		})},
	)
	cleansUp, err := r.Trigger(context.Background(), "cleans_up")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1600*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	start := time.Now()
	if err := r.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v, want the deadline error (the job never ends by itself)", err)
	}
	if elapsed := time.Since(start); elapsed < 500*time.Millisecond || time.Now().After(deadline) {
		t.Fatalf("Stop returned after %v, want between the cancellation (1s before the deadline) and the deadline (1.6s)", elapsed)
	}
	got, err := c.store.Get(context.Background(), cleansUp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != job.StatusFailed || !strings.Contains(got.Error, "job runner is stopped before the run finished") {
		t.Fatalf("run when Stop returned = %+v, want it recorded failed by the shutdown", got)
	}

	stuck := make(chan struct{})
	r2 := c.replica("b", 5*time.Second, job.Definition{Timeout: time.Minute, Job: job.NewFunc("ignores_ctx", func(context.Context) error {
		<-stuck
		return nil
	})})
	t.Cleanup(func() { close(stuck) }) // before r2's cleanup Stop, which waits for the run
	if _, err := r2.Trigger(context.Background(), "ignores_ctx"); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 1200*time.Millisecond)
	defer cancel2()
	deadline2, _ := ctx2.Deadline()
	if err := r2.Stop(ctx2); err == nil || !strings.Contains(err.Error(), "had not returned") {
		t.Fatalf("Stop with a job ignoring its context = %v, want the runs reported still going", err)
	}
	if late := time.Since(deadline2); late > stopSlack {
		t.Fatalf("Stop returned %v after its deadline", late)
	}
}

// hangingStore is a history whose Finish does not answer, as a database gone
// silent during the shutdown: it returns only when its context ends, and
// reports when.
type hangingStore struct {
	*job.MemoryStore
	returned chan time.Time
}

func (s *hangingStore) Finish(ctx context.Context, _ job.Run) error {
	<-ctx.Done()
	s.returned <- time.Now()
	return ctx.Err()
}

// TestStopBoundsTheBookkeepingByItsDeadline: a run cancelled by Stop whose
// history write hangs gives up the write when Stop returns, at its deadline,
// not bookkeepingTimeout (5s) later, so the service's close hooks that come
// next (the database pool waits for its connections) keep their time.
func TestStopBoundsTheBookkeepingByItsDeadline(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	store := &hangingStore{MemoryStore: job.NewMemoryStore(), returned: make(chan time.Time, 1)}
	metrics, err := job.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zapcore.DebugLevel)
	r, err := job.NewRunner(c.locker, store, metrics, zap.New(core), job.RunnerConfig{Instance: "a",
		StopGrace: 300 * time.Millisecond,
		Jobs: []job.Definition{{Timeout: time.Minute, Job: job.NewFunc("endless", func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Trigger(context.Background(), "endless"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	if err := r.Stop(ctx); err == nil || !strings.Contains(err.Error(), "had not returned") {
		t.Fatalf("Stop with the history write hanging = %v, want the run reported still going", err)
	}
	if late := time.Since(deadline); late > stopSlack {
		t.Fatalf("Stop returned %v after its deadline", late)
	}
	select {
	case at := <-store.returned:
		if late := at.Sub(deadline); late > stopSlack {
			t.Fatalf("the history write gave up %v after Stop's deadline", late)
		}
	case <-time.After(time.Second):
		t.Fatal("the history write still hangs 1s after Stop returned: the bookkeeping outlives the stop deadline")
	}
	waitFor := time.Now().Add(time.Second)
	for logs.FilterMessage("job history: record outcome").Len() == 0 && time.Now().Before(waitFor) {
		time.Sleep(10 * time.Millisecond)
	}
	entries := logs.FilterMessage("job history: record outcome").All()
	if len(entries) != 1 || !strings.Contains(fmt.Sprint(entries[0].ContextMap()[logger.KeyError]), "its stop deadline has passed") {
		t.Fatalf("log of the lost history write = %v, want one error naming the stop deadline", entries)
	}
}

func TestNewRunnerRefusesBadDefinitions(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	metrics, err := job.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	noop := func(context.Context) error { return nil }
	for _, tc := range []struct {
		defs []job.Definition
		want string
	}{
		{[]job.Definition{{Timeout: time.Second}}, "definition without a Job"},
		{[]job.Definition{{Job: job.NewFunc("Bad Name", noop), Timeout: time.Second}}, `name "Bad Name" does not match`},
		{[]job.Definition{{Job: job.NewFunc("a", noop)}}, "a needs a positive Timeout"},
		{[]job.Definition{{Job: job.NewFunc("a", noop), Timeout: time.Second}, {Job: job.NewFunc("a", noop), Timeout: time.Second}}, "a is registered twice"},
		{[]job.Definition{{Job: job.NewFunc("a", noop), Timeout: time.Second, Schedule: "61 * * * * *"}}, "above maximum"},
		{[]job.Definition{{Job: job.NewFunc("a", noop), Timeout: 11 * time.Second, Schedule: "*/10 * * * * *"}},
			`timeout 11s exceeds 10s, the shortest interval of schedule "*/10 * * * * *"`},
	} {
		_, err := job.NewRunner(c.locker, c.store, metrics, zap.NewNop(), job.RunnerConfig{Jobs: tc.defs, Instance: "a"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewRunner(%+v) = %v, want an error containing %q", tc.defs, err, tc.want)
		}
	}
	if _, err := job.NewRunner(nil, c.store, metrics, zap.NewNop(), job.RunnerConfig{}); err == nil {
		t.Error("NewRunner accepted a nil locker")
	}
	if _, err := job.NewMetrics(nil); err == nil {
		t.Error("NewMetrics accepted a nil registerer")
	}
}
