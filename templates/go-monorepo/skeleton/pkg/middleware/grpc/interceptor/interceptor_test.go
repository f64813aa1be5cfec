package interceptor_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
	"golang.org/x/time/rate"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"${{ values.pkgModule }}/auth/jwt"
	"${{ values.pkgModule }}/ctxutil"
	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/logger"
	"${{ values.pkgModule }}/middleware/grpc/interceptor"
)

// probe is a real gRPC service (the health API) whose behaviour is chosen by
// the requested service name.
type probe struct {
	healthpb.UnimplementedHealthServer
}

func (probe) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	switch req.GetService() {
	case "panic":
		panic("handler exploded")
	case "missing":
		return nil, fmt.Errorf("get thing: %w", apperrors.New(apperrors.CodeNotFound, "thing 42 not found"))
	case "leaky":
		return nil, errors.New("pq: password authentication failed for user secret")
	case "internal-domain":
		return nil, apperrors.Wrap(apperrors.CodeInternal, "load thing", errors.New("dial tcp 10.1.2.3:5432: connection refused"))
	case "hidden-cause":
		return nil, apperrors.WithHiddenCause(apperrors.CodeAlreadyExists, "thing already exists", errors.New("SQLSTATE 23505 on things_pkey"))
	case "wrapped-status":
		return nil, fmt.Errorf("call inventory at 10.9.9.9: %w", status.Error(codes.NotFound, "sku 7"))
	case "slow":
		<-ctx.Done()
		return nil, fmt.Errorf("wait for thing: %w", ctx.Err())
	case "whoami":
		claims, ok := jwt.ClaimsFromContext(ctx)
		if !ok || claims.Subject != "user-7" || ctxutil.CorrelationID(ctx) == "" {
			return nil, status.Error(codes.FailedPrecondition, "claims or correlation id missing in handler context")
		}
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

func (probe) Watch(req *healthpb.HealthCheckRequest, stream healthpb.Health_WatchServer) error {
	switch req.GetService() {
	case "panic":
		panic("stream handler exploded")
	case "missing":
		return apperrors.New(apperrors.CodeNotFound, "stream target not found")
	}
	if _, ok := jwt.ClaimsFromContext(stream.Context()); !ok || ctxutil.CorrelationID(stream.Context()) == "" {
		return status.Error(codes.FailedPrecondition, "claims or correlation id missing in stream context")
	}
	return stream.Send(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING})
}

type harness struct {
	client    healthpb.HealthClient
	logs      *observer.ObservedLogs
	registry  *prometheus.Registry
	validator *jwt.Validator
}

func newHarness(t *testing.T, limiter *rate.Limiter) *harness {
	t.Helper()
	return newHarnessWith(t, func(c *interceptor.ChainConfig) { c.Limiter = limiter })
}

