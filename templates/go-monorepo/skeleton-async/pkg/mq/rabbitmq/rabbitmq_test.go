package rabbitmq_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
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

func brokerURL() string {
	if u := os.Getenv("RABBITMQ_URL"); u != "" {
		return u
	}
	return "amqp://guest:guest@127.0.0.1:5672/"
}

func dialURL(t *testing.T, url string, cfg ...rabbitmq.Config) *rabbitmq.Connection {
	t.Helper()
	conn, err := rabbitmq.Dial(url, cfg...)
	if err != nil {
		t.Fatalf("rabbitmq at %s (set RABBITMQ_URL): %v", url, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func dial(t *testing.T) *rabbitmq.Connection { return dialURL(t, brokerURL()) }

func queueName(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "pkg-rabbitmq-test-" + hex.EncodeToString(b)
}

// channel opens a plain channel for the test's own declarations and checks.
func channel(t *testing.T, conn *rabbitmq.Connection) *amqp.Channel {
	t.Helper()
	ch, err := conn.Channel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close() })
	return ch
}

// workQueue declares queue with its retry and dead-letter queues and deletes
// them when the test ends.
func workQueue(t *testing.T, conn *rabbitmq.Connection, queue string, delay time.Duration) {
	t.Helper()
	if err := conn.Declare(rabbitmq.WorkQueue(queue, delay)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := rabbitmq.Dial(brokerURL())
		if err != nil {
			return
		}
		defer c.Close()
		if ch, err := c.Channel(context.Background()); err == nil {
			for _, q := range []string{queue, rabbitmq.RetryQueue(queue), rabbitmq.DeadLetterQueue(queue)} {
				_, _ = ch.QueueDelete(q, false, false, false)
			}
		}
	})
}

// run starts a consumer and stops it (Run returning nil) when the test ends.
func run(t *testing.T, conn *rabbitmq.Connection, cfg rabbitmq.ConsumerConfig, h rabbitmq.Handler) {
	t.Helper()
	cons, err := rabbitmq.NewConsumer(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cons.Run(ctx, h) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v after cancel", err)
		}
		_ = cons.Close()
	})
}

func publisher(t *testing.T, conn *rabbitmq.Connection) *rabbitmq.Publisher {
	t.Helper()
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	return pub
}

