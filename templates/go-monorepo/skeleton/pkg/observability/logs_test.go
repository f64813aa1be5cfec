package observability_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	"google.golang.org/grpc"

	"${{ values.pkgModule }}/logger"
	"${{ values.pkgModule }}/observability"
)

// logCollector is an in-process OTLP/gRPC logs receiver.
type logCollector struct {
	collogspb.UnimplementedLogsServiceServer
	mu      sync.Mutex
	service []string
	bodies  []string
	levels  []string
}

func (c *logCollector) Export(_ context.Context, req *collogspb.ExportLogsServiceRequest) (*collogspb.ExportLogsServiceResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rl := range req.GetResourceLogs() {
		for _, a := range rl.GetResource().GetAttributes() {
			if a.GetKey() == "service.name" {
				c.service = append(c.service, a.GetValue().GetStringValue())
			}
		}
		for _, sl := range rl.GetScopeLogs() {
			for _, r := range sl.GetLogRecords() {
				c.bodies = append(c.bodies, r.GetBody().GetStringValue())
				c.levels = append(c.levels, r.GetSeverityText())
			}
		}
	}
	return &collogspb.ExportLogsServiceResponse{}, nil
}

func TestLogsReachOTLPEndpoint(t *testing.T) {
	t.Parallel()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	col := &logCollector{}
	collogspb.RegisterLogsServiceServer(srv, col)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lp, err := observability.NewLoggerProvider(ctx, observability.Config{ServiceName: "order-service", OTLPEndpoint: lis.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	l, err := logger.New(logger.Config{Service: "order-service", Level: "info", LoggerProvider: lp})
	if err != nil {
		t.Fatal(err)
	}
	l.Debug("below the level: not exported")
	l.Info("order created")
	l.Warn("stock low")
	if err := lp.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown (flush): %v", err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	if len(col.bodies) != 2 || col.bodies[0] != "order created" || col.bodies[1] != "stock low" {
		t.Fatalf("collector received %q, want [order created stock low]", col.bodies)
	}
	if col.levels[0] != "info" || col.levels[1] != "warn" {
		t.Fatalf("severities %q, want [info warn]", col.levels)
	}
	if len(col.service) == 0 || col.service[0] != "order-service" {
		t.Fatalf("resource service.name %q, want order-service", col.service)
	}
}

// A collector that is not running must not delay the start, and the flush on
// stop ends at the caller's deadline.
func TestLogsWithoutCollectorDoNotBlock(t *testing.T) {
	t.Parallel()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	_ = lis.Close() // nothing listens there now

	start := time.Now()
	lp, err := observability.NewLoggerProvider(context.Background(), observability.Config{ServiceName: "svc", OTLPEndpoint: addr})
	if err != nil {
		t.Fatal(err)
	}
	l, err := logger.New(logger.Config{Service: "svc", LoggerProvider: lp})
	if err != nil {
		t.Fatal(err)
	}
	l.Info("nobody listens")
	if d := time.Since(start); d > time.Second {
		t.Fatalf("creating the provider and logging took %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start = time.Now()
	_ = lp.Shutdown(ctx) // the export fails or times out: dropped, not fatal
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("shutdown took %v, want it bounded by its 500ms deadline", d)
	}
}

func TestNoEndpointNoLoggerProvider(t *testing.T) {
	t.Parallel()
	lp, err := observability.NewLoggerProvider(context.Background(), observability.Config{ServiceName: "svc"})
	if err != nil || lp != nil {
		t.Fatalf("NewLoggerProvider without endpoint = %v, %v; want nil, nil", lp, err)
	}
	if _, err := observability.NewLoggerProvider(context.Background(), observability.Config{}); err == nil {
		t.Fatal("empty service name accepted")
	}
}
