package observability_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"

	"${{ values.pkgModule }}/observability"
)

// collector is an in-process OTLP/gRPC trace receiver.
type collector struct {
	coltracepb.UnimplementedTraceServiceServer
	mu    sync.Mutex
	spans []string
}

func (c *collector) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				c.spans = append(c.spans, s.GetName())
			}
		}
	}
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

func TestExportsToOTLPEndpoint(t *testing.T) {
	t.Parallel()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	col := &collector{}
	coltracepb.RegisterTraceServiceServer(srv, col)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tp, err := observability.NewTracerProvider(ctx, observability.Config{
		ServiceName: "order-service", ServiceVersion: "1.0.0", OTLPEndpoint: lis.Addr().String(),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer("test").Start(ctx, "CreateOrder")
	span.End()
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown (flush): %v", err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	if len(col.spans) != 1 || col.spans[0] != "CreateOrder" {
		t.Fatalf("collector received %v, want [CreateOrder]", col.spans)
	}
}

func TestNoEndpointStillCreatesSpans(t *testing.T) {
	t.Parallel()
	tp, err := observability.NewTracerProvider(context.Background(), observability.Config{ServiceName: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer("test").Start(context.Background(), "op")
	if !span.SpanContext().IsValid() {
		t.Fatal("span has no valid trace id")
	}
	span.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRequiresServiceName(t *testing.T) {
	t.Parallel()
	if _, err := observability.NewTracerProvider(context.Background(), observability.Config{}); err == nil {
		t.Fatal("empty service name accepted")
	}
}

// TestSetupInstallsGlobals is the only test touching the global provider.
func TestSetupInstallsGlobals(t *testing.T) {
	t.Parallel()
	shutdown, err := observability.Setup(context.Background(), observability.Config{ServiceName: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); !ok {
		t.Fatalf("global tracer provider is %T", otel.GetTracerProvider())
	}
	carrier := propagation.MapCarrier{}
	ctx, span := otel.Tracer("t").Start(context.Background(), "op")
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	span.End()
	if carrier.Get("traceparent") == "" {
		t.Fatal("propagator did not inject traceparent")
	}
}
