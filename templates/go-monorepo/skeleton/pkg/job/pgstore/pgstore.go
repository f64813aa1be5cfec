// Package pgstore keeps the job execution history in PostgreSQL: a
// job.HistoryStore and job.HistoryReader over the job_runs table of the
// service's own database. The table is defined in Schema (schema.sql); the
// service owns the migration.
package pgstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/job"
)

// Schema creates the job_runs table; add it to each service's
// db/schema/schema.sql.
//
//go:embed schema.sql
var Schema string

// Store reads and writes job_runs through one DBTX, usually the pool.
type Store struct {
	db database.DBTX
}

// New returns a Store over db. It panics on a nil db, a wiring error that must
// not reach production.
func New(db database.DBTX) *Store {
	if db == nil {
		panic("pgstore: New called with a nil DBTX")
	}
	return &Store{db: db}
}

// Insert stores a new run.
func (s *Store) Insert(ctx context.Context, run job.Run) error {
	if err := job.ValidateRun(run); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO job_runs
		(id, job_name, triggered_by, status, instance_id, scheduled_at, started_at, finished_at, error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		run.ID, run.Job, string(run.Trigger), string(run.Status), run.Instance,
		nullTime(run.ScheduledAt), run.StartedAt, nullTime(run.FinishedAt), nullString(run.Error))
	if err != nil {
		return fmt.Errorf("pgstore: insert run %s of %s: %w", run.ID, run.Job, err)
	}
	return nil
}

// Finish stores the outcome of a running run.
func (s *Store) Finish(ctx context.Context, run job.Run) error {
	if err := job.ValidateFinish(run); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, `UPDATE job_runs SET status = $2, finished_at = $3, error = $4
		WHERE id = $1 AND status = 'running'`,
		run.ID, string(run.Status), run.FinishedAt, nullString(run.Error))
	if err != nil {
		return fmt.Errorf("pgstore: finish run %s: %w", run.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: finish run %s: no such running run: %w", run.ID, job.ErrRunNotFound)
	}
	return nil
}

const selectRuns = `SELECT id, job_name, triggered_by, status, instance_id, scheduled_at, started_at, finished_at, error FROM job_runs`

// Get returns one run.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (job.Run, error) {
	rows, err := s.db.Query(ctx, selectRuns+` WHERE id = $1`, id)
	if err != nil {
		return job.Run{}, fmt.Errorf("pgstore: get run %s: %w", id, err)
	}
	run, err := pgx.CollectExactlyOneRow(rows, scanRun)
	if errors.Is(err, pgx.ErrNoRows) {
		return job.Run{}, fmt.Errorf("pgstore: get run %s: %w", id, job.ErrRunNotFound)
	}
	if err != nil {
		return job.Run{}, fmt.Errorf("pgstore: get run %s: %w", id, err)
	}
	return run, nil
}

// List returns the latest runs of jobName, newest first, at most limit.
func (s *Store) List(ctx context.Context, jobName string, limit int) ([]job.Run, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("pgstore: list runs of %s: limit %d is not positive", jobName, limit)
	}
	rows, err := s.db.Query(ctx, selectRuns+` WHERE job_name = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, jobName, limit)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list runs of %s: %w", jobName, err)
	}
	runs, err := pgx.CollectRows(rows, scanRun)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list runs of %s: %w", jobName, err)
	}
	return runs, nil
}

func scanRun(row pgx.CollectableRow) (job.Run, error) {
	var (
		r                       job.Run
		trigger, status         string
		scheduledAt, finishedAt *time.Time
		errText                 *string
	)
	if err := row.Scan(&r.ID, &r.Job, &trigger, &status, &r.Instance, &scheduledAt, &r.StartedAt, &finishedAt, &errText); err != nil {
		return job.Run{}, err
	}
	r.Trigger, r.Status = job.Trigger(trigger), job.Status(status)
	r.StartedAt = r.StartedAt.UTC()
	if scheduledAt != nil {
		r.ScheduledAt = scheduledAt.UTC()
	}
	if finishedAt != nil {
		r.FinishedAt = finishedAt.UTC()
	}
	if errText != nil {
		r.Error = *errText
	}
	return r, nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
