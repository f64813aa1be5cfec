// Package server builds the gRPC server: the shared interceptor chain
// (tracing, correlation id, logging, recovery, metrics, rate limit, JWT auth,
// default deadline, error mapping), the standard health service and server reflection.
package server

import (
	"fmt"

	"go.uber.org/zap"
	"golang.org/x/time/rate"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"${{ values.pkgModule }}/auth/jwt"
	"${{ values.pkgModule }}/middleware/grpc/interceptor"

	"${{ values.module }}/internal/infrastructure/config"
)

// PublicMethods need no bearer token: health checks and reflection (used by
// the gateway and by grpcurl).
var PublicMethods = []string{
	"/grpc.health.v1.Health/",
	"/grpc.reflection.v1.ServerReflection/",
	"/grpc.reflection.v1alpha.ServerReflection/",
}

// GRPCServer is the gRPC server with its health service, so the lifecycle can
// report SERVING once it listens and NOT_SERVING while it drains.
type GRPCServer struct {
	Server *grpc.Server
	Health *health.Server
}

// NewGRPCServer returns a server with the full interceptor chain (unary calls
// bounded by RPC_DEFAULT_TIMEOUT), health and reflection registered. limiter
// may be nil (no rate limiting).
func NewGRPCServer(logger *zap.Logger, metrics *interceptor.Metrics, validator *jwt.Validator, limiter *rate.Limiter, cfg *config.Config) (*GRPCServer, error) {
	opts, err := interceptor.BuildServerOptions(interceptor.ChainConfig{
		Logger:         logger,
		Metrics:        metrics,
		Limiter:        limiter,
		Validator:      validator,
		PublicMethods:  PublicMethods,
		DefaultTimeout: cfg.Server.RPCDefaultTimeout,
	})
	if err != nil {
		return nil, fmt.Errorf("grpc server: %w", err)
	}
	s := grpc.NewServer(opts...)
	h := health.NewServer()
	healthpb.RegisterHealthServer(s, h)
	reflection.Register(s)
	return &GRPCServer{Server: s, Health: h}, nil
}
