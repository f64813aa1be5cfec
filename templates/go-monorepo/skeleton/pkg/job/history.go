package job

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// HistoryStore records runs: the audit log of a service's jobs. The Runner
// inserts a running run before executing the job (so a crash leaves a trace)
// and finishes it afterwards; skipped ticks are inserted already finished.
// pgstore.Store implements it on PostgreSQL, MemoryStore in memory.
type HistoryStore interface {
	// Insert stores a new run.
	Insert(ctx context.Context, run Run) error
	// Finish stores the final status, FinishedAt and Error of a running run.
	Finish(ctx context.Context, run Run) error
}

// HistoryReader reads the history, for API handlers that show runs.
type HistoryReader interface {
	// Get returns one run, or an error wrapping ErrRunNotFound.
	Get(ctx context.Context, id uuid.UUID) (Run, error)
	// List returns the latest runs of a job, newest first, at most limit.
	List(ctx context.Context, job string, limit int) ([]Run, error)
}

// ValidateRun checks the invariants of a run passed to HistoryStore.Insert;
// every HistoryStore implementation calls it.
func ValidateRun(run Run) error {
	switch {
	case run.ID == uuid.Nil:
		return fmt.Errorf("job: run of %s has no ID", run.Job)
	case run.Job == "" || run.Instance == "":
		return fmt.Errorf("job: run %s needs a job name and an instance", run.ID)
	case !run.Trigger.Valid():
		return fmt.Errorf("job: run %s has invalid trigger %q", run.ID, run.Trigger)
	case !run.Status.Valid():
		return fmt.Errorf("job: run %s has invalid status %q", run.ID, run.Status)
	case run.StartedAt.IsZero():
		return fmt.Errorf("job: run %s has no start time", run.ID)
	case (run.Status == StatusRunning) != run.FinishedAt.IsZero():
		return fmt.Errorf("job: run %s: only a running run may lack a finish time", run.ID)
	}
	return nil
}

// ValidateFinish checks a run passed to HistoryStore.Finish.
func ValidateFinish(run Run) error {
	switch {
	case run.Status != StatusSucceeded && run.Status != StatusFailed:
		return fmt.Errorf("job: finish run %s: status %q is not final", run.ID, run.Status)
	case run.FinishedAt.IsZero():
		return fmt.Errorf("job: finish run %s: no finish time", run.ID)
	}
	return nil
}
