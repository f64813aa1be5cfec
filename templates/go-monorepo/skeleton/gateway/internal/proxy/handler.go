package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/logger"
)

// MaxBodyBytes bounds request bodies.
const MaxBodyBytes = 4 << 20

// forwardedHeaders are copied from the HTTP request to gRPC metadata.
var forwardedHeaders = []string{"authorization", ctxutil.CorrelationIDHeader, ctxutil.RequestIDHeader}

// Options configure a Gateway.
type Options struct {
	Routes      []Route
	Logger      *zap.Logger
	CallTimeout time.Duration // per-call deadline; default 30s
	CacheTTL    time.Duration // descriptor cache lifetime; default 1m
	// DialOptions replace the default insecure, traced client options (tests, TLS).
	DialOptions []grpc.DialOption
	// Metrics registers the request metrics (gateway_requests_total,
	// gateway_request_duration_seconds) when set.
	Metrics prometheus.Registerer
}

// Gateway is an http.Handler translating JSON requests into gRPC calls.
type Gateway struct {
	routes   []Route
	conns    map[string]*grpc.ClientConn
	resolver *resolver
	log      *zap.Logger
	timeout  time.Duration
	requests *prometheus.CounterVec   // nil without Options.Metrics
	duration *prometheus.HistogramVec // nil without Options.Metrics
}

// unrouted is the route label of a request no route matches (a bad path or an
// unknown package): the labels stay bounded by the routes.
const unrouted = "unrouted"

func (g *Gateway) registerMetrics(reg prometheus.Registerer) error {
	g.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gateway_requests_total",
		Help: "HTTP/JSON requests served by the gateway, by route (the proto package routed, or unrouted) and gRPC code.",
	}, []string{"route", "grpc_code"})
	g.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gateway_request_duration_seconds",
		Help:    "Time from the HTTP request to its response, by route.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})
	for _, c := range []prometheus.Collector{g.requests, g.duration} {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("proxy: register metrics: %w", err)
		}
	}
	return nil
}

// New connects (lazily) to every routed backend.
func New(opts Options) (*Gateway, error) {
	if opts.Logger == nil {
		return nil, errors.New("proxy: Options.Logger is required")
	}
	if len(opts.Routes) == 0 {
		return nil, errors.New("proxy: at least one route is required")
	}
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 30 * time.Second
	}
	if opts.CacheTTL == 0 {
		opts.CacheTTL = time.Minute
	}
	dial := opts.DialOptions
	if dial == nil {
		dial = []grpc.DialOption{
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithStatsHandler(otelgrpc.NewClientHandler()),
		}
	}
	g := &Gateway{routes: opts.Routes, conns: map[string]*grpc.ClientConn{}, resolver: newResolver(opts.CacheTTL), log: opts.Logger, timeout: opts.CallTimeout}
	if opts.Metrics != nil {
		if err := g.registerMetrics(opts.Metrics); err != nil {
			return nil, err
		}
	}
	for _, r := range opts.Routes {
		if _, ok := g.conns[r.Target]; ok {
			continue
		}
		conn, err := grpc.NewClient(r.Target, dial...)
		if err != nil {
			_ = g.Close()
			return nil, fmt.Errorf("proxy: client for %s (%s): %w", r.Package, r.Target, err)
		}
		g.conns[r.Target] = conn
	}
	return g, nil
}

// Close closes every backend connection.
func (g *Gateway) Close() error {
	var errs []error
	for target, c := range g.conns {
		if err := c.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", target, err))
		}
	}
	return errors.Join(errs...)
}

