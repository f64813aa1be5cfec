{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set fromInitial = [] %}{% for t in values.transitions %}{% if t.from == values.states[0] %}{% set _ = fromInitial.push(t) %}{% endif %}{% endfor -%}
package integration

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/mq/rabbitmq"
	"${{ values.pkgModule }}/outbox"

	"${{ values.module }}/internal/adapter/inbound/consumer"
	"${{ values.module }}/internal/adapter/outbound/persistence"
	"${{ values.module }}/internal/adapter/outbound/publisher"
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/application/service"
	"${{ values.module }}/internal/application/usecase/${{ values.aggLower }}uc"
	"${{ values.module }}/tests/testdb"
)

// The tests of this package run with W3C trace context propagation, as the
// service does (pkg/observability).
func init() {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
}

// tracer starts the test's spans with a provider of its own: the global one
// may be replaced (and shut down) by a test that starts the whole service.
var tracer = sdktrace.NewTracerProvider().Tracer("test")

func rabbitURL(t *testing.T) string {
	t.Helper()
	if os.Getenv("GOLDEN_PATH_NO_MQ") == "1" {
		t.Skip("GOLDEN_PATH_NO_MQ=1: skipping RabbitMQ test")
	}
	if u := os.Getenv("TEST_RABBITMQ_URL"); u != "" {
		return u
	}
	return "amqp://guest:guest@127.0.0.1:5672/"
}

func dialRabbit(t *testing.T) *rabbitmq.Connection {
	t.Helper()
	conn, err := rabbitmq.Dial(rabbitURL(t))
	if err != nil {
		t.Fatalf("connect to RabbitMQ (set TEST_RABBITMQ_URL, or GOLDEN_PATH_NO_MQ=1 to skip): %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func testChannel(t *testing.T, conn *rabbitmq.Connection) *amqp.Channel {
	t.Helper()
	ch, err := conn.Channel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close() })
	return ch
}

