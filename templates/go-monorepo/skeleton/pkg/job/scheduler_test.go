package job_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"${{ values.pkgModule }}/job"
)

func TestSchedulersOnTwoReplicasFireEachTickOnce(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	var running, overlaps atomic.Int32
	def := job.Definition{Timeout: time.Second, Schedule: "* * * * * *", Job: job.NewFunc("heartbeat", func(ctx context.Context) error {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		time.Sleep(150 * time.Millisecond)
		return nil
	})}
	apiOnly := job.Definition{Timeout: time.Second, Job: job.NewFunc("manual", func(context.Context) error { return nil })}
	var schedulers []*job.Scheduler
	for _, name := range []string{"replica-a", "replica-b"} {
		s, err := job.NewScheduler(c.replica(name, 5*time.Second, def, apiOnly).Runner, zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		schedulers = append(schedulers, s)
	}
	time.Sleep(3200 * time.Millisecond)
	for _, s := range schedulers {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := s.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
	}

	runs := c.runs("heartbeat")
	if len(runs) < 2 || len(runs) > 4 {
		t.Fatalf("%d runs in 3.2s of a per-second schedule, want 3 (2 to 4)", len(runs))
	}
	seen := map[time.Time]bool{}
	for _, r := range runs {
		if r.Status != job.StatusSucceeded || r.Trigger != job.TriggerCron || r.ScheduledAt.Nanosecond() != 0 {
			t.Errorf("run %+v, want a succeeded cron run on a whole second", r)
		}
		if seen[r.ScheduledAt] {
			t.Errorf("tick %v ran twice", r.ScheduledAt)
		}
		seen[r.ScheduledAt] = true
	}
	if overlaps.Load() != 0 {
		t.Fatalf("%d runs overlapped", overlaps.Load())
	}
	if len(c.runs("manual")) != 0 {
		t.Fatal("a job without a schedule was fired")
	}
}

// TestStopTicksLetsTheRunningTickFinish: StopTicks, called when the shutdown
// begins, fires no further tick while the run already going finishes on its
// own, so Stop then has nothing to cancel.
func TestStopTicksLetsTheRunningTickFinish(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	started := make(chan struct{}, 10)
	def := job.Definition{Timeout: 2 * time.Second, Schedule: "*/2 * * * * *", Job: job.NewFunc("slow", func(ctx context.Context) error {
		started <- struct{}{}
		select {
		case <-time.After(time.Second):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})}
	s, err := job.NewScheduler(c.replica("a", 5*time.Second, def).Runner, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("no tick within 5s of a schedule every 2s")
	}
	s.StopTicks()
	s.StopTicks()               // a second call does nothing
	time.Sleep(3 * time.Second) // past the next tick
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop = %v, want nil: the run had finished", err)
	}
	if n := len(started); n != 0 {
		t.Fatalf("%d ticks fired after StopTicks", n)
	}
	if runs := c.runs("slow"); len(runs) != 1 || runs[0].Status != job.StatusSucceeded {
		t.Fatalf("runs = %+v, want the one tick before StopTicks, succeeded", runs)
	}
}

func TestNewSchedulerNeedsARunner(t *testing.T) {
	t.Parallel()
	if _, err := job.NewScheduler(nil, zap.NewNop()); err == nil {
		t.Fatal("NewScheduler accepted a nil runner")
	}
}
