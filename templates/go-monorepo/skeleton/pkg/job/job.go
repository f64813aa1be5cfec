// Package job runs scheduled jobs on every replica of a service while making
// sure each run happens on exactly one of them.
//
// A job is a use case behind the Job interface. It has two entry points: the
// Scheduler fires it from a cron expression (Trigger cron) and an API handler
// calls Runner.Trigger (Trigger api). Both go through the Runner, which takes
// the Redis lock "job:<name>" for the duration of the run (renewed while the
// job runs; a crashed replica's lock expires after RunnerConfig.LockTTL),
// applies the job's timeout, records the run in a HistoryStore (the audit log),
// and reports Prometheus metrics and zap logs.
//
// Each cron tick is also claimed in Redis ("job:<name>:tick:<unix seconds>"),
// so a tick runs once even when replicas' clocks differ slightly and the job is
// shorter than the difference. The replica that claims a tick while the
// previous run still holds the lock records the tick as skipped.
//
// Alerting: job_failures_total counts failed runs by reason (error, timeout,
// panic, lock_lost, shutdown); job_last_success_timestamp_seconds tells how
// long ago a job last succeeded. Typical rules:
//
//	increase(job_failures_total[1h]) > 0
//	time() - max by (job) (job_last_success_timestamp_seconds) > 2 * <period in seconds>
package job

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Job is one scheduled use case. Execute must return when ctx is cancelled:
// the runner cancels it at the job's timeout, when the lock is lost and when
// the service stops.
type Job interface {
	// Name identifies the job in lock keys, history, metrics and logs; it
	// matches ^[a-z][a-z0-9_-]{0,62}$ and is unique within a service.
	Name() string
	Execute(ctx context.Context) error
}

type funcJob struct {
	name string
	fn   func(ctx context.Context) error
}

// NewFunc returns a Job named name that runs fn. It panics on a nil fn, a
// wiring error that must not reach production.
func NewFunc(name string, fn func(ctx context.Context) error) Job {
	if fn == nil {
		panic("job: NewFunc called with a nil function")
	}
	return funcJob{name: name, fn: fn}
}

func (j funcJob) Name() string                      { return j.name }
func (j funcJob) Execute(ctx context.Context) error { return j.fn(ctx) }

// Trigger says what started a run. The zero value is not a valid trigger.
type Trigger string

// Triggers.
const (
	TriggerCron Trigger = "cron"
	TriggerAPI  Trigger = "api"
)

// Valid reports whether t is one of the defined triggers.
func (t Trigger) Valid() bool { return t == TriggerCron || t == TriggerAPI }

// Status is the state of a run. The zero value is not a valid status.
type Status string

// Statuses. A skipped run is a cron tick that found the previous run still
// holding the lock; it has no duration.
const (
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	StatusSkipped   Status = "skipped"
)

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusRunning, StatusSucceeded, StatusFailed, StatusSkipped:
		return true
	}
	return false
}

// Definition registers a Job with a Runner.
type Definition struct {
	Job Job
	// Schedule is a cron expression (see ValidateSchedule); empty means the
	// job only runs when triggered through the API.
	Schedule string
	// Timeout bounds each run; it is required and may not exceed the
	// schedule's shortest interval (see Period), so runs never overlap.
	Timeout time.Duration
}

// Run is one entry of the execution history.
type Run struct {
	ID          uuid.UUID
	Job         string
	Trigger     Trigger
	Status      Status
	Instance    string    // the replica that ran (or skipped) it
	ScheduledAt time.Time // the cron tick; zero for API runs
	StartedAt   time.Time
	FinishedAt  time.Time // zero while running
	Error       string    // why it failed or was skipped
}

// Duration is FinishedAt - StartedAt, or 0 while running.
func (r Run) Duration() time.Duration {
	if r.FinishedAt.IsZero() {
		return 0
	}
	return r.FinishedAt.Sub(r.StartedAt)
}
