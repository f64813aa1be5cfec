package rabbitmq

import (
	"context"
	"fmt"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"${{ values.pkgModule }}/ctxutil"
)

const tracerName = "${{ values.pkgModule }}/mq/rabbitmq"

// Message is what a Publisher sends. ID becomes the AMQP message id (use the
// outbox event id so consumers can deduplicate); Type is the event type.
type Message struct {
	ID          string
	Type        string
	ContentType string
	Body        []byte
	Headers     map[string]string
}

// Publisher publishes with publisher confirms on its own channel; it is safe
// for concurrent use.
type Publisher struct {
	mu sync.Mutex
	ch *amqp.Channel
}

// NewPublisher opens a confirming channel on conn.
func NewPublisher(conn *Connection) (*Publisher, error) {
	ch, err := conn.Channel()
	if err != nil {
		return nil, err
	}
	if err := ch.Confirm(false); err != nil {
		_ = ch.Close()
		return nil, fmt.Errorf("rabbitmq: enable publisher confirms: %w", err)
	}
	return &Publisher{ch: ch}, nil
}

// Publish sends msg to exchange with routingKey and waits for the broker's
// confirm. The current trace context and correlation id travel in headers.
func (p *Publisher) Publish(ctx context.Context, exchange, routingKey string, msg Message) error {
	ctx, span := otel.Tracer(tracerName).Start(ctx, "publish "+routingKey, trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(
			attribute.String("messaging.system", "rabbitmq"),
			attribute.String("messaging.destination.name", exchange),
			attribute.String("messaging.rabbitmq.destination.routing_key", routingKey),
			attribute.String("messaging.message.id", msg.ID),
		))
	defer span.End()

	headers := amqp.Table{}
	for k, v := range msg.Headers {
		headers[k] = v
	}
	otel.GetTextMapPropagator().Inject(ctx, headerCarrier(headers))
	corrID := ctxutil.CorrelationID(ctx)
	if corrID != "" {
		headers[ctxutil.CorrelationIDHeader] = corrID
	}
	contentType := msg.ContentType
	if contentType == "" {
		contentType = "application/json"
	}
	pub := amqp.Publishing{
		Headers:       headers,
		ContentType:   contentType,
		DeliveryMode:  amqp.Persistent,
		MessageId:     msg.ID,
		Type:          msg.Type,
		CorrelationId: corrID,
		Timestamp:     time.Now().UTC(),
		Body:          msg.Body,
	}

	p.mu.Lock()
	confirm, err := p.ch.PublishWithDeferredConfirmWithContext(ctx, exchange, routingKey, true, false, pub)
	p.mu.Unlock()
	if err != nil {
		span.RecordError(err)
		return fmt.Errorf("rabbitmq: publish to %s/%s: %w", exchange, routingKey, err)
	}
	acked, err := confirm.WaitContext(ctx)
	if err != nil {
		span.RecordError(err)
		return fmt.Errorf("rabbitmq: wait for confirm of %s: %w", msg.ID, err)
	}
	if !acked {
		return fmt.Errorf("rabbitmq: broker nacked message %s", msg.ID)
	}
	return nil
}

// Close closes the publisher's channel.
func (p *Publisher) Close() error {
	if err := p.ch.Close(); err != nil {
		return fmt.Errorf("rabbitmq: close publisher channel: %w", err)
	}
	return nil
}
