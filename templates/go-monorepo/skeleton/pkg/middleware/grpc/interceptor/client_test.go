package interceptor_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/circuitbreaker"
	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/middleware/grpc/interceptor"
)

// flaky answers Check with UNAVAILABLE `fail` times, then SERVING, and
// records the correlation id, bearer token and deadline of every try.
type flaky struct {
	healthpb.UnimplementedHealthServer
	mu        sync.Mutex
	fail      int
	tries     int
	corrIDs   []string
	auth      []string
	deadlines []time.Duration
}

func (f *flaky) Check(ctx context.Context, _ *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tries++
	md, _ := metadata.FromIncomingContext(ctx)
	f.corrIDs = append(f.corrIDs, ctxutil.CorrelationID(ctx))
	f.auth = append(f.auth, strings.Join(md.Get("authorization"), ","))
	if dl, ok := ctx.Deadline(); ok {
		f.deadlines = append(f.deadlines, time.Until(dl))
	}
	if f.tries <= f.fail {
		return nil, status.Error(codes.Unavailable, "warming up")
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

// tries is what the tries carried so far.
type tries struct {
	tries     int
	corrIDs   []string
	auth      []string
	deadlines []time.Duration
}

func (f *flaky) seen() tries {
	f.mu.Lock()
	defer f.mu.Unlock()
	return tries{tries: f.tries, corrIDs: f.corrIDs, auth: f.auth, deadlines: f.deadlines}
}

// dialFlaky serves f behind the server's correlation interceptor (which
// echoes the id) on loopback and dials it with ClientDialOptions.
func dialFlaky(t *testing.T, f *flaky, cfg interceptor.ClientConfig) healthpb.HealthClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(interceptor.ServerCorrelationInterceptor()))
	healthpb.RegisterHealthServer(srv, f)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	opts, err := interceptor.ClientDialOptions(cfg)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(lis.Addr().String(), append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return healthpb.NewHealthClient(conn)
}

func TestClientRetriesIdempotentMethodsWithContext(t *testing.T) {
	t.Parallel()
	f := &flaky{fail: 2}
	client := dialFlaky(t, f, interceptor.ClientConfig{
		Service:           "grpc.health.v1.Health",
		IdempotentMethods: []string{"Check"},
		DefaultTimeout:    3 * time.Second,
	})
	serving := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer abc"))
	ctx := ctxutil.WithCorrelationID(serving, "corr-client")
	var header, trailer metadata.MD
	if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}, grpc.Header(&header), grpc.Trailer(&trailer)); err != nil {
		t.Fatalf("Check after 2 UNAVAILABLE answers: %v (retries through the service config)", err)
	}
	got := f.seen()
	if got.tries != 3 || len(got.deadlines) != 3 {
		t.Fatalf("%d tries (%d with a deadline), want 3", got.tries, len(got.deadlines))
	}
	for i := range got.tries {
		if got.corrIDs[i] != "corr-client" || got.auth[i] != "Bearer abc" {
			t.Fatalf("try %d carried correlation id %q and authorization %q", i+1, got.corrIDs[i], got.auth[i])
		}
		if d := got.deadlines[i]; d <= 0 || d > 3*time.Second {
			t.Fatalf("try %d had %s left, want the 3s default deadline", i+1, d)
		}
	}
	if got := header.Get(ctxutil.CorrelationIDHeader); len(got) != 1 || got[0] != "corr-client" {
		t.Fatalf("correlation header of the success = %v", got)
	}
}

func TestServerCorrelationInTrailerOfAFailure(t *testing.T) {
	t.Parallel()
	f := &flaky{fail: 1}
	client := dialFlaky(t, f, interceptor.ClientConfig{Service: "grpc.health.v1.Health"})
	var header, trailer metadata.MD
	ctx := metadata.AppendToOutgoingContext(context.Background(), ctxutil.CorrelationIDHeader, "corr-failed")
	_, err := client.Check(ctx, &healthpb.HealthCheckRequest{}, grpc.Header(&header), grpc.Trailer(&trailer))
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("error = %v, want UNAVAILABLE (Check not idempotent here: no retry)", err)
	}
	if len(header.Get(ctxutil.CorrelationIDHeader)) != 0 || trailer.Get(ctxutil.CorrelationIDHeader)[0] != "corr-failed" {
		t.Fatalf("header %v, trailer %v: a failure echoes the id in the trailer only", header, trailer)
	}
}

func TestClientBreakerOpensAndCloses(t *testing.T) {
	t.Parallel()
	f := &flaky{fail: 3}
	breaker := circuitbreaker.New[struct{}]("health", circuitbreaker.Config{
		ConsecutiveFailures: 3, Timeout: 100 * time.Millisecond, IsSuccessful: interceptor.CallSucceeded,
	})
	client := dialFlaky(t, f, interceptor.ClientConfig{Service: "grpc.health.v1.Health", Breaker: breaker})
	for range 3 {
		_, _ = client.Check(context.Background(), &healthpb.HealthCheckRequest{})
	}
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{})
	if n := f.seen().tries; status.Code(err) != codes.Unavailable || !strings.Contains(status.Convert(err).Message(), "circuit breaker health is open") || n != 3 {
		t.Fatalf("open breaker: %v after %d tries, want UNAVAILABLE without a 4th try", err, n)
	}
	time.Sleep(150 * time.Millisecond)
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatalf("trial call: %v", err)
	}
	if breaker.State() != circuitbreaker.StateClosed {
		t.Fatalf("breaker %s after a successful trial, want closed", breaker.State())
	}
}

func TestCallSucceededAndServiceConfig(t *testing.T) {
	t.Parallel()
	for code, want := range map[codes.Code]bool{
		codes.NotFound: true, codes.InvalidArgument: true, codes.PermissionDenied: true,
		codes.Unavailable: false, codes.DeadlineExceeded: false, codes.Internal: false,
	} {
		if got := interceptor.CallSucceeded(status.Error(code, "x")); got != want {
			t.Errorf("CallSucceeded(%s) = %v, want %v", code, got, want)
		}
	}
	if !interceptor.CallSucceeded(context.Canceled) || interceptor.CallSucceeded(errors.New("eof")) {
		t.Error("CallSucceeded: a cancellation is the caller's, a plain error the dependency's")
	}
	if _, err := interceptor.RetryServiceConfig("a.v1.A", []string{"Get"}, 6); err == nil {
		t.Error("RetryServiceConfig accepted 6 attempts (gRPC caps them at 5)")
	}
	if _, err := interceptor.ClientDialOptions(interceptor.ClientConfig{}); !errors.Is(err, interceptor.ErrNoService) {
		t.Errorf("ClientDialOptions without Service: %v", err)
	}
}