// eventExchange declares a throwaway events exchange and, unless bind is
// false, a queue receiving every event published to it.
func eventExchange(t *testing.T, ch *amqp.Channel, bind bool) (exchange, queue string) {
	t.Helper()
	exchange = "${{ values.name }}-test-" + uuid.NewString()
	if err := ch.ExchangeDeclare(exchange, amqp.ExchangeTopic, false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	if !bind {
		return exchange, ""
	}
	q, err := ch.QueueDeclare("", false, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.QueueBind(q.Name, "#", exchange, false, nil); err != nil {
		t.Fatal(err)
	}
	return exchange, q.Name
}

// newMessagingApp wires the application as newApp does, with a logger whose
// entries the test reads.
func newMessagingApp(t *testing.T) (*app, *observer.ObservedLogs) {
	t.Helper()
	pool, _ := testdb.New(t)
	core, logs := observer.New(zap.InfoLevel)
	a := &app{pool: pool}
	fxApp := fxtest.New(t,
		fx.Supply(pool, zap.New(core)),
		fx.Provide(fx.Annotate(database.NewTxManager, fx.As(new(output.TxManager)))),
		persistence.Module(),
		publisher.Module(),
		service.Module(),
		${{ values.aggLower }}uc.Module(),
		consumer.Module(),
		fx.Populate(&a.svc, &a.create{% if values.hasStateMachine and (values.transitions | length) %}, &a.transition{% endif %}, &a.commands),
	)
	fxApp.RequireStart()
	t.Cleanup(fxApp.RequireStop)
	return a, logs
}

type outboxRow struct {
	eventType string
	status    string
	headers   map[string]string
	lastError string
}

func outboxRows(ctx context.Context, t *testing.T, pool *pgxpool.Pool, aggregateID uuid.UUID) []outboxRow {
	t.Helper()
	rows, err := pool.Query(ctx, `SELECT event_type, status, headers, coalesce(last_error, '') FROM outbox_events
		WHERE aggregate_id = $1 ORDER BY created_at, id`, aggregateID.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.eventType, &r.status, &r.headers, &r.lastError); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type delivered struct {
	typ, id     string
	traceID     trace.TraceID
	correlation string
	body        []byte
}

// TestEventsCarryTraceContextThroughTheOutbox changes ${{ 'an' if (a[0] in 'aeiou') else 'a' }} ${{ a }} in every way
// the service publishes (Created, {% if fromInitial | length %}StatusChanged, {% endif %}Updated, Deleted) under one trace
// and correlation id, publishes the outbox and consumes the events: each row
// stores the trace context and correlation id, each message carries them, and
// the consumer's context has them back.
func TestEventsCarryTraceContextThroughTheOutbox(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := newApp(t)

	reqCtx, span := tracer.Start(ctxutil.WithCorrelationID(ctx, "corr-events"), "request")
	created, err := a.create.Execute(reqCtx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"${{ values.aggSnake }}.created"}
{%- if fromInitial | length %}
	if _, err := a.transition.Execute(reqCtx, &request.Transition${{ A }}{ID: created.ID, Transition: "${{ fromInitial[0].name }}"}); err != nil {
		t.Fatal(err)
	}
	want = append(want, "${{ values.aggSnake }}.status_changed")
{%- endif %}
	if _, err := a.svc.Update(reqCtx, &request.Update${{ A }}{ID: created.ID, ${{ A }}Fields: sampleFields()}); err != nil {
		t.Fatal(err)
	}
	if err := a.svc.Delete(reqCtx, created.ID); err != nil {
		t.Fatal(err)
	}
	want = append(want, "${{ values.aggSnake }}.updated", "${{ values.aggSnake }}.deleted")
	span.End()
	traceID := span.SpanContext().TraceID()

	rows := outboxRows(ctx, t, a.pool, created.ID)
	if len(rows) != len(want) {
		t.Fatalf("outbox holds %d events of %s, want %d (%v)", len(rows), created.ID, len(want), want)
	}
	for i, r := range rows {
		if r.eventType != want[i] {
			t.Errorf("event %d: %s, want %s", i, r.eventType, want[i])
		}
		if !strings.Contains(r.headers["traceparent"], traceID.String()) || r.headers[ctxutil.CorrelationIDHeader] != "corr-events" {
			t.Errorf("event %s: headers %v lack the trace %s or correlation id corr-events", r.eventType, r.headers, traceID)
		}
	}

	conn := dialRabbit(t)
	exchange, queue := eventExchange(t, testChannel(t, conn), true)
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	poller, err := outbox.NewPoller(a.pool, publisher.NewBrokerPublisher(pub, exchange), outbox.PollerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := poller.RunOnce(ctx); err != nil || n != len(want) {
		t.Fatalf("poller claimed %d events: %v", n, err)
	}

	got := make(chan delivered, len(want))
	cons, err := rabbitmq.NewConsumer(conn, rabbitmq.ConsumerConfig{Queue: queue})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- cons.Run(runCtx, func(ctx context.Context, d amqp.Delivery) error {
			got <- delivered{d.Type, d.MessageId, trace.SpanContextFromContext(ctx).TraceID(), ctxutil.CorrelationID(ctx), d.Body}
			return nil
		})
	}()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("consumer: %v", err)
		}
		_ = cons.Close()
	})
	for i := range want {
		select {
		case d := <-got:
			var body struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(d.body, &body); err != nil || body.ID != created.ID.String() {
				t.Errorf("%s body %s (%v), want the id %s", d.typ, d.body, err, created.ID)
			}
			if d.typ != want[i] {
				t.Errorf("message %d: %s, want %s", i, d.typ, want[i])
			}
			if d.traceID != traceID || d.correlation != "corr-events" {
				t.Errorf("%s consumed under trace %s, correlation %q; want %s, corr-events", d.typ, d.traceID, d.correlation, traceID)
			}
		case <-ctx.Done():
			t.Fatalf("%d of %d events consumed", i, len(want))
		}
	}
	for _, r := range outboxRows(ctx, t, a.pool, created.ID) {
		if r.status != outbox.StatusPublished {
			t.Errorf("%s: status %s, want published", r.eventType, r.status)
		}
	}
}