// ServeHTTP handles POST /<package>.<Service>/<Method>.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	corrID := r.Header.Get(ctxutil.CorrelationIDHeader)
	if corrID == "" {
		corrID = uuid.NewString()
		r.Header.Set(ctxutil.CorrelationIDHeader, corrID)
	}
	w.Header().Set(ctxutil.CorrelationIDHeader, corrID)
	ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	ctx = ctxutil.WithCorrelationID(ctx, corrID)

	code := g.serve(ctx, w, r)
	if g.requests != nil {
		route := unrouted
		if service, _, ok := splitPath(r.URL.Path); ok {
			if rt, ok := match(g.routes, service); ok {
				route = rt.Package
			}
		}
		g.requests.WithLabelValues(route, code.String()).Inc()
		g.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
	g.log.Info("http request", append(logger.ContextFields(ctx),
		logger.Method(r.Method+" "+r.URL.Path),
		logger.GRPCCode(code.String()),
		logger.Duration(time.Since(start)),
	)...)
}

func (g *Gateway) serve(ctx context.Context, w http.ResponseWriter, r *http.Request) codes.Code {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return writeError(w, status.New(codes.Unimplemented, "use POST /<package>.<Service>/<Method> with a JSON body"), http.StatusMethodNotAllowed)
	}
	service, method, ok := splitPath(r.URL.Path)
	if !ok {
		return writeError(w, status.Newf(codes.NotFound, "path %q is not /<package>.<Service>/<Method>", r.URL.Path), 0)
	}
	route, ok := match(g.routes, service)
	if !ok {
		return writeError(w, status.Newf(codes.NotFound, "no backend routes service %s", service), 0)
	}
	conn := g.conns[route.Target]

	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	sd, err := g.resolver.service(ctx, conn, service)
	if err != nil {
		g.log.Warn("resolve service", append(logger.ContextFields(ctx), logger.Error(err))...)
		if status.Code(err) == codes.Unavailable {
			return writeError(w, status.Newf(codes.Unavailable, "backend for %s is unavailable", service), 0)
		}
		return writeError(w, status.Newf(codes.NotFound, "service %s is not served by %s", service, route.Package), 0)
	}
	md := sd.Methods().ByName(protoreflect.Name(method))
	if md == nil {
		return writeError(w, status.Newf(codes.NotFound, "service %s has no method %s", service, method), 0)
	}
	if md.IsStreamingClient() || md.IsStreamingServer() {
		return writeError(w, status.Newf(codes.Unimplemented, "%s/%s is a streaming method; call it over gRPC", service, method), 0)
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return writeError(w, status.Newf(codes.InvalidArgument, "read body: %v", err), 0)
	}
	req := dynamicpb.NewMessage(md.Input())
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := protojson.Unmarshal(body, req); err != nil {
			return writeError(w, status.Newf(codes.InvalidArgument, "body is not a valid %s: %v", md.Input().FullName(), err), 0)
		}
	}
	resp := dynamicpb.NewMessage(md.Output())

	for _, h := range forwardedHeaders {
		if v := r.Header.Get(h); v != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, h, v)
		}
	}
	if err := conn.Invoke(ctx, "/"+service+"/"+method, req, resp); err != nil {
		return writeError(w, status.Convert(err), 0)
	}
	out, err := protojson.Marshal(resp)
	if err != nil {
		return writeError(w, status.Newf(codes.Internal, "encode response: %v", err), 0)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
	return codes.OK
}

func splitPath(p string) (service, method string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/")
	if !ok {
		return "", "", false
	}
	service, method, ok = strings.Cut(rest, "/")
	if !ok || service == "" || method == "" || strings.Contains(method, "/") || !strings.Contains(service, ".") {
		return "", "", false
	}
	return service, method, true
}

// errorBody is the JSON error shape, the same as google.rpc.Status.
type errorBody struct {
	Code    int32  `json:"code"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, st *status.Status, httpStatus int) codes.Code {
	if httpStatus == 0 {
		httpStatus = HTTPStatus(st.Code())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus)
	_ = json.NewEncoder(w).Encode(errorBody{Code: int32(st.Code()), Status: codeName(st.Code()), Message: st.Message()})
	return st.Code()
}
