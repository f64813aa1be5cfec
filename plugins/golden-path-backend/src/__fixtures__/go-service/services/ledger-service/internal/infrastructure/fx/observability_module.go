package fx

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/acme/go-pkg/middleware/grpc/interceptor"
	"github.com/acme/go-pkg/observability"

	"github.com/acme/ledger-service/internal/infrastructure/config"
)

// ObservabilityModule sets up tracing (OpenTelemetry, flushed on stop), the
// Prometheus registry with the gRPC server metrics, and the /metrics listener
// on METRICS_PORT (0 turns it off). The logger (ConfigModule) exports its
// records to the same OTLP endpoint as the spans.
var ObservabilityModule = fx.Options(
	fx.Provide(newRegistry),
	fx.Provide(func(reg *prometheus.Registry) (*interceptor.Metrics, error) { return interceptor.NewMetrics(reg) }),
	fx.Invoke(setupTracing),
	fx.Invoke(serveMetrics),
)

func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// telemetryFlushTimeout bounds each flush of spans and log records on stop:
// with no collector listening the exporters retry until their deadline.
const telemetryFlushTimeout = time.Second

func setupTracing(lc fx.Lifecycle, cfg *config.Config, logger *zap.Logger) error {
	shutdown, err := observability.Setup(context.Background(), observability.Config{
		ServiceName:  config.ServiceName,
		OTLPEndpoint: cfg.Tracing.OTLPEndpoint,
	})
	if err != nil {
		return err
	}
	lc.Append(fx.StopHook(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, telemetryFlushTimeout)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			logger.Warn("spans not all exported: is the collector at OTEL_EXPORTER_OTLP_ENDPOINT running?",
				zap.String("endpoint", cfg.Tracing.OTLPEndpoint), zap.Error(err))
		}
	}))
	return nil
}

func serveMetrics(lc fx.Lifecycle, cfg *config.Config, reg *prometheus.Registry, logger *zap.Logger) {
	if cfg.Server.MetricsPort == 0 {
		return
	}
	srv := &http.Server{
		Addr:              ":" + strconv.Itoa(cfg.Server.MetricsPort),
		Handler:           promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			lis, err := net.Listen("tcp", srv.Addr)
			if err != nil {
				return err
			}
			go func() {
				if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
					logger.Error("metrics server stopped", zap.Error(err))
				}
			}()
			return nil
		},
		OnStop: srv.Shutdown,
	})
}
