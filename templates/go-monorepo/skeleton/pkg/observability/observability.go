// Package observability sets up OpenTelemetry for a service: resource
// attributes, W3C trace-context propagation and, when an OTLP endpoint is
// configured, batching OTLP/gRPC exporters of spans (NewTracerProvider) and of
// log records (NewLoggerProvider, fed by the zap logger through
// logger.Config.LoggerProvider). The local otel-collector listens on
// localhost:4317 and forwards spans to Tempo and logs to Loki (see
// deploy/docker-compose.yml and docs/observability.md).
package observability

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Config names the service in every span. OTLPEndpoint is host:port (plain
// gRPC, the local collector) or https://host:port (TLS); empty means spans are
// created (trace ids reach the logs) but not exported.
type Config struct {
	ServiceName    string
	ServiceVersion string
	OTLPEndpoint   string
}

// NewTracerProvider builds a tracer provider for cfg without touching globals.
func NewTracerProvider(ctx context.Context, cfg Config) (*sdktrace.TracerProvider, error) {
	if cfg.ServiceName == "" {
		return nil, errors.New("observability: Config.ServiceName is required")
	}
	res, err := newResource(cfg)
	if err != nil {
		return nil, err
	}
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if cfg.OTLPEndpoint != "" {
		exp, err := newExporter(ctx, cfg.OTLPEndpoint)
		if err != nil {
			return nil, err
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	return sdktrace.NewTracerProvider(opts...), nil
}

func newResource(cfg Config) (*resource.Resource, error) {
	res, err := resource.Merge(resource.Default(), resource.NewWithAttributes(semconv.SchemaURL,
		semconv.ServiceName(cfg.ServiceName),
		semconv.ServiceVersion(cfg.ServiceVersion),
	))
	if err != nil {
		return nil, fmt.Errorf("observability: build resource: %w", err)
	}
	return res, nil
}

// splitEndpoint returns the host:port of an OTLP endpoint and whether it is
// plain gRPC: host:port and http://host:port are, https://host:port is TLS.
func splitEndpoint(endpoint string) (hostPort string, insecure bool) {
	switch {
	case strings.HasPrefix(endpoint, "https://"):
		return strings.TrimPrefix(endpoint, "https://"), false
	case strings.HasPrefix(endpoint, "http://"):
		return strings.TrimPrefix(endpoint, "http://"), true
	default:
		return endpoint, true
	}
}

func newExporter(ctx context.Context, endpoint string) (*otlptrace.Exporter, error) {
	hostPort, insecure := splitEndpoint(endpoint)
	opts := []otlptracegrpc.Option{otlptracegrpc.WithEndpoint(hostPort)}
	if insecure {
		opts = append(opts, otlptracegrpc.WithInsecure())
	}
	exp, err := otlptracegrpc.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("observability: create OTLP exporter for %s: %w", endpoint, err)
	}
	return exp, nil
}

// Setup installs the tracer provider and the W3C TraceContext + Baggage
// propagator globally. Call shutdown on exit to flush pending spans.
func Setup(ctx context.Context, cfg Config) (shutdown func(context.Context) error, err error) {
	tp, err := NewTracerProvider(ctx, cfg)
	if err != nil {
		return nil, err
	}
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return func(ctx context.Context) error {
		if err := tp.Shutdown(ctx); err != nil {
			return fmt.Errorf("observability: shutdown tracer provider: %w", err)
		}
		return nil
	}, nil
}
