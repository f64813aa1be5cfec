package job_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"${{ values.pkgModule }}/job"
)

func TestMemoryStoreKeepsTheHistoryInvariants(t *testing.T) {
	t.Parallel()
	s := job.NewMemoryStore()
	ctx := context.Background()
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	newRun := func(name string, started time.Time) job.Run {
		return job.Run{ID: uuid.Must(uuid.NewV7()), Job: name, Trigger: job.TriggerCron, Status: job.StatusRunning,
			Instance: "pod-1", ScheduledAt: started.Truncate(time.Second), StartedAt: started}
	}

	first, second := newRun("sync", t0), newRun("sync", t0.Add(time.Minute))
	for _, r := range []job.Run{first, second, newRun("other", t0)} {
		if err := s.Insert(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Insert(ctx, first); err == nil {
		t.Fatal("Insert accepted a duplicate id")
	}
	first.Status, first.FinishedAt = job.StatusSucceeded, t0.Add(time.Second)
	if err := s.Finish(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, first); !errors.Is(err, job.ErrRunNotFound) {
		t.Fatalf("second Finish = %v, want ErrRunNotFound", err)
	}
	if got, err := s.Get(ctx, first.ID); err != nil || got != first {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, first)
	}
	if _, err := s.Get(ctx, uuid.New()); !errors.Is(err, job.ErrRunNotFound) {
		t.Fatalf("Get of an unknown id = %v, want ErrRunNotFound", err)
	}
	list, err := s.List(ctx, "sync", 10)
	if err != nil || len(list) != 2 || list[0] != second || list[1] != first {
		t.Fatalf("List = %+v, %v; want newest first", list, err)
	}

	for name, bad := range map[string]job.Run{
		"no id":                  {Job: "sync", Trigger: job.TriggerCron, Status: job.StatusRunning, Instance: "p", StartedAt: t0},
		"no trigger":             {ID: uuid.New(), Job: "sync", Status: job.StatusRunning, Instance: "p", StartedAt: t0},
		"no instance":            {ID: uuid.New(), Job: "sync", Trigger: job.TriggerAPI, Status: job.StatusRunning, StartedAt: t0},
		"unknown status":         {ID: uuid.New(), Job: "sync", Trigger: job.TriggerAPI, Status: "done", Instance: "p", StartedAt: t0},
		"running with an end":    {ID: uuid.New(), Job: "sync", Trigger: job.TriggerAPI, Status: job.StatusRunning, Instance: "p", StartedAt: t0, FinishedAt: t0},
		"skipped without an end": {ID: uuid.New(), Job: "sync", Trigger: job.TriggerCron, Status: job.StatusSkipped, Instance: "p", StartedAt: t0},
	} {
		if err := s.Insert(ctx, bad); err == nil {
			t.Errorf("Insert accepted a run with %s", name)
		}
	}
	second.Status = job.StatusRunning
	second.FinishedAt = t0
	if err := s.Finish(ctx, second); err == nil {
		t.Error("Finish accepted a non-final status")
	}
}
