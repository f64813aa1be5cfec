package rabbitmq

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"${{ values.pkgModule }}/ctxutil"
)

// Handler processes one delivery. ctx carries the publisher's trace context
// and correlation id. Returning nil acks the message; an error nacks it
// without requeue, so the queue's dead-letter exchange receives it.
type Handler func(ctx context.Context, d amqp.Delivery) error

// Consumer reads one queue on its own channel.
type Consumer struct {
	ch    *amqp.Channel
	queue string
}

// NewConsumer opens a channel on conn with the given prefetch count.
func NewConsumer(conn *Connection, queue string, prefetch int) (*Consumer, error) {
	if queue == "" {
		return nil, errors.New("rabbitmq: consumer queue name is required")
	}
	ch, err := conn.Channel()
	if err != nil {
		return nil, err
	}
	if err := ch.Qos(prefetch, 0, false); err != nil {
		_ = ch.Close()
		return nil, fmt.Errorf("rabbitmq: set prefetch %d: %w", prefetch, err)
	}
	return &Consumer{ch: ch, queue: queue}, nil
}

// Run consumes until ctx is cancelled or the channel closes. On cancellation
// it cancels the consumer on the broker, requeues deliveries still in flight
// and returns nil; only then is it safe to Close the consumer.
func (c *Consumer) Run(ctx context.Context, handle Handler) error {
	// Cancellation is handled here rather than through ConsumeWithContext,
	// whose background basic.cancel would race with a Close issued after Run
	// returns (two concurrent RPCs on one channel can deadlock).
	tag := "consumer-" + uuid.NewString()
	deliveries, err := c.ch.Consume(c.queue, tag, false, false, false, false, nil)
	if err != nil {
		return fmt.Errorf("rabbitmq: consume %s: %w", c.queue, err)
	}
	for {
		select {
		case <-ctx.Done():
			if err := c.ch.Cancel(tag, false); err != nil && !errors.Is(err, amqp.ErrClosed) {
				return fmt.Errorf("rabbitmq: cancel consumer on %s: %w", c.queue, err)
			}
			for d := range deliveries {
				_ = d.Nack(false, true)
			}
			return nil
		case d, ok := <-deliveries:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("rabbitmq: delivery channel of %s closed", c.queue)
			}
			if err := c.dispatch(ctx, d, handle); err != nil {
				return err
			}
		}
	}
}

func (c *Consumer) dispatch(ctx context.Context, d amqp.Delivery, handle Handler) error {
	headers := d.Headers
	if headers == nil {
		headers = amqp.Table{}
	}
	ctx = otel.GetTextMapPropagator().Extract(ctx, headerCarrier(headers))
	if id := d.CorrelationId; id != "" {
		ctx = ctxutil.WithCorrelationID(ctx, id)
	} else if id, ok := headers[ctxutil.CorrelationIDHeader].(string); ok {
		ctx = ctxutil.WithCorrelationID(ctx, id)
	}
	ctx, span := otel.Tracer(tracerName).Start(ctx, "process "+d.RoutingKey, trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.system", "rabbitmq"),
			attribute.String("messaging.source.name", c.queue),
			attribute.String("messaging.message.id", d.MessageId),
		))
	defer span.End()

	if err := handle(ctx, d); err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		if nerr := d.Nack(false, false); nerr != nil {
			return fmt.Errorf("rabbitmq: nack %s: %w", d.MessageId, nerr)
		}
		return nil
	}
	if err := d.Ack(false); err != nil {
		return fmt.Errorf("rabbitmq: ack %s: %w", d.MessageId, err)
	}
	return nil
}

// Close closes the consumer's channel; call it after Run has returned.
func (c *Consumer) Close() error {
	if err := c.ch.Close(); err != nil && !errors.Is(err, amqp.ErrClosed) {
		return fmt.Errorf("rabbitmq: close consumer channel: %w", err)
	}
	return nil
}
