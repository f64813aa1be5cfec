package rabbitmq

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"${{ values.pkgModule }}/ctxutil"
)

const tracerName = "${{ values.pkgModule }}/mq/rabbitmq"

// ErrUnroutable is returned when the broker returned a mandatory message
// because no queue is bound for its routing key: it was not delivered.
var ErrUnroutable = errors.New("rabbitmq: message unroutable")

// Message is what a Publisher sends. ID becomes the AMQP message id (use the
// outbox event id so consumers can deduplicate); Type is the event type.
type Message struct {
	ID          string
	Type        string
	ContentType string
	Body        []byte
	Headers     map[string]string
	// Table holds non-string headers (for example a retry count); it wins
	// over Headers and the propagated trace context on the same key.
	Table amqp.Table
}

// Publisher publishes with publisher confirms and the mandatory flag on its
// own channel, one message at a time, so a message the broker returns as
// unroutable is told apart from the others. After a reconnect it opens a new
// channel on the next Publish. It is safe for concurrent use.
type Publisher struct {
	conn *Connection

	mu      sync.Mutex // serializes publishes: one message in flight
	ch      *amqp.Channel
	returns chan amqp.Return
	closes  chan *amqp.Error
	closed  bool
}

// NewPublisher opens a confirming channel on conn.
func NewPublisher(conn *Connection) (*Publisher, error) {
	p := &Publisher{conn: conn}
	if err := p.open(context.Background()); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Publisher) open(ctx context.Context) error {
	ch, err := p.conn.Channel(ctx)
	if err != nil {
		return err
	}
	if err := ch.Confirm(false); err != nil {
		_ = ch.Close()
		return fmt.Errorf("rabbitmq: enable publisher confirms: %w", err)
	}
	// Buffered: the reader goroutine hands a return (and a channel error)
	// over before it processes the confirm that follows it, so both are
	// here once the confirm is.
	p.returns = ch.NotifyReturn(make(chan amqp.Return, 1))
	p.closes = ch.NotifyClose(make(chan *amqp.Error, 1))
	p.ch = ch
	return nil
}

// discard drops the channel; the next Publish opens a new one.
func (p *Publisher) discard() {
	if p.ch != nil {
		_ = p.ch.Close()
		p.ch = nil
	}
}

// Publish sends msg to exchange with routingKey and waits for the broker's
// confirm. It fails with ErrNotConnected (wrapped) while the broker is
// unreachable, with ErrUnroutable when no queue took the message, and with
// the broker's error when the exchange does not exist. The current trace
// context and correlation id travel in headers.
func (p *Publisher) Publish(ctx context.Context, exchange, routingKey string, msg Message) (err error) {
	ctx, span := otel.Tracer(tracerName).Start(ctx, "publish "+routingKey, trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(
			attribute.String("messaging.system", "rabbitmq"),
			attribute.String("messaging.destination.name", exchange),
			attribute.String("messaging.rabbitmq.destination.routing_key", routingKey),
			attribute.String("messaging.message.id", msg.ID),
		))
	defer func() {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()

	headers := amqp.Table{}
	for k, v := range msg.Headers {
		headers[k] = v
	}
	otel.GetTextMapPropagator().Inject(ctx, headerCarrier(headers))
	corrID := ctxutil.CorrelationID(ctx)
	if corrID == "" {
		corrID = msg.Headers[ctxutil.CorrelationIDHeader]
	}
	if corrID != "" {
		headers[ctxutil.CorrelationIDHeader] = corrID
	}
	for k, v := range msg.Table {
		headers[k] = v
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
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if p.ch == nil || p.ch.IsClosed() {
		p.discard()
		if err := p.open(ctx); err != nil {
			return fmt.Errorf("rabbitmq: publish %s to %s/%s: %w", msg.ID, exchange, routingKey, err)
		}
	}
	confirm, err := p.ch.PublishWithDeferredConfirmWithContext(ctx, exchange, routingKey, true, false, pub)
	if err != nil {
		return fmt.Errorf("rabbitmq: publish %s to %s/%s: %w", msg.ID, exchange, routingKey, p.cause(err))
	}
	acked, err := confirm.WaitContext(ctx)
	if err != nil {
		// A late return or confirm would be taken for the next message's.
		p.discard()
		return fmt.Errorf("rabbitmq: wait for the confirm of %s: %w", msg.ID, err)
	}
	select {
	case r, ok := <-p.returns:
		if ok {
			return fmt.Errorf("%w: %s to %s/%s: %d %s", ErrUnroutable, msg.ID, r.Exchange, r.RoutingKey, r.ReplyCode, r.ReplyText)
		}
	default:
	}
	if !acked {
		if p.ch.IsClosed() {
			return fmt.Errorf("rabbitmq: message %s not confirmed: %w", msg.ID, p.cause(amqp.ErrClosed))
		}
		return fmt.Errorf("rabbitmq: broker nacked message %s", msg.ID)
	}
	return nil
}

// cause tells a channel error (for example a missing exchange, 404) from a
// lost connection (ErrNotConnected).
func (p *Publisher) cause(err error) error {
	var closeErr *amqp.Error
	select {
	case e, ok := <-p.closes:
		if ok {
			closeErr = e
		}
	default:
	}
	if !p.conn.Connected() || closeErr != nil && closeErr.Code == amqp.ConnectionForced {
		return fmt.Errorf("%w: %w", ErrNotConnected, err)
	}
	if closeErr != nil {
		return closeErr
	}
	return err
}

// Close closes the publisher's channel.
func (p *Publisher) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.ch == nil {
		return nil
	}
	err := p.ch.Close()
	p.ch = nil
	if err != nil && !errors.Is(err, amqp.ErrClosed) {
		return fmt.Errorf("rabbitmq: close publisher channel: %w", err)
	}
	return nil
}
