package pgstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/internal/testdb"
	"${{ values.pkgModule }}/internal/testredis"
	"${{ values.pkgModule }}/job"
	"${{ values.pkgModule }}/job/pgstore"
	"${{ values.pkgModule }}/lock"
)

func newStore(t *testing.T) (*pgstore.Store, func(sql string, args ...any) int) {
	t.Helper()
	pool := testdb.New(t, "pkg_job_pgstore_test", pgstore.Schema)
	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return pgstore.New(pool), count
}

func run(name string, started time.Time) job.Run {
	return job.Run{ID: uuid.Must(uuid.NewV7()), Job: name, Trigger: job.TriggerAPI, Status: job.StatusRunning,
		Instance: "pod-1", StartedAt: started}
}

func TestStoreRoundTrip(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	t0 := time.Date(2030, 5, 6, 7, 8, 9, 123456000, time.UTC)

	r := run("export", t0)
	if err := s.Insert(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, r.ID); err != nil || got != r {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, r)
	}
	r.Status, r.FinishedAt, r.Error = job.StatusFailed, t0.Add(1500*time.Millisecond), "disk full"
	if err := s.Finish(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, r.ID); err != nil || got != r {
		t.Fatalf("Get after Finish = %+v, %v; want %+v", got, err, r)
	}
	if err := s.Finish(ctx, r); !errors.Is(err, job.ErrRunNotFound) {
		t.Fatalf("second Finish = %v, want ErrRunNotFound", err)
	}
	if _, err := s.Get(ctx, uuid.New()); !errors.Is(err, job.ErrRunNotFound) {
		t.Fatalf("Get of an unknown id = %v, want ErrRunNotFound", err)
	}

	skipped := run("export", t0.Add(time.Minute))
	skipped.Trigger, skipped.Status, skipped.ScheduledAt = job.TriggerCron, job.StatusSkipped, t0.Add(time.Minute).Truncate(time.Second)
	skipped.FinishedAt, skipped.Error = skipped.StartedAt, "the previous run still holds the lock"
	if err := s.Insert(ctx, skipped); err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(ctx, run("other", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx, "export", 10)
	if err != nil || len(list) != 2 || list[0] != skipped || list[1] != r {
		t.Fatalf("List = %+v, %v; want the skipped run then the failed one", list, err)
	}
	if list, err := s.List(ctx, "export", 1); err != nil || len(list) != 1 || list[0] != skipped {
		t.Fatalf("List with limit 1 = %+v, %v", list, err)
	}
	if _, err := s.List(ctx, "export", 0); err == nil {
		t.Fatal("List accepted limit 0")
	}
}

func TestStoreRefusesInvalidRuns(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	bad := run("export", time.Now())
	bad.FinishedAt = time.Now() // running with a finish time
	if err := s.Insert(ctx, bad); err == nil {
		t.Fatal("Insert accepted a running run with a finish time")
	}
	bad = run("export", time.Now())
	bad.Trigger = ""
	if err := s.Insert(ctx, bad); err == nil {
		t.Fatal("Insert accepted a run without a trigger")
	}
	ok := run("export", time.Now())
	if err := s.Insert(ctx, ok); err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(ctx, ok); err == nil {
		t.Fatal("Insert accepted a duplicate id")
	}
	ok.Status = job.StatusSkipped
	if err := s.Finish(ctx, ok); err == nil {
		t.Fatal("Finish accepted a non-final status")
	}
}

// TestRunnerWritesHistoryRows runs jobs through a real Runner on Redis and
// checks the rows PostgreSQL holds.
func TestRunnerWritesHistoryRows(t *testing.T) {
	t.Parallel()
	s, count := newStore(t)
	client := testredis.New(t)
	locker, err := lock.NewLocker(client, lock.Config{Prefix: testredis.Prefix(t, client, "pkg-job-pgstore")})
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := job.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	r, err := job.NewRunner(locker, s, metrics, zap.NewNop(), job.RunnerConfig{Instance: "pod-7", Jobs: []job.Definition{
		{Schedule: "0 */5 * * * *", Timeout: time.Minute, Job: job.NewFunc("sync", func(context.Context) error { return nil })},
		{Timeout: time.Minute, Job: job.NewFunc("purge", func(context.Context) error { return errors.New("bucket not found") })},
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	ctx := context.Background()
	tick := time.Date(2030, 1, 1, 0, 5, 0, 0, time.UTC)

	if _, err := r.Tick(ctx, "sync", tick); err != nil {
		t.Fatal(err)
	}
	apiRun, err := r.Trigger(ctx, "purge")
	if err != nil {
		t.Fatal(err)
	}
	var purge job.Run
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if purge, err = s.Get(ctx, apiRun.ID); err != nil || purge.Status != job.StatusRunning {
			break
		}
	}
	if err != nil || purge.Status != job.StatusFailed || purge.Error != "bucket not found" || purge.Trigger != job.TriggerAPI {
		t.Fatalf("API run = %+v, %v; want failed with the job's error", purge, err)
	}

	if n := count(`SELECT count(*) FROM job_runs WHERE job_name = 'sync' AND triggered_by = 'cron' AND status = 'succeeded'
		AND instance_id = 'pod-7' AND scheduled_at = $1 AND error IS NULL AND finished_at >= started_at`, tick); n != 1 {
		t.Fatalf("%d matching rows for the cron run, want 1", n)
	}
	if n := count(`SELECT count(*) FROM job_runs WHERE job_name = 'purge' AND triggered_by = 'api' AND status = 'failed'
		AND scheduled_at IS NULL AND error = 'bucket not found' AND finished_at >= started_at`); n != 1 {
		t.Fatalf("%d matching rows for the API run, want 1", n)
	}
	if n := count(`SELECT count(*) FROM job_runs`); n != 2 {
		t.Fatalf("%d rows, want 2", n)
	}
}

func TestSchemaDocumentsTheTable(t *testing.T) {
	t.Parallel()
	for _, want := range []string{"CREATE TABLE IF NOT EXISTS job_runs", "db/schema/schema.sql", "job_runs_job_started_idx"} {
		if !strings.Contains(pgstore.Schema, want) {
			t.Errorf("Schema lacks %q", want)
		}
	}
}
