package proxy_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/reflection"

	"${{ values.pkgModule.split('/').slice(0, -1).join('/') }}/gateway/internal/proxy"
)

// backend is a real gRPC server (health service + reflection) on loopback
// that records the metadata of the last call.
type backend struct {
	addr string
	mu   sync.Mutex
	md   metadata.MD
}

func startBackend(t *testing.T) *backend {
	t.Helper()
	b := &backend{}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		b.mu.Lock()
		b.md = md
		b.mu.Unlock()
		return h(ctx, req)
	}))
	hs := health.NewServer()
	hs.SetServingStatus("order.v1.OrderService", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	b.addr = lis.Addr().String()
	return b
}

func newGateway(t *testing.T, routes string) *httptest.Server {
	t.Helper()
	rs, err := proxy.ParseRoutes(routes)
	if err != nil {
		t.Fatal(err)
	}
	gw, err := proxy.New(proxy.Options{Routes: rs, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gw.Close() })
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, url, body string, header map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response %q is not JSON: %v", raw, err)
	}
	return resp.StatusCode, out, resp.Header
}

func TestGatewayAgainstRealGRPCServer(t *testing.T) {
	t.Parallel()
	b := startBackend(t)
	gw := newGateway(t, "grpc.health.v1="+b.addr)
	checkURL := gw.URL + "/grpc.health.v1.Health/Check"

	t.Run("unary call with metadata", func(t *testing.T) {
		code, body, hdr := post(t, checkURL, `{"service":"order.v1.OrderService"}`, map[string]string{
			"Authorization": "Bearer tok", "X-Correlation-Id": "corr-1",
		})
		if code != http.StatusOK || body["status"] != "SERVING" {
			t.Fatalf("got %d %v", code, body)
		}
		if hdr.Get("X-Correlation-Id") != "corr-1" {
			t.Fatalf("correlation header = %q", hdr.Get("X-Correlation-Id"))
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		if got := b.md.Get("authorization"); len(got) != 1 || got[0] != "Bearer tok" {
			t.Fatalf("authorization metadata = %v", got)
		}
		if got := b.md.Get("x-correlation-id"); len(got) != 1 || got[0] != "corr-1" {
			t.Fatalf("correlation metadata = %v", got)
		}
	})
	t.Run("empty body is the empty message", func(t *testing.T) {
		code, body, hdr := post(t, checkURL, ``, nil)
		if code != http.StatusOK || body["status"] != "SERVING" || hdr.Get("X-Correlation-Id") == "" {
			t.Fatalf("got %d %v %v", code, body, hdr)
		}
	})
	cases := []struct {
		name, path, body string
		wantHTTP         int
		wantStatus       string
	}{
		{"grpc error mapped", "/grpc.health.v1.Health/Check", `{"service":"nope"}`, http.StatusNotFound, "NOT_FOUND"},
		{"unknown field rejected", "/grpc.health.v1.Health/Check", `{"colour":"red"}`, http.StatusBadRequest, "INVALID_ARGUMENT"},
		{"malformed json", "/grpc.health.v1.Health/Check", `{`, http.StatusBadRequest, "INVALID_ARGUMENT"},
		{"unknown method", "/grpc.health.v1.Health/Nope", `{}`, http.StatusNotFound, "NOT_FOUND"},
		{"unrouted service", "/billing.v1.BillingService/Get", `{}`, http.StatusNotFound, "NOT_FOUND"},
		{"streaming method", "/grpc.health.v1.Health/Watch", `{}`, http.StatusNotImplemented, "UNIMPLEMENTED"},
		{"bad path", "/just-one-segment", `{}`, http.StatusNotFound, "NOT_FOUND"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := post(t, gw.URL+tc.path, tc.body, nil)
			if code != tc.wantHTTP || body["status"] != tc.wantStatus {
				t.Fatalf("got %d %v, want %d %s", code, body, tc.wantHTTP, tc.wantStatus)
			}
		})
	}
	t.Run("GET refused", func(t *testing.T) {
		resp, err := http.Get(checkURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("GET status = %d", resp.StatusCode)
		}
	})
}

func TestUnavailableBackend(t *testing.T) {
	t.Parallel()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close() // nothing listens there any more
	gw := newGateway(t, "grpc.health.v1="+addr)
	code, body, _ := post(t, gw.URL+"/grpc.health.v1.Health/Check", `{}`, nil)
	if code != http.StatusServiceUnavailable || body["status"] != "UNAVAILABLE" {
		t.Fatalf("got %d %v", code, body)
	}
}

func TestParseRoutes(t *testing.T) {
	t.Parallel()
	rs, err := proxy.ParseRoutes(" order.v1=localhost:1, order.v1.admin=localhost:2 ")
	if err != nil || len(rs) != 2 || rs[0].Package != "order.v1.admin" {
		t.Fatalf("ParseRoutes = %v, %v", rs, err)
	}
	for _, bad := range []string{"", "order.v1", "Order.V1=x:1", "a.v1=x:1,a.v1=y:2", "=x:1"} {
		if _, err := proxy.ParseRoutes(bad); err == nil {
			t.Errorf("ParseRoutes(%q) accepted", bad)
		}
	}
}

// The request metrics Prometheus scrapes: by route (the proto package, or
// unrouted for a path no route matches) and gRPC code, as /metrics shows them.
func TestMetrics(t *testing.T) {
	t.Parallel()
	b := startBackend(t)
	rs, err := proxy.ParseRoutes("grpc.health.v1=" + b.addr)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	gw, err := proxy.New(proxy.Options{Routes: rs, Logger: zap.NewNop(), Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gw.Close() })
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	for _, c := range []struct{ path, body string }{
		{"/grpc.health.v1.Health/Check", `{"service":"order.v1.OrderService"}`},
		{"/grpc.health.v1.Health/Check", `{"service":"nope"}`},
		{"/billing.v1.BillingService/Get", `{}`},
	} {
		post(t, srv.URL+c.path, c.body, nil)
	}
	metrics := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	t.Cleanup(metrics.Close)
	resp, err := http.Get(metrics.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`gateway_requests_total{grpc_code="OK",route="grpc.health.v1"} 1`,
		`gateway_requests_total{grpc_code="NotFound",route="grpc.health.v1"} 1`,
		`gateway_requests_total{grpc_code="NotFound",route="unrouted"} 1`,
		`gateway_request_duration_seconds_count{route="grpc.health.v1"} 2`,
		`gateway_request_duration_seconds_count{route="unrouted"} 1`,
	} {
		if !strings.Contains(string(raw), line+"\n") {
			t.Errorf("/metrics has no line %s:\n%s", line, raw)
		}
	}
	// A second gateway on the same registry is refused, not silently unmeasured.
	if _, err := proxy.New(proxy.Options{Routes: rs, Logger: zap.NewNop(), Metrics: reg}); err == nil {
		t.Fatal("a second gateway registered the same metrics")
	}
}
