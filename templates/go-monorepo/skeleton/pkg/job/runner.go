package job

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/ctxutil"
	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/lock"
	"${{ values.pkgModule }}/logger"
)

// Log fields written by the runner, next to the logger package's schema.
const (
	keyJob         = "job"
	keyRunID       = "run_id"
	keyTrigger     = "trigger"
	keyInstance    = "instance"
	keyStatus      = "status"
	keyScheduledAt = "scheduled_at"
)

const (
	defaultLockTTL = 30 * time.Second
	// tickClaimTTL keeps a tick's claim long enough to cover any clock
	// difference between replicas; claims are never released.
	tickClaimTTL = 5 * time.Minute
	// bookkeepingTimeout bounds the history writes and the lock release after
	// a run, which happen even when the run's context is cancelled; Stop's
	// deadline bounds them too (Runner.books).
	bookkeepingTimeout = 5 * time.Second
	defaultStopGrace   = time.Second
)

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

// RunnerConfig configures a Runner; zero values take the defaults in
// parentheses.
type RunnerConfig struct {
	Jobs []Definition
	// Instance identifies this replica in the history (the host name, which
	// is the pod name on Kubernetes).
	Instance string
	// LockTTL is how long a crashed replica keeps a job locked (30s); the
	// lock is renewed every third of it while the job runs.
	LockTTL time.Duration
	// Location is the time zone of schedules without CRON_TZ (UTC).
	Location *time.Location
	// StopGrace is how long before the end of Stop's context the runs still
	// going are cancelled (1s): the time they have to return and record
	// their outcome, so that Stop itself ends within its context.
	StopGrace time.Duration
}

// Runner runs registered jobs under their lock, timeout and history.
type Runner struct {
	locker   *lock.Locker
	store    HistoryStore
	metrics  *Metrics
	log      *zap.Logger
	instance string
	lockTTL  time.Duration
	location *time.Location
	grace    time.Duration
	defs     map[string]Definition

	// base is the parent of every run's context: cancelled when Stop gives up
	// waiting, never by a caller's (request) context.
	base   context.Context
	cancel context.CancelCauseFunc
	// books is the parent of the bookkeeping after a run (history write, lock
	// release), which outlives the run's context: Stop cancels it when it
	// returns, so a history store or Redis that hangs at shutdown cannot keep
	// a run's goroutine, and its connection, past the stop deadline.
	books       context.Context
	cancelBooks context.CancelCauseFunc

	mu sync.Mutex
	// stopped is set by RefuseNewRuns or Stop: begin refuses runs from then on.
	stopped bool
	wg      sync.WaitGroup
}

