package job

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/logger"
)

// Scheduler fires the Runner's scheduled jobs from their cron expressions.
// Every replica runs a Scheduler; the Runner makes each tick run once.
type Scheduler struct {
	runner *Runner
	log    *zap.Logger
	cron   *cron.Cron
	names  map[cron.EntryID]string

	stopTicks sync.Once
}

// NewScheduler schedules every definition of r that has a Schedule, in r's
// Location unless the expression sets CRON_TZ.
func NewScheduler(r *Runner, log *zap.Logger) (*Scheduler, error) {
	if r == nil || log == nil {
		return nil, errors.New("job: NewScheduler needs a Runner and a logger")
	}
	s := &Scheduler{
		runner: r,
		log:    log,
		cron:   cron.New(cron.WithLocation(r.location), cron.WithLogger(cronLogger{log: log})),
		names:  make(map[cron.EntryID]string),
	}
	for _, def := range r.Jobs() {
		if def.Schedule == "" {
			continue
		}
		spec, err := parseSchedule(def.Schedule, r.location)
		if err != nil {
			return nil, fmt.Errorf("job: schedule %s: %w", def.Job.Name(), err)
		}
		name := def.Job.Name()
		id := s.cron.Schedule(spec, cron.FuncJob(func() { s.fire(name) }))
		s.names[id] = name
	}
	return s, nil
}

// fire runs one tick. The cron library starts it at the scheduled second, so
// the current time truncated to the second is the tick every replica sees.
func (s *Scheduler) fire(name string) {
	_, err := s.runner.Tick(s.runner.base, name, time.Now())
	switch {
	case err == nil, errors.Is(err, ErrAlreadyRunning):
		// Logged and recorded by the runner.
	case errors.Is(err, ErrTickClaimed), errors.Is(err, ErrStopped):
		s.log.Debug("job tick not run here", zap.String(keyJob, name), logger.Error(err))
	default:
		s.log.Error("job tick could not run", zap.String(keyJob, name), logger.Error(err))
	}
}

// Start begins firing ticks; use it as an Fx OnStart hook.
func (s *Scheduler) Start(context.Context) error {
	s.cron.Start()
	for _, e := range s.cron.Entries() {
		s.log.Info("job scheduled", zap.String(keyJob, s.names[e.ID]), zap.Time("next_run", e.Next))
	}
	s.log.Info("job scheduler started", zap.Int("scheduled_jobs", len(s.names)), zap.String(keyInstance, s.runner.instance))
	return nil
}

// StopTicks stops firing ticks and returns at once; the runs already going
// are left to Stop. Call it when the shutdown begins, before phases that come
// ahead of Stop (the gRPC drain), so that no tick starts a run only for Stop to
// cancel it moments later. Calling it again does nothing.
func (s *Scheduler) StopTicks() {
	s.stopTicks.Do(func() {
		s.cron.Stop()
		s.log.Info("job scheduler fires no more ticks: shutting down")
	})
}

// Stop stops firing ticks (StopTicks), then stops the Runner: running jobs
// (cron and API) get until StopGrace before ctx's deadline to finish, then are
// cancelled and recorded failed; Stop returns within ctx's deadline. Use it as
// an Fx OnStop hook, given the share of the stop budget the jobs may use.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.StopTicks()
	// Done once the ticks already fired have returned (a second cron.Stop
	// only waits for them).
	ticks := s.cron.Stop()
	err := s.runner.Stop(ctx)
	select {
	case <-ticks.Done():
	case <-ctx.Done():
	}
	if err != nil {
		return err
	}
	s.log.Info("job scheduler stopped")
	return nil
}

// cronLogger routes the cron library's messages to zap.
type cronLogger struct {
	log *zap.Logger
}

func (l cronLogger) Info(msg string, keysAndValues ...any) {
	l.log.Sugar().Debugw("cron: "+msg, keysAndValues...)
}

func (l cronLogger) Error(err error, msg string, keysAndValues ...any) {
	l.log.Sugar().Errorw("cron: "+msg, append(keysAndValues, logger.KeyError, err)...)
}
