package interceptor

import (
	"errors"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
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
}

// ErrIncompleteChain is returned by BuildServerOptions for a ChainConfig
// missing a required dependency.
var ErrIncompleteChain = errors.New("interceptor: ChainConfig needs Logger, Metrics and Validator")

// BuildServerOptions is ServerOptions with an error instead of a panic.
func BuildServerOptions(cfg ChainConfig) ([]grpc.ServerOption, error) {
	if cfg.Logger == nil || cfg.Metrics == nil || cfg.Validator == nil {
		return nil, ErrIncompleteChain
	}
	return []grpc.ServerOption{
		grpc.StatsHandler(otelgrpc.NewServerHandler()), // 1. tracing
		grpc.ChainUnaryInterceptor(
			ServerCorrelationInterceptor(),                       // 2. correlation id
			LoggingInterceptor(cfg.Logger),                       // 3. request logging
			RecoveryInterceptor(cfg.Logger),                      // 4. panic recovery
			MetricsInterceptor(cfg.Metrics),                      // 5. metrics
			RateLimitInterceptor(cfg.Limiter),                    // 6. rate limiting
			AuthInterceptor(cfg.Validator, cfg.PublicMethods...), // 7. authentication
			ErrorMappingInterceptor(),                            // 8. error mapping
		),
		grpc.ChainStreamInterceptor(
			StreamCorrelationInterceptor(),
			StreamLoggingInterceptor(cfg.Logger),
			StreamRecoveryInterceptor(cfg.Logger),
			StreamMetricsInterceptor(cfg.Metrics),
			StreamRateLimitInterceptor(cfg.Limiter),
			StreamAuthInterceptor(cfg.Validator, cfg.PublicMethods...),
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
