{%- set A = values.aggregate -%}
// Package publisher is the outbound messaging adapter: domain events go to the
// transactional outbox (pkg/outbox) in the caller's transaction, with the
// caller's trace context and correlation id, and the outbox poller forwards
// them to RabbitMQ.
package publisher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/mq/rabbitmq"
	"${{ values.pkgModule }}/outbox"

	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/domain/event"
)

// AggregateType is the outbox aggregate_type of every event of this service.
const AggregateType = "${{ values.aggSnake }}"

// The JSON payloads are the published contract (event type + version).
// Created, Updated and Deleted carry the id and the time: consumers that need
// the state read it with Get.
type lifecyclePayload struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
}
{%- if values.hasStateMachine %}

type statusChangedPayload struct {
	ID         string    `json:"id"`
	Transition string    `json:"transition"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	At         time.Time `json:"at"`
}
{%- endif %}

type outboxPublisher struct {
	pool *pgxpool.Pool
}

func newOutboxPublisher(pool *pgxpool.Pool) output.EventPublisher {
	if pool == nil {
		panic("publisher: newOutboxPublisher needs a pool")
	}
	return &outboxPublisher{pool: pool}
}

// Publish stores the events in the outbox through the context's transaction;
// pkg/outbox adds the trace context and correlation id of ctx to the headers.
func (p *outboxPublisher) Publish(ctx context.Context, events ...event.Event) error {
	db := database.GetDBTX(ctx, p.pool)
	for _, e := range events {
		payload, err := encode(e)
		if err != nil {
			return err
		}
		if _, err := outbox.Add(ctx, db, outbox.Event{
			AggregateType: AggregateType,
			AggregateID:   e.AggregateID().String(),
			EventType:     e.EventType(),
			Payload:       payload,
			Headers:       map[string]string{"event_version": strconv.Itoa(e.Version())},
		}); err != nil {
			return err
		}
	}
	return nil
}

func encode(e event.Event) ([]byte, error) {
	var payload any
	switch e := e.(type) {
	case event.${{ A }}Created:
		payload = lifecyclePayload{ID: e.${{ A }}ID.String(), At: e.At}
	case event.${{ A }}Updated:
		payload = lifecyclePayload{ID: e.${{ A }}ID.String(), At: e.At}
	case event.${{ A }}Deleted:
		payload = lifecyclePayload{ID: e.${{ A }}ID.String(), At: e.At}
{%- if values.hasStateMachine %}
	case event.${{ A }}StatusChanged:
		payload = statusChangedPayload{ID: e.${{ A }}ID.String(), Transition: e.Transition, From: e.From, To: e.To, At: e.At}
{%- endif %}
	default:
		return nil, fmt.Errorf("publisher: no payload mapping for event %s", e.EventType())
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("publisher: encode %s: %w", e.EventType(), err)
	}
	return b, nil
}

// BrokerPublisher forwards outbox events to a RabbitMQ exchange; the routing
// key is the event type. It implements outbox.Publisher for the poller: an
// event is reported published only when the broker confirmed it and routed it
// to at least one queue (an unroutable event stays in the outbox and is
// retried), and a broker that cannot be reached is reported as
// outbox.ErrUnavailable, so the poller waits without using up attempts.
type BrokerPublisher struct {
	pub      *rabbitmq.Publisher
	exchange string
}

// NewBrokerPublisher returns a BrokerPublisher publishing to exchange.
func NewBrokerPublisher(pub *rabbitmq.Publisher, exchange string) *BrokerPublisher {
	return &BrokerPublisher{pub: pub, exchange: exchange}
}

// Publish implements outbox.Publisher; it returns once the broker confirmed.
func (b *BrokerPublisher) Publish(ctx context.Context, e outbox.Event) error {
	err := b.pub.Publish(ctx, b.exchange, e.EventType, rabbitmq.Message{
		ID:      e.ID.String(),
		Type:    e.EventType,
		Body:    e.Payload,
		Headers: e.Headers,
	})
	if errors.Is(err, rabbitmq.ErrNotConnected) {
		return fmt.Errorf("%w: %w", outbox.ErrUnavailable, err)
	}
	return err
}
