package interceptor

import (
	"errors"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"golang.org/x/time/rate"
	"google.golang.org/grpc"

	"${{ values.pkgModule }}/auth/jwt"
)

// ChainConfig holds the dependencies of the interceptor chain. Logger, Metrics
// and Validator are required; a nil Limiter disables rate limiting.
type ChainConfig struct {
	Logger        *zap.Logger
	Metrics       *Metrics
	Limiter       *rate.Limiter
	Validator     *jwt.Validator
	PublicMethods []string
	// UnlimitedMethods are never refused by the rate limiter (full names or
	// service prefixes ending in "/"): health checks, so that a busy server's
	// probes do not take it out of service.
	UnlimitedMethods []string
	// MethodRoles is the authorization policy: the roles that may call each
	// method; methods it does not list are denied. nil disables authorization.
	MethodRoles MethodRoles
	// DefaultTimeout is the server's deadline for a unary call whose client
	// set none or a later one; 0 sets none. MethodTimeouts overrides it per
	// full method ("/order.v1.OrderService/RunJob"), 0 there meaning none.
	DefaultTimeout time.Duration
	MethodTimeouts map[string]time.Duration
	// TracerProvider is used by the tracing stats handler; nil means the
	// global provider (set by pkg/observability).
	TracerProvider trace.TracerProvider
}

// ErrIncompleteChain is returned by BuildServerOptions for a ChainConfig
// missing a required dependency.
var ErrIncompleteChain = errors.New("interceptor: ChainConfig needs Logger, Metrics and Validator")

// BuildServerOptions is ServerOptions with an error instead of a panic.
func BuildServerOptions(cfg ChainConfig) ([]grpc.ServerOption, error) {
	if cfg.Logger == nil || cfg.Metrics == nil || cfg.Validator == nil {
		return nil, ErrIncompleteChain
	}
	var otelOpts []otelgrpc.Option
	if cfg.TracerProvider != nil {
		otelOpts = append(otelOpts, otelgrpc.WithTracerProvider(cfg.TracerProvider))
	}
	return []grpc.ServerOption{
		grpc.StatsHandler(otelgrpc.NewServerHandler(otelOpts...)), // 1. tracing
		grpc.ChainUnaryInterceptor(
			ServerCorrelationInterceptor(),                                  // 2. correlation id
			LoggingInterceptor(cfg.Logger),                                  // 3. request logging
			RecoveryInterceptor(cfg.Logger),                                 // 4. panic recovery
			MetricsInterceptor(cfg.Metrics),                                 // 5. metrics
			RateLimitInterceptor(cfg.Limiter, cfg.UnlimitedMethods...),      // 6. rate limiting
			AuthInterceptor(cfg.Validator, cfg.PublicMethods...),            // 7. authentication
			AuthorizationInterceptor(cfg.MethodRoles, cfg.PublicMethods...), // 8. authorization
			DeadlineInterceptor(cfg.DefaultTimeout, cfg.MethodTimeouts),     // 9. default deadline
			ErrorMappingInterceptor(),                                       // 10. error mapping
		),
		grpc.ChainStreamInterceptor(
			StreamCorrelationInterceptor(),
			StreamLoggingInterceptor(cfg.Logger),
			StreamRecoveryInterceptor(cfg.Logger),
			StreamMetricsInterceptor(cfg.Metrics),
			StreamRateLimitInterceptor(cfg.Limiter, cfg.UnlimitedMethods...),
			StreamAuthInterceptor(cfg.Validator, cfg.PublicMethods...),
			StreamAuthorizationInterceptor(cfg.MethodRoles, cfg.PublicMethods...),
			StreamErrorMappingInterceptor(),
		),
	}, nil
}

// ServerOptions returns the grpc.NewServer options for the full chain. It
// panics on an incomplete ChainConfig (a wiring bug caught at start-up).
func ServerOptions(cfg ChainConfig) []grpc.ServerOption {
	opts, err := BuildServerOptions(cfg)
	if err != nil {
		panic(err)
	}
	return opts
}