// NewRunner validates cfg.Jobs and returns a Runner. A definition is refused
// when its name is invalid or duplicated, its timeout is not positive, its
// schedule is invalid, or its timeout exceeds the schedule's shortest interval.
func NewRunner(locker *lock.Locker, store HistoryStore, metrics *Metrics, log *zap.Logger, cfg RunnerConfig) (*Runner, error) {
	switch {
	case locker == nil:
		return nil, errors.New("job: NewRunner needs a lock.Locker")
	case store == nil:
		return nil, errors.New("job: NewRunner needs a HistoryStore")
	case metrics == nil:
		return nil, errors.New("job: NewRunner needs Metrics (NewMetrics)")
	case log == nil:
		return nil, errors.New("job: NewRunner needs a logger")
	case cfg.LockTTL < 0:
		return nil, fmt.Errorf("job: LockTTL %v is negative", cfg.LockTTL)
	case cfg.StopGrace < 0:
		return nil, fmt.Errorf("job: StopGrace %v is negative", cfg.StopGrace)
	}
	if cfg.LockTTL == 0 {
		cfg.LockTTL = defaultLockTTL
	}
	if cfg.StopGrace == 0 {
		cfg.StopGrace = defaultStopGrace
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Instance == "" {
		host, err := os.Hostname()
		if err != nil {
			return nil, fmt.Errorf("job: default instance from host name: %w", err)
		}
		cfg.Instance = host
	}
	defs := make(map[string]Definition, len(cfg.Jobs))
	for _, def := range cfg.Jobs {
		if err := validateDefinition(def, cfg.Location); err != nil {
			return nil, err
		}
		if _, dup := defs[def.Job.Name()]; dup {
			return nil, fmt.Errorf("job: %s is registered twice", def.Job.Name())
		}
		defs[def.Job.Name()] = def
	}
	base, cancel := context.WithCancelCause(context.Background())
	books, cancelBooks := context.WithCancelCause(context.Background())
	return &Runner{
		locker: locker, store: store, metrics: metrics, log: log,
		instance: cfg.Instance, lockTTL: cfg.LockTTL, location: cfg.Location, grace: cfg.StopGrace, defs: defs,
		base: base, cancel: cancel, books: books, cancelBooks: cancelBooks,
	}, nil
}

func validateDefinition(def Definition, loc *time.Location) error {
	if def.Job == nil {
		return errors.New("job: definition without a Job")
	}
	name := def.Job.Name()
	if !namePattern.MatchString(name) {
		return fmt.Errorf("job: name %q does not match %s", name, namePattern)
	}
	if def.Timeout <= 0 {
		return fmt.Errorf("job: %s needs a positive Timeout", name)
	}
	if def.Schedule == "" {
		return nil
	}
	period, err := periodIn(def.Schedule, loc)
	if err != nil {
		return fmt.Errorf("job: %s: %w", name, err)
	}
	if def.Timeout > period {
		return fmt.Errorf("job: %s: timeout %v exceeds %v, the shortest interval of schedule %q, so runs could overlap",
			name, def.Timeout, period, def.Schedule)
	}
	return nil
}

// Jobs returns the registered definitions sorted by name.
func (r *Runner) Jobs() []Definition {
	defs := make([]Definition, 0, len(r.defs))
	for _, d := range r.defs {
		defs = append(defs, d)
	}
	slices.SortFunc(defs, func(a, b Definition) int { return strings.Compare(a.Job.Name(), b.Job.Name()) })
	return defs
}

// Instance returns the replica identifier written to the history.
func (r *Runner) Instance() string { return r.instance }

// Trigger starts a run of the named job for an API call and returns it while
// it is still running; follow it with a HistoryReader. The run does not stop
// when ctx ends (only at its timeout or when the runner stops). It returns
// ErrAlreadyRunning while any replica runs the job, ErrUnknownJob for an
// unregistered name and, once RefuseNewRuns or Stop was called, an
// UNAVAILABLE error wrapping ErrStopped whose client message says to retry on
// another replica.
func (r *Runner) Trigger(ctx context.Context, name string) (Run, error) {
	def, ok := r.defs[name]
	if !ok {
		return Run{}, fmt.Errorf("job %q: %w", name, ErrUnknownJob)
	}
	if err := r.begin(); err != nil {
		return Run{}, apperrors.WithHiddenCause(apperrors.CodeUnavailable,
			fmt.Sprintf("job %s not started: this replica is shutting down; retry on another replica", name), err)
	}
	run, lk, err := r.start(ctx, def, TriggerAPI, time.Time{})
	if err != nil {
		r.wg.Done()
		return run, err
	}
	correlation := ctxutil.CorrelationID(ctx)
	go func() {
		defer r.wg.Done()
		r.execute(def, lk, run, correlation)
	}()
	return run, nil
}

// Tick runs the named job for the cron tick scheduledAt (truncated to the
// second) and returns the finished run; a failed job is a run with
// StatusFailed, not an error. On the replicas that lose the tick's claim it
// returns ErrTickClaimed. The replica that claims the tick while the previous
// run still holds the lock records a skipped run and returns it with
// ErrAlreadyRunning.
func (r *Runner) Tick(ctx context.Context, name string, scheduledAt time.Time) (Run, error) {
	def, ok := r.defs[name]
	if !ok {
		return Run{}, fmt.Errorf("job %q: %w", name, ErrUnknownJob)
	}
	if err := r.begin(); err != nil {
		return Run{}, err
	}
	defer r.wg.Done()
	scheduledAt = scheduledAt.Truncate(time.Second).UTC()
	if _, err := r.locker.Acquire(ctx, tickKey(name, scheduledAt), tickClaimTTL); err != nil {
		if errors.Is(err, lock.ErrNotAcquired) {
			return Run{}, fmt.Errorf("job %s at %s: %w", name, scheduledAt.Format(time.RFC3339), ErrTickClaimed)
		}
		return Run{}, fmt.Errorf("job %s: claim tick: %w", name, err)
	}
	run, lk, err := r.start(ctx, def, TriggerCron, scheduledAt)
	if err != nil {
		return run, err
	}
	return r.execute(def, lk, run, ""), nil
}

// RefuseNewRuns makes Trigger and Tick refuse new runs from now on, as they
// do after Stop, and returns at once; the runs already going are left to
// Stop, which bounds them by its deadline. Call it when the shutdown begins,
// before the phases that come ahead of Stop: during the gRPC drain the server
// still answers calls, and a run started then would only be cancelled by
// Stop moments later. Calling it again does nothing.
func (r *Runner) RefuseNewRuns() {
	r.mu.Lock()
	already := r.stopped
	r.stopped = true
	r.mu.Unlock()
	if !already {
		r.log.Info("job runner refuses new runs: shutting down", zap.String(keyInstance, r.instance))
	}
}

// begin registers a run with the WaitGroup unless the runner is stopped; the
// mutex orders every Add before Stop's Wait.
func (r *Runner) begin() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return ErrStopped
	}
	r.wg.Add(1)
	return nil
}

