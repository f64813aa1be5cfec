// Package saga records orchestrated saga instances and runs the timeout
// monitor: a saga still running after its deadline is handed to a
// TimeoutHandler (which starts compensation) and marked timed_out, in one
// transaction per instance.
package saga

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"${{ values.pkgModule }}/database"
)

// Schema creates the saga table; add it to the orchestrating service's schema.
const Schema = `
CREATE TABLE IF NOT EXISTS saga_instances (
    id           uuid        PRIMARY KEY,
    saga_type    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('running', 'completed', 'compensating', 'timed_out', 'failed')),
    current_step text        NOT NULL,
    payload      jsonb       NOT NULL,
    deadline_at  timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS saga_instances_deadline_idx ON saga_instances (deadline_at) WHERE status = 'running';
`

// Saga statuses.
const (
	StatusRunning      = "running"
	StatusCompleted    = "completed"
	StatusCompensating = "compensating"
	StatusTimedOut     = "timed_out"
	StatusFailed       = "failed"
)

// Instance is one saga run.
type Instance struct {
	ID          uuid.UUID
	SagaType    string
	Status      string
	CurrentStep string
	Payload     json.RawMessage
	DeadlineAt  time.Time
}

// ErrNotRunning is returned when a transition targets a saga that is no longer running.
var ErrNotRunning = errors.New("saga: instance is not running")

// Start records a running saga that must finish within timeout.
func Start(ctx context.Context, db database.DBTX, sagaType, firstStep string, payload json.RawMessage, timeout time.Duration) (uuid.UUID, error) {
	if sagaType == "" || firstStep == "" {
		return uuid.Nil, errors.New("saga: type and first step are required")
	}
	if timeout <= 0 {
		return uuid.Nil, fmt.Errorf("saga: timeout %v must be positive", timeout)
	}
	if !json.Valid(payload) {
		return uuid.Nil, errors.New("saga: payload is not valid JSON")
	}
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.Nil, fmt.Errorf("saga: new id: %w", err)
	}
	_, err = db.Exec(ctx, `INSERT INTO saga_instances (id, saga_type, status, current_step, payload, deadline_at)
		VALUES ($1, $2, 'running', $3, $4, now() + $5::bigint * interval '1 microsecond')`,
		id, sagaType, firstStep, []byte(payload), timeout.Microseconds())
	if err != nil {
		return uuid.Nil, fmt.Errorf("saga: start %s: %w", sagaType, err)
	}
	return id, nil
}

// Advance records that a running saga moved to step.
func Advance(ctx context.Context, db database.DBTX, id uuid.UUID, step string) error {
	return transition(ctx, db, id, "current_step = $2", step)
}

// Complete marks a running saga completed.
func Complete(ctx context.Context, db database.DBTX, id uuid.UUID) error {
	return transition(ctx, db, id, "status = $2", StatusCompleted)
}

// Fail marks a running saga as compensating (its steps are being undone).
func Fail(ctx context.Context, db database.DBTX, id uuid.UUID) error {
	return transition(ctx, db, id, "status = $2", StatusCompensating)
}

func transition(ctx context.Context, db database.DBTX, id uuid.UUID, set string, arg string) error {
	tag, err := db.Exec(ctx, "UPDATE saga_instances SET "+set+", updated_at = now() WHERE id = $1 AND status = 'running'", id, arg)
	if err != nil {
		return fmt.Errorf("saga: update %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("saga %s: %w", id, ErrNotRunning)
	}
	return nil
}

// Get loads an instance.
func Get(ctx context.Context, db database.DBTX, id uuid.UUID) (Instance, error) {
	var in Instance
	err := db.QueryRow(ctx, `SELECT id, saga_type, status, current_step, payload, deadline_at FROM saga_instances WHERE id = $1`, id).
		Scan(&in.ID, &in.SagaType, &in.Status, &in.CurrentStep, &in.Payload, &in.DeadlineAt)
	if err != nil {
		return Instance{}, fmt.Errorf("saga: get %s: %w", id, err)
	}
	return in, nil
}
