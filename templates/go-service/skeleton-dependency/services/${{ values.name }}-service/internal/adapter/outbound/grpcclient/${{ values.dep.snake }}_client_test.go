{%- set D = values.dep -%}
{%- set PB = D.protoPkg + 'v1' -%}
package grpcclient_test

import (
	"context"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap/zaptest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/circuitbreaker"
	"${{ values.pkgModule }}/ctxutil"
	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/middleware/grpc/interceptor"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ D.protoPkg }}/v1"

	"${{ values.module }}/internal/adapter/outbound/grpcclient"
)

// fake${{ D.pascal }} serves ${{ D.pascal }}Service on a loopback port with the server
// side of the monorepo's chain that matters here (tracing stats handler,
// correlation interceptor) and records what each call carried.
type fake${{ D.pascal }} struct {
	${{ PB }}.Unimplemented${{ D.aggregate }}ServiceServer
	mu       sync.Mutex
	attempts int
	failWith codes.Code // answer every call with this code; OK serves it
	failOnce codes.Code // answer the next call with this code, then serve
	seen     []seenCall
}

type seenCall struct {
	correlationID string
	traceID       trace.TraceID
	deadline      time.Time
	hasDeadline   bool
}

func (f *fake${{ D.pascal }}) Get${{ D.aggregate }}(ctx context.Context, req *${{ PB }}.Get${{ D.aggregate }}Request) (*${{ PB }}.Get${{ D.aggregate }}Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
	dl, ok := ctx.Deadline()
	f.seen = append(f.seen, seenCall{
		correlationID: ctxutil.CorrelationID(ctx),
		traceID:       trace.SpanContextFromContext(ctx).TraceID(),
		deadline:      dl,
		hasDeadline:   ok,
	})
	if c := f.failOnce; c != codes.OK {
		f.failOnce = codes.OK
		return nil, status.Error(c, "failing once")
	}
	if f.failWith != codes.OK {
		return nil, status.Error(f.failWith, "failing")
	}
	return &${{ PB }}.Get${{ D.aggregate }}Response{${{ D.aggregate }}: &${{ PB }}.${{ D.aggregate }}{Id: req.GetId(), Version: 3}}, nil
}

func (f *fake${{ D.pascal }}) set(failWith, failOnce codes.Code) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failWith, f.failOnce = failWith, failOnce
}

func (f *fake${{ D.pascal }}) calls() (int, []seenCall) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts, append([]seenCall(nil), f.seen...)
}

const (
	callTimeout     = 2 * time.Second
	breakerFailures = 3
	breakerOpenFor  = 300 * time.Millisecond
)

var traceContext = propagation.TraceContext{}

