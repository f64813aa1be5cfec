package interceptor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/circuitbreaker"
	"${{ values.pkgModule }}/ctxutil"
)

// ClientConfig configures the connection a service opens to another one.
type ClientConfig struct {
	// Service is the full proto service name ("order.v1.OrderService"), used
	// by the retry policy of the service config.
	Service string
	// IdempotentMethods are the methods of Service that may be sent again
	// after an UNAVAILABLE answer ("GetOrder", "ListOrders"); the others are
	// never retried.
	IdempotentMethods []string
	// MaxAttempts is the number of tries of an idempotent method, the first
	// included (3 when 0; gRPC caps it at 5).
	MaxAttempts int
	// DefaultTimeout is the deadline of a call whose context has none or a
	// later one; 0 sets none.
	DefaultTimeout time.Duration
	// Breaker, when set, guards every call: while it is open calls fail with
	// UNAVAILABLE without reaching the other service. Create it with
	// IsSuccessful: CallSucceeded.
	Breaker *circuitbreaker.Breaker[struct{}]
	// TracerProvider for the client spans; nil means the global provider
	// (set by pkg/observability, with W3C trace-context propagation).
	TracerProvider trace.TracerProvider
	// Propagator writes the trace context into the metadata; nil means the
	// global one (W3C trace context and baggage, set by pkg/observability).
	Propagator propagation.TextMapPropagator
}

// ErrNoService is returned by ClientDialOptions for a ClientConfig without Service.
var ErrNoService = errors.New("interceptor: ClientConfig needs the proto service name (Service)")

// ClientDialOptions returns the grpc.NewClient options of a call to another
// service: tracing (the stats handler injects the W3C traceparent header),
// then the interceptors outermost first: the circuit breaker, the default
// deadline, the correlation id and bearer token. Retries of the idempotent
// methods run below the interceptors (the service config), so the breaker
// and the deadline see one call however many tries it takes.
func ClientDialOptions(cfg ClientConfig) ([]grpc.DialOption, error) {
	if cfg.Service == "" {
		return nil, ErrNoService
	}
	serviceConfig, err := RetryServiceConfig(cfg.Service, cfg.IdempotentMethods, cfg.MaxAttempts)
	if err != nil {
		return nil, err
	}
	var otelOpts []otelgrpc.Option
	if cfg.TracerProvider != nil {
		otelOpts = append(otelOpts, otelgrpc.WithTracerProvider(cfg.TracerProvider))
	}
	if cfg.Propagator != nil {
		otelOpts = append(otelOpts, otelgrpc.WithPropagators(cfg.Propagator))
	}
	unary := []grpc.UnaryClientInterceptor{}
	if cfg.Breaker != nil {
		unary = append(unary, ClientBreakerInterceptor(cfg.Breaker))
	}
	unary = append(unary, ClientDeadlineInterceptor(cfg.DefaultTimeout), ClientCorrelationInterceptor())
	return []grpc.DialOption{
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelOpts...)),
		grpc.WithDefaultServiceConfig(serviceConfig),
		grpc.WithChainUnaryInterceptor(unary...),
	}, nil
}

// RetryServiceConfig returns the gRPC service config (JSON) that retries the
// given methods of service up to maxAttempts times (3 when 0) on UNAVAILABLE,
// with exponential backoff from 100ms to 1s.
func RetryServiceConfig(service string, methods []string, maxAttempts int) (string, error) {
	if maxAttempts == 0 {
		maxAttempts = 3
	}
	if maxAttempts < 1 || maxAttempts > 5 {
		return "", fmt.Errorf("interceptor: MaxAttempts %d for %s must be from 1 to 5", maxAttempts, service)
	}
	type name struct {
		Service string `json:"service"`
		Method  string `json:"method"`
	}
	type retryPolicy struct {
		MaxAttempts          int      `json:"maxAttempts"`
		InitialBackoff       string   `json:"initialBackoff"`
		MaxBackoff           string   `json:"maxBackoff"`
		BackoffMultiplier    float64  `json:"backoffMultiplier"`
		RetryableStatusCodes []string `json:"retryableStatusCodes"`
	}
	type methodConfig struct {
		Name        []name      `json:"name"`
		RetryPolicy retryPolicy `json:"retryPolicy"`
	}
	cfg := struct {
		MethodConfig []methodConfig `json:"methodConfig"`
	}{MethodConfig: []methodConfig{}}
	if len(methods) > 0 && maxAttempts > 1 {
		names := make([]name, 0, len(methods))
		for _, m := range methods {
			names = append(names, name{Service: service, Method: m})
		}
		cfg.MethodConfig = append(cfg.MethodConfig, methodConfig{
			Name: names,
			RetryPolicy: retryPolicy{
				MaxAttempts: maxAttempts, InitialBackoff: "0.1s", MaxBackoff: "1s",
				BackoffMultiplier: 2, RetryableStatusCodes: []string{"UNAVAILABLE"},
			},
		})
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("interceptor: service config of %s: %w", service, err)
	}
	return string(b), nil
}

// ClientDeadlineInterceptor gives a call whose context has no deadline, or a
// later one, the deadline d; 0 leaves the context alone.
func ClientDeadlineInterceptor(d time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if d <= 0 {
			return invoker(ctx, method, req, reply, cc, opts...)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
			return invoker(ctx, method, req, reply, cc, opts...)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// ClientCorrelationInterceptor sends the context's correlation id
// (x-correlation-id) and the bearer token of the call being served
// (authorization) to the other service, unless the outgoing metadata already
// has them, so its logs share the caller's correlation id and it authorizes
// the original caller. The token goes on unchanged, so the other service must
// accept its audience: the services of one system share one JWT_AUDIENCE.
func ClientCorrelationInterceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		out, _ := metadata.FromOutgoingContext(ctx)
		if id := ctxutil.CorrelationID(ctx); id != "" && len(out.Get(ctxutil.CorrelationIDHeader)) == 0 {
			ctx = metadata.AppendToOutgoingContext(ctx, ctxutil.CorrelationIDHeader, id)
		}
		if in, ok := metadata.FromIncomingContext(ctx); ok && len(out.Get("authorization")) == 0 {
			if auth := in.Get("authorization"); len(auth) > 0 {
				ctx = metadata.AppendToOutgoingContext(ctx, "authorization", auth[0])
			}
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// ClientBreakerInterceptor runs every call through b: while it is open, calls
// fail at once with UNAVAILABLE "circuit breaker <name> is open".
func ClientBreakerInterceptor(b *circuitbreaker.Breaker[struct{}]) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		_, err := b.Execute(ctx, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, invoker(ctx, method, req, reply, cc, opts...)
		})
		if _, isStatus := status.FromError(err); !isStatus {
			// The breaker's own refusal (a DomainError, not a status).
			return status.Errorf(codes.Unavailable, "circuit breaker %s is open: %s not sent: %v", b.Name(), method, err)
		}
		return err
	}
}

// CallSucceeded is the breaker's IsSuccessful for gRPC calls: only answers
// that say the other service is unwell (UNAVAILABLE, DEADLINE_EXCEEDED,
// INTERNAL, UNKNOWN, RESOURCE_EXHAUSTED, ...) count as failures; answers
// about the request itself (NOT_FOUND, INVALID_ARGUMENT, ...) and the
// caller's own cancellation do not.
func CallSucceeded(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return true
	}
	switch status.Code(err) {
	case codes.Canceled, codes.NotFound, codes.InvalidArgument, codes.AlreadyExists, codes.FailedPrecondition,
		codes.Aborted, codes.OutOfRange, codes.Unauthenticated, codes.PermissionDenied:
		return true
	}
	return false
}