func newHarnessWith(t *testing.T, configure func(*interceptor.ChainConfig)) *harness {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	reg := prometheus.NewRegistry()
	metrics, err := interceptor.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jwt.NewValidator(jwt.Config{Issuer: "test", Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := interceptor.ChainConfig{
		Logger: logger.NewWithCore(core, "test"), Metrics: metrics, Validator: v,
		PublicMethods: []string{"/grpc.health.v1.Health/List"},
	}
	configure(&cfg)
	srv := grpc.NewServer(interceptor.ServerOptions(cfg)...)
	healthpb.RegisterHealthServer(srv, probe{})
	lis := bufconn.Listen(1 << 20)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &harness{client: healthpb.NewHealthClient(conn), logs: logs, registry: reg, validator: v}
}

func (h *harness) authed(t *testing.T) context.Context {
	t.Helper()
	tok, err := h.validator.Issue("user-7", nil, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok, ctxutil.CorrelationIDHeader, "corr-abc")
}

func TestChainEndToEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)

	t.Run("unauthenticated", func(t *testing.T) {
		_, err := h.client.Check(context.Background(), &healthpb.HealthCheckRequest{})
		if status.Code(err) != codes.Unauthenticated {
			t.Fatalf("code = %v, want Unauthenticated", status.Code(err))
		}
	})
	t.Run("claims and correlation reach handler", func(t *testing.T) {
		var header metadata.MD
		_, err := h.client.Check(h.authed(t), &healthpb.HealthCheckRequest{Service: "whoami"}, grpc.Header(&header))
		if err != nil {
			t.Fatal(err)
		}
		if got := header.Get(ctxutil.CorrelationIDHeader); len(got) != 1 || got[0] != "corr-abc" {
			t.Fatalf("correlation header = %v, want corr-abc", got)
		}
	})
	t.Run("domain error mapped", func(t *testing.T) {
		_, err := h.client.Check(h.authed(t), &healthpb.HealthCheckRequest{Service: "missing"})
		st := status.Convert(err)
		if st.Code() != codes.NotFound || !strings.Contains(st.Message(), "thing 42 not found") {
			t.Fatalf("status = %v", st)
		}
	})
	t.Run("unknown error hidden", func(t *testing.T) {
		_, err := h.client.Check(h.authed(t), &healthpb.HealthCheckRequest{Service: "leaky"})
		st := status.Convert(err)
		if st.Code() != codes.Internal || strings.Contains(st.Message(), "password") {
			t.Fatalf("status = %v", st)
		}
	})
	t.Run("panic recovered", func(t *testing.T) {
		_, err := h.client.Check(h.authed(t), &healthpb.HealthCheckRequest{Service: "panic"})
		if status.Code(err) != codes.Internal {
			t.Fatalf("code = %v, want Internal", status.Code(err))
		}
		if h.logs.FilterMessage("panic in grpc handler").Len() != 1 {
			t.Fatal("panic not logged")
		}
	})
	t.Run("metrics and logs recorded", func(t *testing.T) {
		want := `
# HELP grpc_server_handled_total Total number of RPCs completed on the server, by method and status code.
# TYPE grpc_server_handled_total counter
grpc_server_handled_total{grpc_code="Internal",grpc_method="/grpc.health.v1.Health/Check"} 2
grpc_server_handled_total{grpc_code="NotFound",grpc_method="/grpc.health.v1.Health/Check"} 1
grpc_server_handled_total{grpc_code="OK",grpc_method="/grpc.health.v1.Health/Check"} 1
grpc_server_handled_total{grpc_code="Unauthenticated",grpc_method="/grpc.health.v1.Health/Check"} 1
`
		if err := testutil.GatherAndCompare(h.registry, strings.NewReader(want), "grpc_server_handled_total"); err != nil {
			t.Fatal(err)
		}
		entries := h.logs.FilterMessage("grpc request").All()
		if len(entries) != 5 {
			t.Fatalf("request log entries = %d, want 5", len(entries))
		}
		ok := h.logs.FilterMessage("grpc request").FilterField(logger.CorrelationID("corr-abc")).FilterField(logger.GRPCCode("OK"))
		if ok.Len() != 1 || ok.All()[0].Level != zapcore.InfoLevel {
			t.Fatalf("OK entry with correlation id not found: %v", ok.All())
		}
	})
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, rate.NewLimiter(rate.Every(time.Hour), 1))
	ctx := h.authed(t)
	if _, err := h.client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatalf("first call: %v", err)
	}
	if _, err := h.client.Check(ctx, &healthpb.HealthCheckRequest{}); status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("second call code = %v, want ResourceExhausted", status.Code(err))
	}
}

// TestRateLimitSparesUnlimitedMethods: health checks listed as unlimited
// pass however empty the bucket is, and take no token from other calls.
func TestRateLimitSparesUnlimitedMethods(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, func(c *interceptor.ChainConfig) {
		c.Limiter = rate.NewLimiter(rate.Every(time.Hour), 1)
		c.UnlimitedMethods = []string{"/grpc.health.v1.Health/Check"}
	})
	ctx := h.authed(t)
	for i := 0; i < 5; i++ {
		if _, err := h.client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
			t.Fatalf("health check %d: %v", i+1, err)
		}
	}
	// the bucket's one token is still there for the first other call
	if _, err := h.client.List(ctx, &healthpb.HealthListRequest{}); status.Code(err) == codes.ResourceExhausted {
		t.Fatalf("first limited call refused: %v", err)
	}
	if _, err := h.client.List(ctx, &healthpb.HealthListRequest{}); status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("second limited call code = %v, want ResourceExhausted", status.Code(err))
	}
}

func TestToStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want codes.Code
	}{
		{apperrors.New(apperrors.CodeInvalidArgument, "x"), codes.InvalidArgument},
		{apperrors.New(apperrors.CodeAlreadyExists, "x"), codes.AlreadyExists},
		{apperrors.New(apperrors.CodeFailedPrecondition, "x"), codes.FailedPrecondition},
		{apperrors.New(apperrors.CodeUnauthenticated, "x"), codes.Unauthenticated},
		{apperrors.New(apperrors.CodePermissionDenied, "x"), codes.PermissionDenied},
		{apperrors.New(apperrors.CodeResourceExhausted, "x"), codes.ResourceExhausted},
		{apperrors.New(apperrors.CodeUnavailable, "x"), codes.Unavailable},
		{apperrors.New(apperrors.CodeInternal, "x"), codes.Internal},
		{apperrors.New(apperrors.CodeAborted, "x"), codes.Aborted},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), codes.DeadlineExceeded},
		{context.Canceled, codes.Canceled},
		{status.Error(codes.Aborted, "already a status"), codes.Aborted},
	}
	for _, tt := range tests {
		if got := status.Code(interceptor.ToStatus(tt.err)); got != tt.want {
			t.Errorf("ToStatus(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	if interceptor.ToStatus(nil) != nil {
		t.Error("ToStatus(nil) is not nil")
	}
}

func TestBuildServerOptionsRequiresDeps(t *testing.T) {
	t.Parallel()
	if _, err := interceptor.BuildServerOptions(interceptor.ChainConfig{}); !errors.Is(err, interceptor.ErrIncompleteChain) {
		t.Fatalf("err = %v, want ErrIncompleteChain", err)
	}
}

func TestStreamChain(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	recv := func(parent context.Context, service string) (*healthpb.HealthCheckResponse, error) {
		// A Watch stays open after its first message: end it, so that its
		// handler returns and the stream is logged.
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		stream, err := h.client.Watch(ctx, &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			return nil, err
		}
		return stream.Recv()
	}
	if _, err := recv(context.Background(), ""); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("unauthenticated stream: code %v", status.Code(err))
	}
	resp, err := recv(h.authed(t), "")
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("authenticated stream: %v, %v", resp, err)
	}
	if _, err := recv(h.authed(t), "missing"); status.Code(err) != codes.NotFound {
		t.Fatalf("domain error in stream: code %v", status.Code(err))
	}
	if _, err := recv(h.authed(t), "panic"); status.Code(err) != codes.Internal {
		t.Fatalf("panicking stream: code %v", status.Code(err))
	}
	// The server logs a stream when its handler returns, which for the
	// cancelled Watch happens just after the client gave up on it.
	deadline := time.Now().Add(5 * time.Second)
	for h.logs.FilterMessage("grpc stream").Len() < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := h.logs.FilterMessage("grpc stream").Len(); n != 4 {
		t.Fatalf("stream log entries = %d, want 4", n)
	}
}

// TestErrorCauseLoggedNotSent: for every failure the client receives only the
// safe message, while the request's log line carries the real cause and the
// trace id of the call.
func TestErrorCauseLoggedNotSent(t *testing.T) {
	t.Parallel()
	tp := sdktrace.NewTracerProvider()
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	h := newHarnessWith(t, func(c *interceptor.ChainConfig) { c.TracerProvider = tp })
	tests := []struct {
		service    string
		code       codes.Code
		clientMsg  string
		loggedText string
	}{
		{"leaky", codes.Internal, "internal error", "password authentication failed for user secret"},
		{"internal-domain", codes.Internal, "internal error", "load thing: dial tcp 10.1.2.3:5432: connection refused"},
		{"wrapped-status", codes.Internal, "internal error", "call inventory at 10.9.9.9"},
		{"hidden-cause", codes.AlreadyExists, "thing already exists", "SQLSTATE 23505 on things_pkey"},
		{"missing", codes.NotFound, "thing 42 not found", "get thing: thing 42 not found"},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			_, err := h.client.Check(h.authed(t), &healthpb.HealthCheckRequest{Service: tt.service})
			st := status.Convert(err)
			if st.Code() != tt.code || st.Message() != tt.clientMsg {
				t.Fatalf("client got %v %q, want %v %q", st.Code(), st.Message(), tt.code, tt.clientMsg)
			}
			if tt.code == codes.Internal && strings.Contains(st.Message(), tt.loggedText) {
				t.Fatalf("client message %q carries the cause", st.Message())
			}
			var found bool
			for _, e := range h.logs.FilterMessage("grpc request").FilterField(logger.GRPCCode(tt.code.String())).All() {
				m := e.ContextMap()
				if strings.Contains(fmt.Sprint(m[logger.KeyError]), tt.loggedText) {
					found = true
					if id, _ := m[logger.KeyTraceID].(string); len(id) != 32 {
						t.Errorf("log line without a trace id: %v", m)
					}
					if tt.code == codes.Internal && e.Level != zapcore.ErrorLevel {
						t.Errorf("level = %v, want error", e.Level)
					}
				}
			}
			if !found {
				t.Fatalf("no request log line with the cause %q: %v", tt.loggedText, h.logs.All())
			}
		})
	}
}

