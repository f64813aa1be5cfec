package persistence

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/job"
	"${{ values.pkgModule }}/sqlutil"

	"${{ values.module }}/sqlcgen"
)

// JobRunStore keeps the run history of the scheduled jobs in the job_runs
// table (db/queries/job_runs.sql): pkg/job's HistoryStore and HistoryReader,
// and the pages ListJobRuns serves. infrastructure/fx JobsModule provides it
// with the rest of the job infrastructure. It writes through the pool, never
// in the caller's transaction: a run is recorded even when the job's own
// transaction rolls back.
type JobRunStore struct {
	pool *pgxpool.Pool
}

// NewJobRunStore returns a JobRunStore over pool.
func NewJobRunStore(pool *pgxpool.Pool) *JobRunStore {
	if pool == nil {
		panic("persistence: NewJobRunStore needs a pool")
	}
	return &JobRunStore{pool: pool}
}

// Insert records a new run.
func (s *JobRunStore) Insert(ctx context.Context, run job.Run) error {
	if err := job.ValidateRun(run); err != nil {
		return err
	}
	err := sqlcgen.New(s.pool).InsertJobRun(ctx, sqlcgen.InsertJobRunParams{
		ID:          sqlutil.UUID(run.ID),
		JobName:     run.Job,
		TriggeredBy: string(run.Trigger),
		Status:      string(run.Status),
		InstanceID:  run.Instance,
		ScheduledAt: sqlutil.Timestamptz(run.ScheduledAt),
		StartedAt:   sqlutil.Timestamptz(run.StartedAt),
		FinishedAt:  sqlutil.Timestamptz(run.FinishedAt),
		Error:       nullText(run.Error),
	})
	if err != nil {
		return fmt.Errorf("insert run %s of job %s: %w", run.ID, run.Job, err)
	}
	return nil
}

// Finish records the outcome of a running run.
func (s *JobRunStore) Finish(ctx context.Context, run job.Run) error {
	if err := job.ValidateFinish(run); err != nil {
		return err
	}
	n, err := sqlcgen.New(s.pool).FinishJobRun(ctx, sqlcgen.FinishJobRunParams{
		ID:         sqlutil.UUID(run.ID),
		Status:     string(run.Status),
		FinishedAt: sqlutil.Timestamptz(run.FinishedAt),
		Error:      nullText(run.Error),
	})
	if err != nil {
		return fmt.Errorf("finish run %s: %w", run.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("finish run %s: no such running run: %w", run.ID, job.ErrRunNotFound)
	}
	return nil
}

// Get returns one run.
func (s *JobRunStore) Get(ctx context.Context, id uuid.UUID) (job.Run, error) {
	row, err := sqlcgen.New(s.pool).GetJobRun(ctx, sqlutil.UUID(id))
	if errors.Is(err, pgx.ErrNoRows) {
		return job.Run{}, fmt.Errorf("get run %s: %w", id, job.ErrRunNotFound)
	}
	if err != nil {
		return job.Run{}, fmt.Errorf("get run %s: %w", id, err)
	}
	return fromJobRunRow(row), nil
}

// List returns the latest runs of a job, newest first, at most limit.
func (s *JobRunStore) List(ctx context.Context, jobName string, limit int) ([]job.Run, error) {
	return s.ListBefore(ctx, jobName, uuid.Nil, limit)
}

// ListBefore returns at most limit runs of a job that started before the run
// before (every run for uuid.Nil), newest first.
func (s *JobRunStore) ListBefore(ctx context.Context, jobName string, before uuid.UUID, limit int) ([]job.Run, error) {
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("list runs of job %s: limit %d out of range 1..1000", jobName, limit)
	}
	rows, err := sqlcgen.New(s.pool).ListJobRuns(ctx, sqlcgen.ListJobRunsParams{
		JobName:   jobName,
		BeforeID:  sqlutil.UUID(before),
		PageLimit: int32(limit),
	})
	if err != nil {
		return nil, fmt.Errorf("list runs of job %s: %w", jobName, err)
	}
	runs := make([]job.Run, 0, len(rows))
	for _, row := range rows {
		runs = append(runs, fromJobRunRow(row))
	}
	return runs, nil
}

func fromJobRunRow(row sqlcgen.JobRun) job.Run {
	return job.Run{
		ID:          sqlutil.FromUUID(row.ID),
		Job:         row.JobName,
		Trigger:     job.Trigger(row.TriggeredBy),
		Status:      job.Status(row.Status),
		Instance:    row.InstanceID,
		ScheduledAt: sqlutil.FromTimestamptz(row.ScheduledAt),
		StartedAt:   sqlutil.FromTimestamptz(row.StartedAt),
		FinishedAt:  sqlutil.FromTimestamptz(row.FinishedAt),
		Error:       sqlutil.FromText(row.Error),
	}
}

// nullText stores an empty string as NULL.
func nullText(s string) pgtype.Text {
	if s == "" {
		return pgtype.Text{}
	}
	return sqlutil.Text(s)
}
