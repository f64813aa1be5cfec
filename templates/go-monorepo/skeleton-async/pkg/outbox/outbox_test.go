package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/internal/testdb"
	"${{ values.pkgModule }}/outbox"
)

func TestMain(m *testing.M) {
	tp := sdktrace.NewTracerProvider()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	code := m.Run()
	_ = tp.Shutdown(context.Background())
	os.Exit(code)
}

// recorder is a Publisher that records events and fails those of type "fail".
type recorder struct {
	mu   sync.Mutex
	seen map[uuid.UUID]int
}

func (r *recorder) Publish(_ context.Context, e outbox.Event) error {
	if e.EventType == "fail" {
		return errors.New("broker unreachable")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen[e.ID]++
	return nil
}

func addEvents(t *testing.T, pool *pgxpool.Pool, types ...string) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, 0, len(types))
	err := database.NewTxManager(pool).WithinTx(context.Background(), func(ctx context.Context) error {
		for i, typ := range types {
			id, err := outbox.NewStore(database.GetDBTX(ctx, pool)).Add(ctx, outbox.Event{
				AggregateType: "order", AggregateID: "o-1", EventType: typ,
				Payload: json.RawMessage(`{"n":` + string(rune('0'+i%10)) + `}`), Headers: map[string]string{"k": "v"},
			})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func status(t *testing.T, pool *pgxpool.Pool, id uuid.UUID) (string, int) {
	t.Helper()
	var s string
	var attempts int
	if err := pool.QueryRow(context.Background(), "SELECT status, attempts FROM outbox_events WHERE id = $1", id).Scan(&s, &attempts); err != nil {
		t.Fatal(err)
	}
	return s, attempts
}

func TestConcurrentPollersPublishEachEventOnce(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_outbox_test", outbox.Schema)
	types := make([]string, 40)
	for i := range types {
		types[i] = "order.created.v1"
	}
	ids := addEvents(t, pool, types...)
	rec := &recorder{seen: map[uuid.UUID]int{}}

	var wg sync.WaitGroup
	for range 4 {
		p, err := outbox.NewPoller(pool, rec, outbox.PollerConfig{BatchSize: 7})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := p.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if rec.seen[id] != 1 {
			t.Fatalf("event %s published %d times, want 1", id, rec.seen[id])
		}
		if s, _ := status(t, pool, id); s != outbox.StatusPublished {
			t.Fatalf("event %s status %s", id, s)
		}
	}
}

func TestFailedPublishIsRetriedThenFailed(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_outbox_test", outbox.Schema)
	ids := addEvents(t, pool, "fail", "ok")
	rec := &recorder{seen: map[uuid.UUID]int{}}
	p, err := outbox.NewPoller(pool, rec, outbox.PollerConfig{MaxAttempts: 2, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	n, err := p.RunOnce(context.Background())
	if n != 2 || err == nil {
		t.Fatalf("first round = %d, %v; want 2 claimed and the publish error", n, err)
	}
	if s, a := status(t, pool, ids[0]); s != outbox.StatusPending || a != 1 {
		t.Fatalf("after first failure: %s attempts=%d, want pending 1", s, a)
	}
	if s, _ := status(t, pool, ids[1]); s != outbox.StatusPublished {
		t.Fatalf("good event %s, want published", s)
	}
	time.Sleep(20 * time.Millisecond) // let the backoff pass
	if _, err := p.RunOnce(context.Background()); err == nil {
		t.Fatal("second round hid the publish error")
	}
	if s, a := status(t, pool, ids[0]); s != outbox.StatusFailed || a != 2 {
		t.Fatalf("after max attempts: %s attempts=%d, want failed 2", s, a)
	}
	if n, err := p.RunOnce(context.Background()); n != 0 || err != nil {
		t.Fatalf("failed events must not be claimed again: %d, %v", n, err)
	}
}

func TestExpiredClaimIsTakenOver(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_outbox_test", outbox.Schema)
	ids := addEvents(t, pool, "order.paid.v1")
	// A poller claimed the event an hour ago and died.
	if _, err := pool.Exec(context.Background(), `UPDATE outbox_events SET status = 'claimed', claimed_at = now() - interval '1 hour', claim_token = gen_random_uuid()`); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{seen: map[uuid.UUID]int{}}
	p, err := outbox.NewPoller(pool, rec, outbox.PollerConfig{Lease: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := p.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	if rec.seen[ids[0]] != 1 {
		t.Fatal("stale claim was not taken over")
	}
}

func TestAddValidates(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_outbox_test", outbox.Schema)
	ctx := context.Background()
	if _, err := outbox.Add(ctx, pool, outbox.Event{AggregateType: "order", AggregateID: "1", EventType: "x", Payload: json.RawMessage(`{`)}); err == nil {
		t.Error("invalid JSON payload accepted")
	}
	if _, err := outbox.Add(ctx, pool, outbox.Event{Payload: json.RawMessage(`{}`)}); err == nil {
		t.Error("event without type accepted")
	}
	tx := func(ctx context.Context) error {
		_, err := outbox.Add(ctx, database.GetDBTX(ctx, pool), outbox.Event{AggregateType: "order", AggregateID: "1", EventType: "x", Payload: json.RawMessage(`{}`)})
		if err != nil {
			return err
		}
		return errors.New("business change failed")
	}
	_ = database.NewTxManager(pool).WithinTx(ctx, tx)
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM outbox_events").Scan(&n); err != nil || n != 0 {
		t.Fatalf("rolled-back event persisted: count=%d err=%v", n, err)
	}
}

// traced records the trace and correlation id each event is published under.
type traced struct {
	mu    sync.Mutex
	trace map[uuid.UUID]trace.TraceID
	corr  map[uuid.UUID]string
}

func (r *traced) Publish(ctx context.Context, e outbox.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trace[e.ID] = trace.SpanContextFromContext(ctx).TraceID()
	r.corr[e.ID] = ctxutil.CorrelationID(ctx)
	return nil
}

func TestTraceContextIsStoredAndRestoredForPublishing(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_outbox_test", outbox.Schema)
	ctx, span := otel.Tracer("test").Start(ctxutil.WithCorrelationID(context.Background(), "corr-outbox"), "CreateOrder")
	id, err := outbox.Add(ctx, pool, outbox.Event{AggregateType: "order", AggregateID: "1", EventType: "order.created", Payload: json.RawMessage(`{}`)})
	span.End()
	if err != nil {
		t.Fatal(err)
	}
	var headers map[string]string
	if err := pool.QueryRow(context.Background(), "SELECT headers FROM outbox_events WHERE id = $1", id).Scan(&headers); err != nil {
		t.Fatal(err)
	}
	traceID := span.SpanContext().TraceID()
	if tp := headers["traceparent"]; !strings.Contains(tp, traceID.String()) {
		t.Errorf("stored traceparent %q does not carry trace %s", tp, traceID)
	}
	if headers[ctxutil.CorrelationIDHeader] != "corr-outbox" {
		t.Errorf("stored headers %v, want %s=corr-outbox", headers, ctxutil.CorrelationIDHeader)
	}

	rec := &traced{trace: map[uuid.UUID]trace.TraceID{}, corr: map[uuid.UUID]string{}}
	p, err := outbox.NewPoller(pool, rec, outbox.PollerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := p.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	if rec.trace[id] != traceID || rec.corr[id] != "corr-outbox" {
		t.Fatalf("published under trace %s / correlation %q, want %s / corr-outbox", rec.trace[id], rec.corr[id], traceID)
	}
}

// down fails every publish as an unreachable broker does.
type down struct{ calls int }

func (d *down) Publish(context.Context, outbox.Event) error {
	d.calls++
	return fmt.Errorf("connection refused: %w", outbox.ErrUnavailable)
}

func TestUnreachableBrokerPutsEventsBackUncounted(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_outbox_test", outbox.Schema)
	ids := addEvents(t, pool, "a", "b", "c")
	pub := &down{}
	p, err := outbox.NewPoller(pool, pub, outbox.PollerConfig{MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // more rounds than MaxAttempts: none may mark an event failed
		n, err := p.RunOnce(context.Background())
		if n != 3 || !errors.Is(err, outbox.ErrUnavailable) {
			t.Fatalf("RunOnce = %d, %v; want 3 claimed and ErrUnavailable", n, err)
		}
	}
	if pub.calls != 3 {
		t.Errorf("publisher called %d times, want 3 (the round stops at the first unavailable)", pub.calls)
	}
	for _, id := range ids {
		if s, a := status(t, pool, id); s != outbox.StatusPending || a != 0 {
			t.Errorf("event %s: %s attempts=%d, want pending 0", id, s, a)
		}
	}
	ready := false
	p, err = outbox.NewPoller(pool, pub, outbox.PollerConfig{Ready: func() bool { return ready }})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := p.RunOnce(context.Background()); n != 0 || !errors.Is(err, outbox.ErrUnavailable) {
		t.Fatalf("round while not ready = %d, %v; want nothing claimed and ErrUnavailable", n, err)
	}
}
