// Package outbox implements the transactional outbox: events are written in
// the same transaction as the business change (Add) and a Poller publishes
// them afterwards, so an event is sent if and only if the change committed.
//
// The Poller works in two phases so no transaction stays open while talking
// to the broker: (1) claim a batch with one UPDATE ... FOR UPDATE SKIP LOCKED
// statement (concurrent pollers never claim the same row), (2) publish each
// claimed event and mark it published, or put it back with a backoff. Claims
// older than the lease are taken over, so a crashed poller loses nothing.
// Delivery is at-least-once: consumers deduplicate on the event id.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/database"
)

// Schema creates the outbox table; add it to each service's db/schema/schema.sql.
const Schema = `
CREATE TABLE IF NOT EXISTS outbox_events (
    id             uuid        PRIMARY KEY,
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,
    event_type     text        NOT NULL,
    payload        jsonb       NOT NULL,
    headers        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'published', 'failed')),
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text,
    claim_token    uuid,
    available_at   timestamptz NOT NULL DEFAULT now(),
    claimed_at     timestamptz,
    published_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_events_pending_idx ON outbox_events (created_at) WHERE status IN ('pending', 'claimed');
`

// Event statuses.
const (
	StatusPending   = "pending"
	StatusClaimed   = "claimed"
	StatusPublished = "published"
	StatusFailed    = "failed"
)

// Event is one domain event waiting to be published.
type Event struct {
	ID            uuid.UUID
	AggregateType string
	AggregateID   string
	EventType     string
	Payload       json.RawMessage
	Headers       map[string]string
	Attempts      int
	CreatedAt     time.Time
}

// Add stores e in the outbox through db; pass database.GetDBTX(ctx, pool)
// inside TxManager.WithinTx so the event commits with the business change.
// A nil ID is replaced with a time-ordered UUIDv7. The trace context of ctx
// (W3C traceparent/tracestate) and its correlation id (x-correlation-id) are
// stored with the event's headers, unless the caller set them, so the
// message published later continues the request's trace.
func Add(ctx context.Context, db database.DBTX, e Event) (uuid.UUID, error) {
	if e.AggregateType == "" || e.AggregateID == "" || e.EventType == "" {
		return uuid.Nil, errors.New("outbox: event needs AggregateType, AggregateID and EventType")
	}
	if !json.Valid(e.Payload) {
		return uuid.Nil, fmt.Errorf("outbox: payload of %s is not valid JSON", e.EventType)
	}
	if e.ID == uuid.Nil {
		id, err := uuid.NewV7()
		if err != nil {
			return uuid.Nil, fmt.Errorf("outbox: new event id: %w", err)
		}
		e.ID = id
	}
	headers, err := json.Marshal(withContext(ctx, e.Headers))
	if err != nil {
		return uuid.Nil, fmt.Errorf("outbox: encode headers: %w", err)
	}
	_, err = db.Exec(ctx, `INSERT INTO outbox_events (id, aggregate_type, aggregate_id, event_type, payload, headers)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.ID, e.AggregateType, e.AggregateID, e.EventType, []byte(e.Payload), headers)
	if err != nil {
		return uuid.Nil, fmt.Errorf("outbox: insert %s event: %w", e.EventType, err)
	}
	return e.ID, nil
}

// withContext returns a copy of h with the trace context and correlation id
// of ctx added (keys h already has are kept).
func withContext(ctx context.Context, h map[string]string) map[string]string {
	out := make(map[string]string, len(h)+3)
	otel.GetTextMapPropagator().Inject(ctx, propagation.MapCarrier(out))
	if id := ctxutil.CorrelationID(ctx); id != "" {
		out[ctxutil.CorrelationIDHeader] = id
	}
	for k, v := range h {
		out[k] = v
	}
	return out
}

// Context returns ctx carrying the trace context and correlation id stored
// with e, so what is done on its behalf (publishing it) joins the trace of
// the request that recorded it.
func (e Event) Context(ctx context.Context) context.Context {
	if len(e.Headers) == 0 {
		return ctx
	}
	ctx = otel.GetTextMapPropagator().Extract(ctx, propagation.MapCarrier(e.Headers))
	if id := e.Headers[ctxutil.CorrelationIDHeader]; id != "" {
		ctx = ctxutil.WithCorrelationID(ctx, id)
	}
	return ctx
}

// Store writes outbox events through one DBTX: a pool, or the transaction
// returned by database.GetDBTX inside TxManager.WithinTx.
type Store struct {
	db database.DBTX
}

// NewStore returns a Store writing through db. It panics on a nil db, a
// wiring error that must not reach production.
func NewStore(db database.DBTX) *Store {
	if db == nil {
		panic("outbox: NewStore called with a nil DBTX")
	}
	return &Store{db: db}
}

// Add stores e; see the package-level Add.
func (s *Store) Add(ctx context.Context, e Event) (uuid.UUID, error) {
	return Add(ctx, s.db, e)
}