// TestUnroutableEventIsNotMarkedPublished publishes to an exchange no queue is
// bound to: the broker returns the event, which stays in the outbox with the
// reason and is published once a queue is bound.
func TestUnroutableEventIsNotMarkedPublished(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := newApp(t)
	created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	conn := dialRabbit(t)
	ch := testChannel(t, conn)
	exchange, _ := eventExchange(t, ch, false)
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	poller, err := outbox.NewPoller(a.pool, publisher.NewBrokerPublisher(pub, exchange), outbox.PollerConfig{Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poller.RunOnce(ctx); !errors.Is(err, rabbitmq.ErrUnroutable) {
		t.Fatalf("round = %v, want ErrUnroutable", err)
	}
	rows := outboxRows(ctx, t, a.pool, created.ID)
	if len(rows) != 1 || rows[0].status != outbox.StatusPending || !strings.Contains(rows[0].lastError, "unroutable") {
		t.Fatalf("after the return: %+v, want one pending event with last_error unroutable", rows)
	}

	q, err := ch.QueueDeclare("", false, true, true, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.QueueBind(q.Name, "${{ values.aggSnake }}.*", exchange, false, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // the backoff
	if n, err := poller.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("round after binding a queue = %d, %v", n, err)
	}
	if rows := outboxRows(ctx, t, a.pool, created.ID); rows[0].status != outbox.StatusPublished {
		t.Fatalf("status %s after a routed publish, want published", rows[0].status)
	}
}

func commandDelivery(messageID, name string, id uuid.UUID) amqp.Delivery {
	body, _ := json.Marshal(map[string]string{"id": id.String()})
	return amqp.Delivery{MessageId: messageID, Type: "${{ values.aggSnake }}." + name, Body: body}
}

func countLogs(logs *observer.ObservedLogs, msg, messageID string) int {
	n := 0
	for _, e := range logs.FilterMessage(msg).All() {
		if e.ContextMap()["message_id"] == messageID {
			n++
		}
	}
	return n
}

// TestCommandConsumer runs commands through the consumer's handler: a valid
// one changes the ${{ a }} once, even when delivered again; a stale one is
// acknowledged without effect; malformed ones are permanent failures
// (dead-lettered at once).
func TestCommandConsumer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, logs := newMessagingApp(t)
	created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
{%- if fromInitial | length %}
	cmd := commandDelivery("cmd-1", "${{ fromInitial[0].name }}", created.ID)
	for range 2 {
		if err := a.commands.Handle(ctx, cmd); err != nil {
			t.Fatalf("${{ fromInitial[0].name }} command: %v", err)
		}
	}
	if got, err := a.svc.Get(ctx, created.ID); err != nil || got.Status != "${{ fromInitial[0].to }}" {
		t.Errorf("after the command: %+v, %v; want status ${{ fromInitial[0].to }}", got, err)
	}
	if n, d := countLogs(logs, "command executed", "cmd-1"), countLogs(logs, "command duplicate", "cmd-1"); n != 1 || d != 1 {
		t.Errorf("cmd-1 delivered twice: executed %d times, recognized as duplicate %d times; want 1 and 1", n, d)
	}
	if err := a.commands.Handle(ctx, commandDelivery("cmd-stale", "${{ fromInitial[0].name }}", created.ID)); err != nil {
		t.Errorf("stale command: %v, want it acknowledged", err)
	}
{%- endif %}
	for range 2 {
		if err := a.commands.Handle(ctx, commandDelivery("cmd-delete", "delete", created.ID)); err != nil {
			t.Fatalf("delete command: %v", err)
		}
	}
	if n := countLogs(logs, "command executed", "cmd-delete"); n != 1 {
		t.Errorf("delete delivered twice executed %d times, want 1", n)
	}
	var deleted int
	if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM outbox_events WHERE aggregate_id = $1 AND event_type = '${{ values.aggSnake }}.deleted'`, created.ID.String()).Scan(&deleted); err != nil || deleted != 1 {
		t.Errorf("deleted events = %d (%v), want 1", deleted, err)
	}
	if err := a.commands.Handle(ctx, commandDelivery("cmd-gone", "delete", created.ID)); err != nil {
		t.Errorf("delete of a deleted ${{ a }}: %v, want it acknowledged", err)
	}
	for name, d := range map[string]amqp.Delivery{
		"an id that is not a UUID": {MessageId: "m1", Type: "${{ values.aggSnake }}.delete", Body: []byte(`{"id":"x"}`)},
		"a body that is not JSON":  {MessageId: "m2", Type: "${{ values.aggSnake }}.delete", Body: []byte(`{`)},
		"no message id":            {Type: "${{ values.aggSnake }}.delete", Body: []byte(`{"id":"` + uuid.NewString() + `"}`)},
		"another aggregate's type": {MessageId: "m3", Type: "invoice.delete", Body: []byte(`{}`)},
{%- if not values.hasStateMachine %}
		"an unknown command":       {MessageId: "m4", Type: "${{ values.aggSnake }}.archive", Body: []byte(`{"id":"` + uuid.NewString() + `"}`)},
{%- endif %}
	} {
		if err := a.commands.Handle(ctx, d); !rabbitmq.IsPermanent(err) {
			t.Errorf("%s: %v, want a permanent error", name, err)
		}
	}
}

// TestCommandRetriedAfterTransientFailureAndDeadLettered runs the handler on
// a real queue: while the inbox table is unavailable (as during a failed
// migration) a command fails, goes through the retry queue and succeeds once
// the table is back; a malformed command lands in the dead-letter queue.
func TestCommandRetriedAfterTransientFailureAndDeadLettered(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, logs := newMessagingApp(t)
	created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	conn := dialRabbit(t)
	queue := "${{ values.serviceName }}-test-" + uuid.NewString()
	if err := conn.Declare(rabbitmq.WorkQueue(queue, 100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	ch := testChannel(t, conn)
	t.Cleanup(func() {
		for _, q := range []string{queue, rabbitmq.RetryQueue(queue), rabbitmq.DeadLetterQueue(queue)} {
			_, _ = ch.QueueDelete(q, false, false, false)
		}
	})
	var mu sync.Mutex
	var failures []string
	cons, err := rabbitmq.NewConsumer(conn, rabbitmq.ConsumerConfig{Queue: queue, MaxRetries: 50, OnError: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, err.Error())
	}})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- cons.Run(runCtx, a.commands.Handle) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("consumer: %v", err)
		}
		_ = cons.Close()
	})

	if _, err := a.pool.Exec(ctx, `ALTER TABLE processed_messages RENAME TO processed_messages_away`); err != nil {
		t.Fatal(err)
	}
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	body, _ := json.Marshal(map[string]string{"id": created.ID.String()})
	if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "cmd-retry", Type: "${{ values.aggSnake }}.delete", Body: body}); err != nil {
		t.Fatal(err)
	}
	for retried := false; !retried; {
		mu.Lock()
		retried = len(failures) >= 2
		mu.Unlock()
		select {
		case <-ctx.Done():
			t.Fatal("the failing command was not retried")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if _, err := a.pool.Exec(ctx, `ALTER TABLE processed_messages_away RENAME TO processed_messages`); err != nil {
		t.Fatal(err)
	}
	for countLogs(logs, "command executed", "cmd-retry") == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the command did not succeed after the table came back")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if _, err := a.svc.Get(ctx, created.ID); err == nil {
		t.Error("the ${{ a }} still exists after the retried delete")
	}
	mu.Lock()
	if !strings.Contains(failures[0], "retry 1 of 50") {
		t.Errorf("first failure reported as %q, want a retry", failures[0])
	}
	mu.Unlock()

	if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "cmd-bad", Type: "${{ values.aggSnake }}.delete", Body: []byte(`{"id":"x"}`)}); err != nil {
		t.Fatal(err)
	}
	for {
		d, ok, err := ch.Get(rabbitmq.DeadLetterQueue(queue), true)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if d.MessageId != "cmd-bad" {
				t.Fatalf("dead-lettered %q, want cmd-bad", d.MessageId)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the malformed command did not reach the dead-letter queue")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if n := countLogs(logs, "command executed", "cmd-retry"); n != 1 {
		t.Errorf("cmd-retry executed %d times, want 1", n)
	}
}