// get polls queue for one message until ctx ends.
func get(ctx context.Context, t *testing.T, ch *amqp.Channel, queue string) amqp.Delivery {
	t.Helper()
	for {
		d, ok, err := ch.Get(queue, true)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return d
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no message in %s", queue)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func depth(t *testing.T, ch *amqp.Channel, queue string) int {
	t.Helper()
	q, err := ch.QueueDeclarePassive(queue, true, false, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	return q.Messages
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
	workQueue(t, conn, queue, time.Second)
	pub := publisher(t, conn)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()

	pubCtx, span := otel.Tracer("test").Start(ctxutil.WithCorrelationID(ctx, "corr-mq"), "create order")
	err := pub.Publish(pubCtx, "", queue, rabbitmq.Message{ID: "evt-1", Type: "order.created", Body: []byte(`{"id":1}`)})
	span.End()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan received, 1)
	run(t, conn, rabbitmq.ConsumerConfig{Queue: queue}, func(ctx context.Context, d amqp.Delivery) error {
		got <- received{string(d.Body), trace.SpanContextFromContext(ctx).TraceID(), ctxutil.CorrelationID(ctx), d.MessageId}
		return nil
	})
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
}

func TestTransientErrorIsRetriedThenSucceeds(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	queue := queueName(t)
	workQueue(t, conn, queue, 50*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var calls atomic.Int32
	counts := make(chan int, 3)
	done := make(chan string, 1)
	var reported []error
	var mu sync.Mutex
	run(t, conn, rabbitmq.ConsumerConfig{Queue: queue, MaxRetries: 3, OnError: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err)
	}}, func(_ context.Context, d amqp.Delivery) error {
		n, _ := d.Headers[rabbitmq.RetryCountHeader].(int32)
		counts <- int(n)
		if calls.Add(1) < 3 {
			return errors.New("database unavailable")
		}
		done <- d.MessageId + " " + string(d.Body)
		return nil
	})
	if err := publisher(t, conn).Publish(ctx, "", queue, rabbitmq.Message{ID: "evt-retry", Body: []byte(`{"n":1}`)}); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-done:
		if got != `evt-retry {"n":1}` {
			t.Fatalf("retried message arrived as %q", got)
		}
	case <-ctx.Done():
		t.Fatalf("message not handled after retries (%d calls)", calls.Load())
	}
	for want := range 3 {
		if got := <-counts; got != want {
			t.Fatalf("delivery %d carried %s=%d, want %d", want+1, rabbitmq.RetryCountHeader, got, want)
		}
	}
	ch := channel(t, conn)
	if n := depth(t, ch, rabbitmq.DeadLetterQueue(queue)); n != 0 {
		t.Fatalf("%d messages dead-lettered, want 0", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 2 {
		t.Fatalf("OnError got %d reports, want 2 (one per failed attempt): %v", len(reported), reported)
	}
}

func TestPermanentErrorsExhaustedRetriesAndPanicsDeadLetter(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	queue := queueName(t)
	workQueue(t, conn, queue, 20*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var calls sync.Map
	run(t, conn, rabbitmq.ConsumerConfig{Queue: queue, MaxRetries: 2}, func(_ context.Context, d amqp.Delivery) error {
		n, _ := calls.LoadOrStore(d.MessageId, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		switch d.MessageId {
		case "evt-poison":
			return rabbitmq.Permanent(errors.New("malformed command"))
		case "evt-panic":
			panic("handler bug")
		}
		return errors.New("still failing")
	})
	pub := publisher(t, conn)
	for _, id := range []string{"evt-poison", "evt-flaky", "evt-panic"} {
		if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: id, Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	ch := channel(t, conn)
	seen := map[string]amqp.Delivery{}
	for len(seen) < 3 {
		d := get(ctx, t, ch, rabbitmq.DeadLetterQueue(queue))
		seen[d.MessageId] = d
	}
	for id, want := range map[string]int32{"evt-poison": 1, "evt-flaky": 3, "evt-panic": 3} {
		n, _ := calls.Load(id)
		if n == nil || n.(*atomic.Int32).Load() != want {
			t.Errorf("%s handled %v times, want %d", id, n, want)
		}
	}
	if n, _ := seen["evt-flaky"].Headers[rabbitmq.RetryCountHeader].(int32); n != 2 {
		t.Errorf("evt-flaky dead-lettered with %s=%d, want 2", rabbitmq.RetryCountHeader, n)
	}
}

func TestShutdownRequeuesTheMessageInFlight(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	queue := queueName(t)
	workQueue(t, conn, queue, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := publisher(t, conn).Publish(ctx, "", queue, rabbitmq.Message{ID: "evt-inflight", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	cons, err := rabbitmq.NewConsumer(conn, rabbitmq.ConsumerConfig{Queue: queue})
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	started := make(chan struct{})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- cons.Run(runCtx, func(ctx context.Context, _ amqp.Delivery) error {
			close(started)
			<-ctx.Done() // a long handler interrupted by the shutdown
			return ctx.Err()
		})
	}()
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("message not delivered")
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
	ch := channel(t, conn)
	if d := get(ctx, t, ch, queue); d.MessageId != "evt-inflight" {
		t.Fatalf("requeued %q", d.MessageId)
	}
	if n := depth(t, ch, rabbitmq.DeadLetterQueue(queue)); n != 0 {
		t.Fatalf("%d messages dead-lettered at shutdown, want 0", n)
	}
}

func TestUnroutableMessageIsReported(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	ch := channel(t, conn)
	exchange := queueName(t)
	if err := ch.ExchangeDeclare(exchange, amqp.ExchangeTopic, false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	queue := queueName(t)
	if _, err := ch.QueueDeclare(queue, false, true, true, false, nil); err != nil { // exclusive: gone with the connection
		t.Fatal(err)
	}
	if err := ch.QueueBind(queue, "order.*", exchange, false, nil); err != nil {
		t.Fatal(err)
	}
	pub := publisher(t, conn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for range 3 { // the publisher stays usable after a return
		err := pub.Publish(ctx, exchange, "invoice.created", rabbitmq.Message{ID: "evt-nobody"})
		if !errors.Is(err, rabbitmq.ErrUnroutable) {
			t.Fatalf("publish without a bound queue = %v, want ErrUnroutable", err)
		}
		if err := pub.Publish(ctx, exchange, "order.created", rabbitmq.Message{ID: "evt-routed"}); err != nil {
			t.Fatalf("routed publish after a return: %v", err)
		}
	}
	if n := depth(t, ch, queue); n != 3 {
		t.Fatalf("queue holds %d messages, want 3", n)
	}
}

func TestPublishToMissingExchangeFails(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	pub := publisher(t, conn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := pub.Publish(ctx, "no-such-exchange-"+queueName(t), "k", rabbitmq.Message{ID: "x"})
	if err == nil || errors.Is(err, rabbitmq.ErrNotConnected) {
		t.Fatalf("publish to a missing exchange = %v, want the broker's NOT_FOUND", err)
	}
	// The publisher opens a new channel for the next message.
	if err := pub.Publish(ctx, "", "", rabbitmq.Message{ID: "y"}); !errors.Is(err, rabbitmq.ErrUnroutable) {
		t.Fatalf("publish after a channel error = %v, want ErrUnroutable (default exchange, no queue)", err)
	}
}

// proxy forwards TCP to the broker; Cut drops every connection and refuses
// new ones until Restore, as a broker restart does, without disturbing the
// broker others use.
type proxy struct {
	ln      net.Listener
	target  string
	mu      sync.Mutex
	conns   []net.Conn
	refuse  bool
	stopped bool
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(func() {
		p.mu.Lock()
		p.stopped = true
		p.mu.Unlock()
		_ = ln.Close()
		p.Cut()
	})
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.refuse || p.stopped {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
		go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
	}
}

func (p *proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = true
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

func (p *proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = false
}

func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

func TestReconnectRedeclaresTopologyAndResumes(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(brokerURL())
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	u.Host = px.ln.Addr().String()
	var downs, ups atomic.Int32
	conn := dialURL(t, u.String(), rabbitmq.Config{MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		OnStateChange: func(connected bool, _ error) {
			if connected {
				ups.Add(1)
			} else {
				downs.Add(1)
			}
		}})
	queue := queueName(t)
	workQueue(t, conn, queue, time.Second)
	pub := publisher(t, conn)
	got := make(chan string, 10)
	run(t, conn, rabbitmq.ConsumerConfig{Queue: queue}, func(_ context.Context, d amqp.Delivery) error {
		got <- d.MessageId
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	expect := func(id string) {
		t.Helper()
		select {
		case g := <-got:
			if g != id {
				t.Fatalf("consumed %s, want %s", g, id)
			}
		case <-ctx.Done():
			t.Fatalf("%s not consumed", id)
		}
	}
	if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "before"}); err != nil {
		t.Fatal(err)
	}
	expect("before")

	px.Cut()
	waitFor(t, "connection reported down", 5*time.Second, func() bool { return !conn.Connected() })
	if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "during"}); !errors.Is(err, rabbitmq.ErrNotConnected) {
		t.Fatalf("publish during the outage = %v, want ErrNotConnected", err)
	}
	// The broker lost the queues meanwhile (a node reset): the reconnect must declare them again.
	direct := dial(t)
	dch := channel(t, direct)
	for _, q := range []string{queue, rabbitmq.RetryQueue(queue), rabbitmq.DeadLetterQueue(queue)} {
		if _, err := dch.QueueDelete(q, false, false, false); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond) // a few failed reconnect attempts
	px.Restore()
	took := waitFor(t, "reconnected", 5*time.Second, conn.Connected)
	t.Logf("reconnected %s after the broker came back", took.Round(time.Millisecond))
	if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "after"}); err != nil {
		t.Fatalf("publish after the reconnect: %v", err)
	}
	expect("after")
	if downs.Load() < 1 || ups.Load() != 1 {
		t.Errorf("OnStateChange: %d down reports, %d up reports; want >= 1 and 1", downs.Load(), ups.Load())
	}
}

func TestConsumerResumesAfterItsQueueIsDeleted(t *testing.T) {
	t.Parallel()
	conn := dial(t)
	queue := queueName(t)
	workQueue(t, conn, queue, time.Second)
	got := make(chan string, 10)
	run(t, conn, rabbitmq.ConsumerConfig{Queue: queue}, func(_ context.Context, d amqp.Delivery) error {
		got <- d.MessageId
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	pub := publisher(t, conn)
	// Wait for the consumer to be attached, then delete its queue under it.
	waitFor(t, "consumer attached", 5*time.Second, func() bool {
		q, err := channel(t, conn).QueueDeclarePassive(queue, true, false, false, false, nil)
		return err == nil && q.Consumers == 1
	})
	if _, err := channel(t, conn).QueueDelete(queue, false, false, false); err != nil {
		t.Fatal(err)
	}
	// The consumer declares the topology again and consumes the new queue.
	waitFor(t, "queue declared again and consumed", 10*time.Second, func() bool {
		q, err := channel(t, conn).QueueDeclarePassive(queue, true, false, false, false, nil)
		return err == nil && q.Consumers == 1
	})
	if err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "after-delete"}); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-got:
		if id != "after-delete" {
			t.Fatalf("consumed %s", id)
		}
	case <-ctx.Done():
		t.Fatal("message not consumed after the queue came back")
	}
}
