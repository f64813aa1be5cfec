package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Publisher sends one event to the broker (for example a rabbitmq.Publisher
// adapter); it must return nil only after the broker confirmed that the
// message was routed to a queue. An error wrapping ErrUnavailable means the
// broker cannot be reached: the event is put back without counting the
// attempt and the round stops.
type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

// ErrUnavailable marks a publish failure caused by the broker being
// unreachable (not by the event).
var ErrUnavailable = errors.New("outbox: broker unavailable")

// PollerConfig tunes a Poller; zero values take the defaults in parentheses.
type PollerConfig struct {
	BatchSize   int           // events claimed per round (100)
	Interval    time.Duration // pause between rounds when idle (1s)
	Lease       time.Duration // age after which another poller may take a claim over (30s)
	MaxAttempts int           // publish attempts before an event is marked failed (10)
	Backoff     time.Duration // base retry delay, doubled per attempt up to 5m (1s)
	// PublishTimeout bounds one publish, confirm included (10s).
	PublishTimeout time.Duration
	// Ready, when set, is asked before each round; false (the broker is
	// down) skips the round without claiming anything.
	Ready   func() bool
	OnError func(err error)
}

// Poller publishes outbox events.
type Poller struct {
	pool *pgxpool.Pool
	pub  Publisher
	cfg  PollerConfig
}

// NewPoller returns a Poller reading pool and publishing through pub.
func NewPoller(pool *pgxpool.Pool, pub Publisher, cfg PollerConfig) (*Poller, error) {
	if pool == nil || pub == nil {
		return nil, errors.New("outbox: NewPoller needs a pool and a publisher")
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 10
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.PublishTimeout <= 0 {
		cfg.PublishTimeout = 10 * time.Second
	}
	return &Poller{pool: pool, pub: pub, cfg: cfg}, nil
}

// Run polls until ctx is cancelled, reporting round errors to OnError (an
// unreachable broker once per outage).
func (p *Poller) Run(ctx context.Context) error {
	down := false
	for {
		n, err := p.RunOnce(ctx)
		unavailable := errors.Is(err, ErrUnavailable)
		if err != nil && ctx.Err() == nil && p.cfg.OnError != nil && !(unavailable && down) {
			p.cfg.OnError(err)
		}
		down = unavailable
		if n == p.cfg.BatchSize && err == nil {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(p.cfg.Interval):
		}
	}
}

// RunOnce claims one batch and publishes it, returning how many events it
// claimed. When the broker turns out to be unreachable it puts the rest of
// the batch back, uncounted, and returns an error wrapping ErrUnavailable.
func (p *Poller) RunOnce(ctx context.Context) (int, error) {
	if p.cfg.Ready != nil && !p.cfg.Ready() {
		return 0, fmt.Errorf("outbox: round skipped: %w", ErrUnavailable)
	}
	token := uuid.New()
	events, err := p.claim(ctx, token)
	if err != nil {
		return 0, err
	}
	var errs []error
	for i, e := range events {
		err := p.publish(ctx, token, e)
		if errors.Is(err, ErrUnavailable) {
			rest := make([]uuid.UUID, 0, len(events)-i)
			for _, r := range events[i:] {
				rest = append(rest, r.ID)
			}
			errs = append(errs, err, p.release(context.WithoutCancel(ctx), token, rest))
			break
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return len(events), errors.Join(errs...)
}

// release puts claimed events back as pending, available now, without
// counting the attempt: they were never handed to the broker.
func (p *Poller) release(ctx context.Context, token uuid.UUID, ids []uuid.UUID) error {
	if _, err := p.pool.Exec(ctx, `UPDATE outbox_events SET status = 'pending', claim_token = NULL, attempts = greatest(attempts - 1, 0)
		WHERE id = ANY($1) AND claim_token = $2`, ids, token); err != nil {
		return fmt.Errorf("outbox: release %d events: %w", len(ids), err)
	}
	return nil
}

// claim is phase 1: one statement, one short transaction.
func (p *Poller) claim(ctx context.Context, token uuid.UUID) ([]Event, error) {
	rows, err := p.pool.Query(ctx, `
		UPDATE outbox_events SET status = 'claimed', claimed_at = now(), claim_token = $1, attempts = attempts + 1
		WHERE id IN (
			SELECT id FROM outbox_events
			WHERE (status = 'pending' AND available_at <= now())
			   OR (status = 'claimed' AND claimed_at < now() - $2::bigint * interval '1 microsecond')
			ORDER BY created_at
			LIMIT $3
			FOR UPDATE SKIP LOCKED)
		RETURNING id, aggregate_type, aggregate_id, event_type, payload, headers, attempts, created_at`,
		token, p.cfg.Lease.Microseconds(), p.cfg.BatchSize)
	if err != nil {
		return nil, fmt.Errorf("outbox: claim events: %w", err)
	}
	defer rows.Close()
	var events []Event
	for rows.Next() {
		var e Event
		var headers []byte
		if err := rows.Scan(&e.ID, &e.AggregateType, &e.AggregateID, &e.EventType, &e.Payload, &headers, &e.Attempts, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("outbox: scan claimed event: %w", err)
		}
		if err := json.Unmarshal(headers, &e.Headers); err != nil {
			return nil, fmt.Errorf("outbox: decode headers of %s: %w", e.ID, err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox: read claimed events: %w", err)
	}
	// Oldest first, as claimed: RETURNING order is not guaranteed.
	slices.SortFunc(events, func(a, b Event) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return events, nil
}

// publish is phase 2 for one event; the claim token makes the final update a
// no-op if another poller took the claim over in the meantime.
func (p *Poller) publish(ctx context.Context, token uuid.UUID, e Event) error {
	pubCtx, cancel := context.WithTimeout(e.Context(ctx), p.cfg.PublishTimeout)
	pubErr := p.pub.Publish(pubCtx, e)
	cancel()
	if errors.Is(pubErr, ErrUnavailable) {
		return fmt.Errorf("outbox: publish %s: %w", e.ID, pubErr)
	}
	if pubErr == nil {
		if _, err := p.pool.Exec(ctx, `UPDATE outbox_events SET status = 'published', published_at = now(), last_error = NULL
			WHERE id = $1 AND claim_token = $2`, e.ID, token); err != nil {
			return fmt.Errorf("outbox: mark %s published: %w", e.ID, err)
		}
		return nil
	}
	status := StatusPending
	if e.Attempts >= p.cfg.MaxAttempts {
		status = StatusFailed
	}
	if _, err := p.pool.Exec(ctx, `UPDATE outbox_events SET status = $3, last_error = $4, claim_token = NULL,
			available_at = now() + $5::bigint * interval '1 microsecond'
		WHERE id = $1 AND claim_token = $2`, e.ID, token, status, pubErr.Error(), p.backoff(e.Attempts).Microseconds()); err != nil {
		return errors.Join(fmt.Errorf("outbox: publish %s: %w", e.ID, pubErr), fmt.Errorf("outbox: release %s: %w", e.ID, err))
	}
	return fmt.Errorf("outbox: publish %s (attempt %d, now %s): %w", e.ID, e.Attempts, status, pubErr)
}

func (p *Poller) backoff(attempt int) time.Duration {
	d := p.cfg.Backoff
	for i := 1; i < attempt && d < 5*time.Minute; i++ {
		d *= 2
	}
	return min(d, 5*time.Minute)
}