// TestDefaultDeadline: a call without a client deadline ends with
// DeadlineExceeded after the server's default; a per-method 0 removes it
// and a shorter client deadline wins.
func TestDefaultDeadline(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, func(c *interceptor.ChainConfig) {
		c.DefaultTimeout = 150 * time.Millisecond
		c.MethodTimeouts = map[string]time.Duration{"/grpc.health.v1.Health/Check": 300 * time.Millisecond}
	})
	start := time.Now()
	_, err := h.client.Check(h.authed(t), &healthpb.HealthCheckRequest{Service: "slow"})
	elapsed := time.Since(start)
	if status.Code(err) != codes.DeadlineExceeded || status.Convert(err).Message() != "deadline exceeded" {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if elapsed < 300*time.Millisecond || elapsed > 3*time.Second {
		t.Fatalf("the call took %v, want the per-method 300ms", elapsed)
	}
	ctx, cancel := context.WithTimeout(h.authed(t), 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := h.client.Check(ctx, &healthpb.HealthCheckRequest{Service: "slow"}); status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 250*time.Millisecond {
		t.Fatalf("the client's 50ms deadline was not kept: %v", elapsed)
	}

	none := newHarnessWith(t, func(c *interceptor.ChainConfig) {
		c.DefaultTimeout = 50 * time.Millisecond
		c.MethodTimeouts = map[string]time.Duration{"/grpc.health.v1.Health/Check": 0}
	})
	ctx, cancel = context.WithTimeout(none.authed(t), 400*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = none.client.Check(ctx, &healthpb.HealthCheckRequest{Service: "slow"})
	if status.Code(err) != codes.DeadlineExceeded || time.Since(start) < 350*time.Millisecond {
		t.Fatalf("a method with timeout 0 was cut by the default: %v after %v", err, time.Since(start))
	}
}

// TestAuthorization: the policy's roles decide; unlisted methods are denied,
// public ones need no token.
func TestAuthorization(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, func(c *interceptor.ChainConfig) {
		c.MethodRoles = interceptor.MethodRoles{"/grpc.health.v1.Health/Check": {"admin", "operator"}}
	})
	token := func(roles ...string) context.Context {
		tok, err := h.validator.Issue("user-7", roles, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
	}
	if _, err := h.client.Check(token("operator"), &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatalf("a token with a required role: %v", err)
	}
	_, err := h.client.Check(token("reader"), &healthpb.HealthCheckRequest{})
	if st := status.Convert(err); st.Code() != codes.PermissionDenied || !strings.Contains(st.Message(), "needs one of the roles admin, operator; the token has reader") {
		t.Fatalf("a token without the role: %v", st)
	}
	stream, err := h.client.Watch(token("admin"), &healthpb.HealthCheckRequest{})
	if err == nil {
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.PermissionDenied {
		t.Fatalf("an unlisted method: %v, want PermissionDenied", err)
	}
	if _, err := h.client.List(context.Background(), &healthpb.HealthListRequest{}); status.Code(err) == codes.PermissionDenied || status.Code(err) == codes.Unauthenticated {
		t.Fatalf("a public method was refused: %v", err)
	}
}
