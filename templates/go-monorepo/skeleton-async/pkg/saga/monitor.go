package saga

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
)

// TimeoutHandler starts compensation for a saga past its deadline. ctx
// carries the monitor's transaction: write compensation commands with
// database.GetDBTX(ctx, pool) (for example into the outbox) so they commit
// together with the timed_out status. Returning an error rolls both back and
// the instance is retried on the next round.
type TimeoutHandler func(ctx context.Context, in Instance) error

// MonitorConfig tunes a Monitor; zero values take the defaults in parentheses.
type MonitorConfig struct {
	Interval  time.Duration // pause between rounds (5s)
	BatchSize int           // instances handled per round (100)
	OnError   func(err error)
}

// Monitor finds running sagas past their deadline.
type Monitor struct {
	pool    *pgxpool.Pool
	tm      database.TxManager
	handler TimeoutHandler
	cfg     MonitorConfig
}

// NewMonitor returns a Monitor over pool calling handler for each timed-out saga.
func NewMonitor(pool *pgxpool.Pool, handler TimeoutHandler, cfg MonitorConfig) (*Monitor, error) {
	if pool == nil || handler == nil {
		return nil, errors.New("saga: NewMonitor needs a pool and a handler")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	return &Monitor{pool: pool, tm: database.NewTxManager(pool), handler: handler, cfg: cfg}, nil
}

// Run checks every Interval until ctx is cancelled.
func (m *Monitor) Run(ctx context.Context) error {
	ticker := time.NewTicker(m.cfg.Interval)
	defer ticker.Stop()
	for {
		if _, err := m.RunOnce(ctx); err != nil && ctx.Err() == nil && m.cfg.OnError != nil {
			m.cfg.OnError(err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// RunOnce handles up to BatchSize timed-out sagas, each in its own
// transaction with the row locked (FOR UPDATE SKIP LOCKED, so several
// monitor replicas share the work). It returns how many were marked timed_out.
func (m *Monitor) RunOnce(ctx context.Context) (int, error) {
	failed := []uuid.UUID{}
	var errs []error
	handled := 0
	for handled+len(failed) < m.cfg.BatchSize {
		var found bool
		var id uuid.UUID
		err := m.tm.WithinTx(ctx, func(ctx context.Context) error {
			db := database.GetDBTX(ctx, m.pool)
			var in Instance
			err := db.QueryRow(ctx, `SELECT id, saga_type, status, current_step, payload, deadline_at
				FROM saga_instances
				WHERE status = 'running' AND deadline_at < now() AND NOT (id = ANY($1))
				ORDER BY deadline_at
				LIMIT 1
				FOR UPDATE SKIP LOCKED`, failed).
				Scan(&in.ID, &in.SagaType, &in.Status, &in.CurrentStep, &in.Payload, &in.DeadlineAt)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("saga: find timed-out instance: %w", err)
			}
			found, id = true, in.ID
			if err := m.handler(ctx, in); err != nil {
				return fmt.Errorf("saga: timeout handler for %s %s: %w", in.SagaType, in.ID, err)
			}
			if _, err := db.Exec(ctx, `UPDATE saga_instances SET status = 'timed_out', updated_at = now() WHERE id = $1`, in.ID); err != nil {
				return fmt.Errorf("saga: mark %s timed out: %w", in.ID, err)
			}
			return nil
		})
		if !found {
			if err != nil {
				errs = append(errs, err)
			}
			break
		}
		if err != nil {
			failed = append(failed, id)
			errs = append(errs, err)
			continue
		}
		handled++
	}
	return handled, errors.Join(errs...)
}
