// Package fx wires ledger-service together with Uber Fx. Module composes the
// per-package modules (each package's di.go) with the infrastructure modules
// of this package.
package fx

import (
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"

	"github.com/acme/go-pkg/logger"

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
)

// ConfigModule provides the configuration and the logger.
var ConfigModule = fx.Options(
	fx.Provide(config.Load),
	fx.Provide(newLogger),
)

func newLogger(lc fx.Lifecycle, cfg *config.Config) (*zap.Logger, error) {
	l, err := logger.New(logger.Config{Service: config.ServiceName, Level: cfg.Log.Level, Format: cfg.Log.Format})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(func() { _ = l.Sync() }))
	return l, nil
}
