package rabbitmq

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"${{ values.pkgModule }}/ctxutil"
)

// errCancelled: the broker cancelled the consumer, its queue was deleted.
var errCancelled = errors.New("consumer cancelled by the broker (queue deleted)")

// RetryCountHeader counts how often a message went through the retry queue.
const RetryCountHeader = "x-retry-count"

// Handler processes one delivery. ctx carries the publisher's trace context
// and correlation id. Returning nil acks the message; a panic counts as a
// transient error. An error marked with
// Permanent sends it to the dead-letter queue at once; any other error is
// transient: the message goes through the retry queue (a delay) and comes
// back, up to ConsumerConfig.MaxRetries times, then to the dead-letter queue.
type Handler func(ctx context.Context, d amqp.Delivery) error

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying (a malformed message, a command
// the service can never execute): the message is dead-lettered at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err (or an error it wraps) was marked Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// WorkQueue returns the topology of a consumer's queue: queue itself
// (durable; rejected messages dead-letter to queue.dead), queue.retry (holds
// a message for retryDelay, then dead-letters it back to queue) and
// queue.dead. Register it with Connection.Declare.
func WorkQueue(queue string, retryDelay time.Duration) Topology {
	return func(ch *amqp.Channel) error {
		if queue == "" {
			return errors.New("rabbitmq: work queue name is required")
		}
		if retryDelay <= 0 {
			return fmt.Errorf("rabbitmq: retry delay of %s must be positive, got %s", queue, retryDelay)
		}
		dead := DeadLetterQueue(queue)
		if _, err := ch.QueueDeclare(dead, true, false, false, false, nil); err != nil {
			return fmt.Errorf("declare queue %s: %w", dead, err)
		}
		retry := RetryQueue(queue)
		if _, err := ch.QueueDeclare(retry, true, false, false, false, amqp.Table{
			"x-message-ttl":             retryDelay.Milliseconds(),
			"x-dead-letter-exchange":    "",
			"x-dead-letter-routing-key": queue,
		}); err != nil {
			return fmt.Errorf("declare queue %s: %w", retry, err)
		}
		if _, err := ch.QueueDeclare(queue, true, false, false, false, amqp.Table{
			"x-dead-letter-exchange":    "",
			"x-dead-letter-routing-key": dead,
		}); err != nil {
			return fmt.Errorf("declare queue %s: %w", queue, err)
		}
		return nil
	}
}

// DeadLetterQueue names the dead-letter queue of queue.
func DeadLetterQueue(queue string) string { return queue + ".dead" }

// RetryQueue names the retry (delay) queue of queue.
func RetryQueue(queue string) string { return queue + ".retry" }

// ConsumerConfig configures a Consumer; zero values take the defaults in parentheses.
type ConsumerConfig struct {
	Queue    string // required; declared with WorkQueue
	Prefetch int    // unacknowledged deliveries at a time (16)
	// MaxRetries is how often a transiently failing message is retried
	// before it is dead-lettered (5).
	MaxRetries int
	// OnError receives handler failures (with what happened to the message)
	// and lost channels; use it to log.
	OnError func(err error)
}

// Consumer reads one queue. It opens its channel on the Connection's current
// connection and opens a new one after a reconnect, until Run's ctx ends.
type Consumer struct {
	conn  *Connection
	cfg   ConsumerConfig
	retry *Publisher
}

// NewConsumer returns a Consumer of cfg.Queue on conn.
func NewConsumer(conn *Connection, cfg ConsumerConfig) (*Consumer, error) {
	if cfg.Queue == "" {
		return nil, errors.New("rabbitmq: consumer queue name is required")
	}
	if cfg.Prefetch <= 0 {
		cfg.Prefetch = 16
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 5
	}
	retry, err := NewPublisher(conn)
	if err != nil {
		return nil, err
	}
	return &Consumer{conn: conn, cfg: cfg, retry: retry}, nil
}

func (c *Consumer) report(err error) {
	if c.cfg.OnError != nil {
		c.cfg.OnError(err)
	}
}

// Run consumes until ctx is cancelled, surviving broker restarts: when the
// channel is lost it waits for the connection to come back and consumes
// again. On cancellation it cancels the consumer on the broker, requeues the
// deliveries it holds (also a message whose handler failed because of the
// cancellation) and returns nil; only then is it safe to Close the consumer.
func (c *Consumer) Run(ctx context.Context, handle Handler) error {
	delay := 100 * time.Millisecond
	for {
		started := time.Now()
		err := c.consume(ctx, handle)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, ErrClosed) {
			return err
		}
		c.report(fmt.Errorf("rabbitmq: consumer of %s interrupted, resuming after reconnect: %w", c.cfg.Queue, err))
		if amqpErr := (*amqp.Error)(nil); errors.As(err, &amqpErr) && amqpErr.Code == amqp.NotFound || errors.Is(err, errCancelled) {
			// The queue is gone (deleted, or lost with a broker node):
			// declare the topology again rather than wait for a reconnect.
			if derr := c.conn.Redeclare(ctx); derr != nil {
				c.report(derr)
			}
		}
		if time.Since(started) > time.Minute {
			delay = 100 * time.Millisecond
		}
		if err := c.conn.WaitConnected(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Second)
	}
}

