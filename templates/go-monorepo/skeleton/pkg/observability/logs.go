package observability

import (
	"context"
	"errors"
	"fmt"

	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	sdklog "go.opentelemetry.io/otel/sdk/log"
)

// NewLoggerProvider builds an OpenTelemetry log provider that batches records
// and exports them over OTLP/gRPC to cfg.OTLPEndpoint (same forms as for
// spans), or returns nil when cfg.OTLPEndpoint is empty: the service then logs
// to stderr only. The exporter connects lazily, so an endpoint where nothing
// listens does not delay or fail the start; records are dropped after the
// exporter's retries. Call Shutdown with a deadline on exit to flush.
func NewLoggerProvider(ctx context.Context, cfg Config) (*sdklog.LoggerProvider, error) {
	if cfg.ServiceName == "" {
		return nil, errors.New("observability: Config.ServiceName is required")
	}
	if cfg.OTLPEndpoint == "" {
		return nil, nil
	}
	res, err := newResource(cfg)
	if err != nil {
		return nil, err
	}
	hostPort, insecure := splitEndpoint(cfg.OTLPEndpoint)
	opts := []otlploggrpc.Option{otlploggrpc.WithEndpoint(hostPort)}
	if insecure {
		opts = append(opts, otlploggrpc.WithInsecure())
	}
	exp, err := otlploggrpc.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("observability: create OTLP log exporter for %s: %w", cfg.OTLPEndpoint, err)
	}
	return sdklog.NewLoggerProvider(sdklog.WithResource(res), sdklog.WithProcessor(sdklog.NewBatchProcessor(exp))), nil
}