// start takes the job's lock and records the run as running. When the lock is
// held, a cron tick is recorded as skipped.
func (r *Runner) start(ctx context.Context, def Definition, trigger Trigger, scheduledAt time.Time) (Run, *lock.Lock, error) {
	name := def.Job.Name()
	run, err := r.newRun(name, trigger, scheduledAt)
	if err != nil {
		return Run{}, nil, err
	}
	lk, err := r.locker.Acquire(ctx, lockKey(name), r.lockTTL)
	if errors.Is(err, lock.ErrNotAcquired) {
		r.metrics.skipped(name, trigger)
		if trigger == TriggerAPI {
			r.log.Info("job trigger refused: already running", r.fields(run)...)
			return Run{}, nil, fmt.Errorf("job %s: %w", name, ErrAlreadyRunning)
		}
		run.Status, run.FinishedAt, run.Error = StatusSkipped, run.StartedAt, "the previous run still holds the lock"
		r.log.Warn("job tick skipped: the previous run still holds the lock", r.fields(run)...)
		if err := r.store.Insert(ctx, run); err != nil {
			r.log.Error("job history: record skipped run", append(r.fields(run), logger.Error(err))...)
		}
		return run, nil, fmt.Errorf("job %s: %w", name, ErrAlreadyRunning)
	}
	if err != nil {
		return Run{}, nil, fmt.Errorf("job %s: acquire lock: %w", name, err)
	}
	if err := r.store.Insert(ctx, run); err != nil {
		r.release(lk, run)
		return Run{}, nil, fmt.Errorf("job %s: record start: %w", name, err)
	}
	return run, lk, nil
}

func (r *Runner) newRun(name string, trigger Trigger, scheduledAt time.Time) (Run, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Run{}, fmt.Errorf("job %s: new run id: %w", name, err)
	}
	return Run{
		ID: id, Job: name, Trigger: trigger, Status: StatusRunning, Instance: r.instance,
		ScheduledAt: scheduledAt, StartedAt: now(),
	}, nil
}

// execute runs the job under its lock and timeout, then records the outcome.
func (r *Runner) execute(def Definition, lk *lock.Lock, run Run, correlation string) Run {
	if correlation == "" {
		correlation = run.ID.String()
	}
	log := r.log.With(r.fields(run)...)
	log.Info("job started")
	r.metrics.running.WithLabelValues(run.Job).Inc()
	defer r.metrics.running.WithLabelValues(run.Job).Dec()

	ctx, cancel := context.WithTimeoutCause(ctxutil.WithCorrelationID(r.base, correlation), def.Timeout,
		fmt.Errorf("%w: %s ran longer than %v", ErrTimeout, run.Job, def.Timeout))
	err := lk.Hold(ctx, func(ctx context.Context) error { return safeExecute(ctx, def.Job) })
	reason := ""
	var panicked *panicError
	switch {
	case errors.As(err, &panicked):
		reason = reasonPanic
		log.Error("job panicked", zap.String("stack", panicked.stack))
	case errors.Is(err, lock.ErrNotHeld):
		reason = reasonLockLost
	case errors.Is(context.Cause(ctx), ErrTimeout):
		reason = reasonTimeout
		err = withCause(context.Cause(ctx), err)
	case ctx.Err() != nil && r.base.Err() != nil:
		reason = reasonShutdown
		err = withCause(context.Cause(r.base), err)
	case err != nil:
		reason = reasonError
	}
	cancel()

	run.FinishedAt = now()
	run.Status = StatusSucceeded
	if reason != "" {
		run.Status, run.Error = StatusFailed, err.Error()
	}
	r.release(lk, run)
	bctx, bcancel := r.bookkeeping(ctx)
	defer bcancel()
	if ferr := r.store.Finish(bctx, run); ferr != nil {
		if bctx.Err() != nil {
			ferr = withCause(context.Cause(bctx), ferr)
		}
		log.Error("job history: record outcome", logger.Error(ferr))
	}
	r.metrics.finished(run, reason)
	fields := []zap.Field{zap.String(keyStatus, string(run.Status)), logger.Duration(run.Duration())}
	if reason != "" {
		log.Error("job failed", append(fields, zap.String("reason", reason), logger.Error(err))...)
	} else {
		log.Info("job succeeded", fields...)
	}
	return run
}