// consume runs one channel until it is lost (an error) or ctx ends (nil).
func (c *Consumer) consume(ctx context.Context, handle Handler) error {
	ch, err := c.conn.Channel(ctx)
	if err != nil {
		return err
	}
	defer ch.Close()
	if err := ch.Qos(c.cfg.Prefetch, 0, false); err != nil {
		return fmt.Errorf("set prefetch %d: %w", c.cfg.Prefetch, err)
	}
	// Cancellation is handled here rather than through ConsumeWithContext,
	// whose background basic.cancel would race with the channel's Close (two
	// concurrent RPCs on one channel can deadlock).
	tag := "consumer-" + uuid.NewString()
	deliveries, err := ch.Consume(c.cfg.Queue, tag, false, false, false, false, nil)
	if err != nil {
		return fmt.Errorf("consume %s: %w", c.cfg.Queue, err)
	}
	closed := ch.NotifyClose(make(chan *amqp.Error, 1))
	for {
		select {
		case <-ctx.Done():
			if err := ch.Cancel(tag, false); err != nil && !errors.Is(err, amqp.ErrClosed) {
				return fmt.Errorf("cancel consumer on %s: %w", c.cfg.Queue, err)
			}
			for d := range deliveries {
				_ = d.Nack(false, true)
			}
			return nil
		case d, ok := <-deliveries:
			if !ok {
				select {
				case e, open := <-closed:
					if open && e != nil {
						return e
					}
					return ErrNotConnected
				case <-time.After(100 * time.Millisecond):
					// The channel is fine: the broker cancelled the consumer
					// (its queue was deleted).
					return fmt.Errorf("%w: %s", errCancelled, c.cfg.Queue)
				}
			}
			if ctx.Err() != nil {
				// Shutting down (select picks among ready cases at random).
				_ = d.Nack(false, true)
				continue
			}
			c.dispatch(ctx, d, handle)
		}
	}
}

func (c *Consumer) dispatch(ctx context.Context, d amqp.Delivery, handle Handler) {
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
			attribute.String("messaging.source.name", c.cfg.Queue),
			attribute.String("messaging.message.id", d.MessageId),
		))
	defer span.End()

	herr := safely(ctx, d, handle)
	if herr == nil {
		if err := d.Ack(false); err != nil {
			// The channel is gone: the broker redelivers the message, and
			// the handler's idempotency (by message id) absorbs the repeat.
			c.report(fmt.Errorf("rabbitmq: ack %s on %s: %w", d.MessageId, c.cfg.Queue, err))
		}
		return
	}
	span.RecordError(herr)
	span.SetStatus(codes.Error, herr.Error())
	retries := retryCount(headers)
	var outcome string
	var err error
	switch {
	case ctx.Err() != nil:
		// Shutting down: the message was not processed, give it back.
		outcome = "requeued (shutting down)"
		err = d.Nack(false, true)
	case IsPermanent(herr):
		outcome = "dead-lettered (permanent error)"
		err = d.Nack(false, false)
	case retries >= c.cfg.MaxRetries:
		outcome = fmt.Sprintf("dead-lettered after %d retries", retries)
		err = d.Nack(false, false)
	default:
		outcome = fmt.Sprintf("retry %d of %d through %s", retries+1, c.cfg.MaxRetries, RetryQueue(c.cfg.Queue))
		err = c.retryLater(ctx, d, headers, retries+1)
	}
	c.report(errors.Join(fmt.Errorf("rabbitmq: message %s on %s failed, %s: %w", d.MessageId, c.cfg.Queue, outcome, herr), err))
}

// retryLater publishes a copy to the retry queue (confirmed) and acks the
// original; when that fails the original is requeued after a short pause.
func (c *Consumer) retryLater(ctx context.Context, d amqp.Delivery, headers amqp.Table, attempt int) error {
	table := amqp.Table{RetryCountHeader: int32(attempt)}
	strs := map[string]string{}
	for k, v := range headers {
		if s, ok := v.(string); ok {
			strs[k] = s
		} else if k != RetryCountHeader && k != "x-death" {
			table[k] = v
		}
	}
	err := c.retry.Publish(context.WithoutCancel(ctx), "", RetryQueue(c.cfg.Queue), Message{
		ID: d.MessageId, Type: d.Type, ContentType: d.ContentType, Body: d.Body, Headers: strs, Table: table,
	})
	if err != nil {
		time.Sleep(100 * time.Millisecond)
		return errors.Join(fmt.Errorf("rabbitmq: move %s to %s: %w", d.MessageId, RetryQueue(c.cfg.Queue), err), d.Nack(false, true))
	}
	return d.Ack(false)
}

// safely runs handle, turning a panic into an error (retried, then
// dead-lettered) so one bad message cannot stop the consumer.
func safely(ctx context.Context, d amqp.Delivery, handle Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return handle(ctx, d)
}

func retryCount(h amqp.Table) int {
	switch v := h[RetryCountHeader].(type) {
	case int32:
		return int(v)
	case int64:
		return int(v)
	case int:
		return v
	case int16:
		return int(v)
	case int8:
		return int(v)
	}
	return 0
}

// Close closes the consumer's retry publisher; call it after Run has returned.
func (c *Consumer) Close() error {
	return c.retry.Close()
}
