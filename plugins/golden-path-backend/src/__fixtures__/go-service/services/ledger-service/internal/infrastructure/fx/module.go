// Package fx wires ledger-service together with Uber Fx. Module composes the
// per-package modules (each package's di.go) with the infrastructure modules
// of this package.
package fx

import (
	"context"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"

	"github.com/acme/go-pkg/logger"
	"github.com/acme/go-pkg/observability"

	grpchandler "github.com/acme/ledger-service/internal/adapter/inbound/grpc"
	"github.com/acme/ledger-service/internal/adapter/outbound/persistence"
	"github.com/acme/ledger-service/internal/application/service"
	"github.com/acme/ledger-service/internal/application/usecase/accountuc"
	"github.com/acme/ledger-service/internal/infrastructure/config"
)

// Module is the whole application.
var Module = fx.Options(
	fx.WithLogger(func(l *zap.Logger) fxevent.Logger {
		return &fxevent.ZapLogger{Logger: l.Named("fx").WithOptions(zap.IncreaseLevel(zap.WarnLevel))}
	}),

	// Infrastructure
	ConfigModule,
	ObservabilityModule,
	DatabaseModule,

	// Adapter — Outbound
	persistence.Module(),

	// Application
	service.Module(),
	accountuc.Module(),

	// Adapter — Inbound
	grpchandler.Module(),
	GRPCModule,
	HealthModule,
)

// ConfigModule provides the configuration and the logger.
var ConfigModule = fx.Options(
	fx.Provide(config.Load),
	fx.Provide(newLogger),
)

// LoadConfig reads every configuration the application is built from, for
// cmd/main.go to check before Fx starts: Fx's logger is built from the
// configuration, so a loader failing inside Fx makes Fx print its whole event
// log. The error is one line naming each invalid variable; the option puts
// the values in place of the loaders' (tests keep them) and sets Fx's stop
// timeout to SHUTDOWN_TIMEOUT.
func LoadConfig() (fx.Option, error) {
	cfg, err := config.Load()
	if err := config.Join(err); err != nil {
		return nil, err
	}
	return fx.Options(
		fx.Replace(cfg),
		fx.StopTimeout(cfg.Server.ShutdownTimeout),
	), nil
}

// newLogger logs to stderr and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, to
// the collector as OpenTelemetry log records (on to Loki). On stop it flushes
// the records within telemetryFlushTimeout: a collector that is not running
// costs at most that, with a warning on stderr, never a failed stop. The
// OpenTelemetry SDK's own reports (export failures) go to stderr only, as
// log entries, from before the first exporter is created.
func newLogger(lc fx.Lifecycle, cfg *config.Config) (*zap.Logger, error) {
	lcfg := logger.Config{Service: config.ServiceName, Level: cfg.Log.Level, Format: cfg.Log.Format}
	stderr, err := logger.New(lcfg)
	if err != nil {
		return nil, err
	}
	observability.RouteSDKLogs(stderr)
	lp, err := observability.NewLoggerProvider(context.Background(), observability.Config{
		ServiceName:  config.ServiceName,
		OTLPEndpoint: cfg.Tracing.OTLPEndpoint,
	})
	if err != nil {
		return nil, err
	}
	if lp != nil {
		lcfg.LoggerProvider = lp
	}
	l, err := logger.New(lcfg)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(func(ctx context.Context) {
		_ = l.Sync()
		defer func() { _ = stderr.Sync() }()
		if lp == nil {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, telemetryFlushTimeout)
		defer cancel()
		if err := lp.Shutdown(ctx); err != nil {
			l.Warn("log records not all exported: is the collector at OTEL_EXPORTER_OTLP_ENDPOINT running?",
				zap.String("endpoint", cfg.Tracing.OTLPEndpoint), zap.Error(err))
		}
	}))
	return l, nil
}