// withCause puts the reason a run's context was cancelled in front of the
// job's own error, which is usually just "context deadline exceeded".
func withCause(cause, err error) error {
	if err == nil {
		return cause
	}
	return fmt.Errorf("%w: %w", cause, err)
}

// bookkeeping returns the context of the work after a run: parent's values
// (the correlation id) without its cancellation, ended by bookkeepingTimeout
// or by Stop giving up (books), whichever comes first.
func (r *Runner) bookkeeping(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancelCause := context.WithCancelCause(context.WithoutCancel(parent))
	stopAfter := context.AfterFunc(r.books, func() { cancelCause(context.Cause(r.books)) })
	ctx, cancel := context.WithTimeoutCause(ctx, bookkeepingTimeout,
		fmt.Errorf("job: bookkeeping took longer than %v", bookkeepingTimeout))
	return ctx, func() {
		stopAfter()
		cancel()
		cancelCause(context.Canceled)
	}
}

// release frees the job's lock; a lock that expired or was lost is logged.
func (r *Runner) release(lk *lock.Lock, run Run) {
	ctx, cancel := r.bookkeeping(context.Background())
	defer cancel()
	if err := lk.Release(ctx); err != nil {
		if ctx.Err() != nil {
			err = withCause(context.Cause(ctx), err)
		}
		r.log.Warn("job lock release failed", append(r.fields(run), logger.Error(err))...)
	}
}

func (r *Runner) fields(run Run) []zap.Field {
	f := []zap.Field{
		zap.String(keyJob, run.Job), zap.String(keyRunID, run.ID.String()),
		zap.String(keyTrigger, string(run.Trigger)), zap.String(keyInstance, run.Instance),
	}
	if !run.ScheduledAt.IsZero() {
		f = append(f, zap.Time(keyScheduledAt, run.ScheduledAt))
	}
	return f
}

// Stop refuses new runs and waits for the running ones (cron and API) until
// StopGrace before ctx's deadline (or until ctx is cancelled); then it cancels
// them, with cause ErrStopped, so they are recorded failed with reason
// shutdown, and waits for them to record that until the deadline (or at most
// StopGrace). Stop returns within ctx's deadline even when a job ignores its
// context, so a caller can give it a share of a larger stop budget; the
// bookkeeping of the runs (history writes, lock releases) still going when it
// returns is cancelled then, so it cannot hold a database connection into the
// hooks that close the pool. It returns an error when it had to cancel runs.
// Call it from an Fx OnStop hook (Scheduler.Stop does).
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
	defer r.cancelBooks(fmt.Errorf("%w: its stop deadline has passed", ErrStopped))
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	wait, cancelWait := ctx, context.CancelFunc(func() {})
	deadline, hasDeadline := ctx.Deadline()
	if hasDeadline {
		wait, cancelWait = context.WithDeadline(ctx, deadline.Add(-r.grace))
	}
	defer cancelWait()
	select {
	case <-done:
		r.cancel(ErrStopped)
		return nil
	case <-wait.Done():
	}
	cause := wait.Err()
	r.cancel(fmt.Errorf("%w before the run finished", ErrStopped))
	record := r.grace
	if hasDeadline {
		record = min(record, time.Until(deadline))
	}
	timer := time.NewTimer(record)
	defer timer.Stop()
	select {
	case <-done:
		return fmt.Errorf("job: stop: running jobs were cancelled: %w", cause)
	case <-timer.C:
		return fmt.Errorf("job: stop: running jobs were cancelled and had not returned %v later: %w", record.Round(time.Millisecond), cause)
	}
}

type panicError struct {
	job   string
	value any
	stack string
}

func (e *panicError) Error() string { return fmt.Sprintf("job %s panicked: %v", e.job, e.value) }

// safeExecute turns a panic in the job into an error.
func safeExecute(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{job: j.Name(), value: p, stack: string(debug.Stack())}
		}
	}()
	return j.Execute(ctx)
}

func lockKey(name string) string { return "job:" + name }

func tickKey(name string, scheduledAt time.Time) string {
	return fmt.Sprintf("job:%s:tick:%d", name, scheduledAt.Unix())
}

// now is the current time as stored by PostgreSQL: UTC, microseconds.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