func start(t *testing.T) (*fake${{ D.pascal }}, *grpcclient.${{ D.pascal }}Client, *sdktrace.TracerProvider) {
	t.Helper()
	tp := sdktrace.NewTracerProvider()
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	fake := &fake${{ D.pascal }}{}
	srv := grpc.NewServer(
		grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(traceContext))),
		grpc.ChainUnaryInterceptor(interceptor.ServerCorrelationInterceptor()),
	)
	${{ PB }}.Register${{ D.aggregate }}ServiceServer(srv, fake)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	c, err := grpcclient.New${{ D.pascal }}Client(grpcclient.Options{
		Target:          lis.Addr().String(),
		Timeout:         callTimeout,
		BreakerFailures: breakerFailures,
		BreakerOpenFor:  breakerOpenFor,
		TracerProvider:  tp,
		Propagator:      traceContext,
	}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("New${{ D.pascal }}Client: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return fake, c, tp
}

// The call reaches ${{ D.serviceName }} with the default deadline, the caller's
// correlation id and its trace, and the answer is mapped to the port's type.
func Test${{ D.pascal }}ClientCarriesDeadlineCorrelationAndTrace(t *testing.T) {
	t.Parallel()
	fake, c, tp := start(t)
	ctx, span := tp.Tracer("test").Start(ctxutil.WithCorrelationID(context.Background(), "corr-${{ D.name }}-1"), "caller")
	defer span.End()
	sent := time.Now()
	got, err := c.Get${{ D.aggregate }}(ctx, "id-1")
	if err != nil {
		t.Fatalf("Get${{ D.aggregate }}: %v", err)
	}
	if got.ID != "id-1" || got.Version != 3 {
		t.Fatalf("Get${{ D.aggregate }} = %+v, want id-1 at version 3", got)
	}
	_, seen := fake.calls()
	if len(seen) != 1 {
		t.Fatalf("%d calls reached the server, want 1", len(seen))
	}
	s := seen[0]
	if s.correlationID != "corr-${{ D.name }}-1" {
		t.Errorf("server saw correlation id %q, want corr-${{ D.name }}-1", s.correlationID)
	}
	if want := span.SpanContext().TraceID(); s.traceID != want {
		t.Errorf("server saw trace %s, want the caller's %s", s.traceID, want)
	}
	if !s.hasDeadline {
		t.Fatal("the call reached the server without a deadline")
	}
	// The server rebuilds the deadline from grpc-timeout when the call arrives,
	// so it is later than the client's by the time in transit: a busy machine
	// under -race has shown 400 ms. A second of slack still tells the default
	// apart from none or another one.
	if left := s.deadline.Sub(sent); left <= callTimeout-time.Second || left > callTimeout+time.Second {
		t.Errorf("server saw a deadline %s after the call, want about %s", left, callTimeout)
	}
}

// A caller's shorter deadline is kept.
func Test${{ D.pascal }}ClientKeepsAShorterDeadline(t *testing.T) {
	t.Parallel()
	fake, c, _ := start(t)
	// a first call connects, so the measured one is the call alone
	if _, err := c.Get${{ D.aggregate }}(context.Background(), "id-2"); err != nil {
		t.Fatalf("Get${{ D.aggregate }}: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout/2)
	defer cancel()
	want, _ := ctx.Deadline()
	if _, err := c.Get${{ D.aggregate }}(ctx, "id-2"); err != nil {
		t.Fatalf("Get${{ D.aggregate }}: %v", err)
	}
	_, seen := fake.calls()
	// Later by the time in transit only (see above); the default deadline
	// would be callTimeout/2 later.
	if d := seen[1].deadline.Sub(want); d > callTimeout/4 || d < -50*time.Millisecond {
		t.Errorf("server deadline differs from the caller's by %s", d)
	}
}

// Get${{ D.aggregate }} is idempotent: an UNAVAILABLE answer is retried by the
// service config and the caller sees the second try's answer.
func Test${{ D.pascal }}ClientRetriesIdempotentCalls(t *testing.T) {
	t.Parallel()
	fake, c, _ := start(t)
	fake.set(codes.OK, codes.Unavailable)
	if _, err := c.Get${{ D.aggregate }}(context.Background(), "id-3"); err != nil {
		t.Fatalf("Get${{ D.aggregate }} after one UNAVAILABLE: %v", err)
	}
	if n, _ := fake.calls(); n != 2 {
		t.Fatalf("%d tries reached the server, want 2", n)
	}
}

// Answers about the request do not count against ${{ D.serviceName }}: NOT_FOUND
// stays NOT_FOUND and the breaker stays closed.
func Test${{ D.pascal }}ClientNotFoundKeepsTheBreakerClosed(t *testing.T) {
	t.Parallel()
	fake, c, _ := start(t)
	fake.set(codes.NotFound, codes.OK)
	for range breakerFailures + 2 {
		_, err := c.Get${{ D.aggregate }}(context.Background(), "missing")
		if apperrors.CodeOf(err) != apperrors.CodeNotFound {
			t.Fatalf("error = %v (%s), want CodeNotFound", err, apperrors.CodeOf(err))
		}
	}
	if s := c.BreakerState(); s != circuitbreaker.StateClosed {
		t.Fatalf("breaker %s after NOT_FOUND answers, want closed", s)
	}
}

// After breakerFailures failed calls in a row the breaker opens: calls fail
// at once with CodeUnavailable and do not reach the server. After
// breakerOpenFor one trial call goes through; its success closes it.
func Test${{ D.pascal }}ClientBreakerOpensAndCloses(t *testing.T) {
	t.Parallel()
	fake, c, _ := start(t)
	fake.set(codes.Unavailable, codes.OK)
	for i := range breakerFailures {
		if s := c.BreakerState(); s != circuitbreaker.StateClosed {
			t.Fatalf("breaker %s after %d failed calls, want closed", s, i)
		}
		if _, err := c.Get${{ D.aggregate }}(context.Background(), "id-4"); apperrors.CodeOf(err) != apperrors.CodeUnavailable {
			t.Fatalf("call %d: error = %v, want CodeUnavailable", i+1, err)
		}
	}
	if s := c.BreakerState(); s != circuitbreaker.StateOpen {
		t.Fatalf("breaker %s after %d failed calls, want open", s, breakerFailures)
	}
	reached, _ := fake.calls()
	fake.set(codes.OK, codes.OK)
	t0 := time.Now()
	_, err := c.Get${{ D.aggregate }}(context.Background(), "id-4")
	if apperrors.CodeOf(err) != apperrors.CodeUnavailable {
		t.Fatalf("open breaker: error = %v, want CodeUnavailable", err)
	}
	if n, _ := fake.calls(); n != reached {
		t.Fatalf("a call reached the server through the open breaker (%d tries, %d before)", n, reached)
	}
	// at once: well within a call's timeout (a busy machine under -race can
	// hold any call for tens of milliseconds)
	if d := time.Since(t0); d > callTimeout/2 {
		t.Fatalf("the open breaker took %s to refuse, want at once", d)
	}
	time.Sleep(breakerOpenFor + 50*time.Millisecond)
	if _, err := c.Get${{ D.aggregate }}(context.Background(), "id-4"); err != nil {
		t.Fatalf("trial call after %s: %v", breakerOpenFor, err)
	}
	if s := c.BreakerState(); s != circuitbreaker.StateClosed {
		t.Fatalf("breaker %s after a successful trial call, want closed", s)
	}
}

// Against the real ${{ D.serviceName }} (the template suite starts it):
// ${{ D.env }}_LIVE_ADDR is its address, ${{ D.env }}_LIVE_TOKEN a bearer token it
// accepts. The token comes in as the authorization of the call being served
// and is forwarded; the test logs the correlation id and trace id it sent, and
// the service's own log shows them with the deadline the call had left.
func Test${{ D.pascal }}ClientLive(t *testing.T) {
	addr := os.Getenv("${{ D.env }}_LIVE_ADDR")
	if addr == "" {
		t.Skip("set ${{ D.env }}_LIVE_ADDR and ${{ D.env }}_LIVE_TOKEN to call a running ${{ D.serviceName }}")
	}
	t.Parallel()
	tp := sdktrace.NewTracerProvider()
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	c, err := grpcclient.New${{ D.pascal }}Client(grpcclient.Options{
		Target:          addr,
		Timeout:         callTimeout,
		BreakerFailures: breakerFailures,
		BreakerOpenFor:  breakerOpenFor,
		TracerProvider:  tp,
		Propagator:      traceContext,
	}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("New${{ D.pascal }}Client: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	serving := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+os.Getenv("${{ D.env }}_LIVE_TOKEN")))
	correlationID := "corr-live-" + uuid.NewString()
	ctx, span := tp.Tracer("test").Start(ctxutil.WithCorrelationID(serving, correlationID), "caller")
	defer span.End()
	_, err = c.Get${{ D.aggregate }}(ctx, uuid.NewString())
	if apperrors.CodeOf(err) != apperrors.CodeNotFound {
		t.Fatalf("Get${{ D.aggregate }} of an unknown id: %v (%s), want CodeNotFound", err, apperrors.CodeOf(err))
	}
	t.Logf("live call: correlation_id=%s trace_id=%s timeout=%s", correlationID, span.SpanContext().TraceID(), callTimeout)
}
