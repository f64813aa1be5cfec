package rabbitmq_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/mq/rabbitmq"
)

func TestMain(m *testing.M) {
	tp := sdktrace.NewTracerProvider()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	code := m.Run()
	_ = tp.Shutdown(context.Background())
	os.Exit(code)
}

func dial(t *testing.T) *rabbitmq.Connection {
	t.Helper()
	url := os.Getenv("RABBITMQ_URL")
	if url == "" {
		url = "amqp://guest:guest@127.0.0.1:5672/"
	}
	conn, err := rabbitmq.Dial(url)
	if err != nil {
		t.Fatalf("rabbitmq at %s (set RABBITMQ_URL): %v", url, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func queueName(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "pkg-rabbitmq-test-" + hex.EncodeToString(b)
}

// declare creates an auto-deleted queue (optionally dead-lettering into dlq).
func declare(t *testing.T, conn *rabbitmq.Connection, name, dlq string) *amqp.Channel {
	t.Helper()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close() })
	args := amqp.Table{}
	if dlq != "" {
		args["x-dead-letter-exchange"] = ""
		args["x-dead-letter-routing-key"] = dlq
	}
	if _, err := ch.QueueDeclare(name, false, true, false, false, args); err != nil {
		t.Fatalf("declare %s: %v", name, err)
	}
	return ch
}

type received struct {
	body    string
	traceID trace.TraceID
	corrID  string
	msgID   string
}

func TestPublishConsumePropagatesTrace(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	queue := queueName(t)
	declare(t, conn, queue, "")

	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()

	pubCtx, span := otel.Tracer("test").Start(ctxutil.WithCorrelationID(ctx, "corr-mq"), "create order")
	err = pub.Publish(pubCtx, "", queue, rabbitmq.Message{ID: "evt-1", Type: "order.created.v1", Body: []byte(`{"id":1}`)})
	span.End()
	if err != nil {
		t.Fatal(err)
	}

	cons, err := rabbitmq.NewConsumer(conn, queue, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cons.Close() })
	got := make(chan received, 1)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- cons.Run(runCtx, func(ctx context.Context, d amqp.Delivery) error {
			got <- received{string(d.Body), trace.SpanContextFromContext(ctx).TraceID(), ctxutil.CorrelationID(ctx), d.MessageId}
			return nil
		})
	}()
	select {
	case r := <-got:
		if r.body != `{"id":1}` || r.msgID != "evt-1" {
			t.Fatalf("received %+v", r)
		}
		if r.traceID != span.SpanContext().TraceID() {
			t.Fatalf("consumer trace %s, publisher trace %s", r.traceID, span.SpanContext().TraceID())
		}
		if r.corrID != "corr-mq" {
			t.Fatalf("correlation id = %q", r.corrID)
		}
	case <-ctx.Done():
		t.Fatal("message not consumed in time")
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v after cancel", err)
	}
}

func TestHandlerErrorDeadLetters(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	queue, dlq := queueName(t), queueName(t)
	declare(t, conn, dlq, "")
	ch := declare(t, conn, queue, dlq)

	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "evt-bad", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	cons, err := rabbitmq.NewConsumer(conn, queue, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cons.Close() })
	handled := make(chan struct{}, 1)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- cons.Run(runCtx, func(context.Context, amqp.Delivery) error {
			handled <- struct{}{}
			return errors.New("poison message")
		})
	}()
	// Registered after cons.Close, so it runs first: Run must return before Close.
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v after cancel", err)
		}
	})
	select {
	case <-handled:
	case <-ctx.Done():
		t.Fatal("message not consumed in time")
	}
	for {
		d, ok, err := ch.Get(dlq, true)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if d.MessageId != "evt-bad" {
				t.Fatalf("dead-lettered %q", d.MessageId)
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Fatal("message did not reach the dead-letter queue")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestPublishToMissingExchangeFails(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pub.Publish(ctx, "no-such-exchange-"+queueName(t), "k", rabbitmq.Message{ID: "x"}); err == nil {
		t.Fatal("publish to a missing exchange succeeded")
	}
}
