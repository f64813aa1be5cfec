{%- set async = values.stage == 'async' -%}
// Package fx wires ${{ values.serviceName }} together with Uber Fx. Module composes the
// per-package modules (each package's di.go) with the infrastructure modules
// of this package.
package fx

import (
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/logger"
{% if async %}
	"${{ values.module }}/internal/adapter/inbound/consumer"
{%- endif %}
	grpchandler "${{ values.module }}/internal/adapter/inbound/grpc"
	"${{ values.module }}/internal/adapter/outbound/persistence"
{%- if async %}
	"${{ values.module }}/internal/adapter/outbound/publisher"
{%- endif %}
	"${{ values.module }}/internal/application/service"
	"${{ values.module }}/internal/application/usecase/${{ values.aggLower }}uc"
	"${{ values.module }}/internal/infrastructure/config"
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
{%- if async %}
	MessagingModule,
{%- endif %}

	// Adapter — Outbound
	persistence.Module(),
{%- if (values.dependencies or []) | length %}
	ExternalModule,
{%- endif %}
{%- if async %}
	publisher.Module(),
{%- endif %}

	// Application
	service.Module(),
	${{ values.aggLower }}uc.Module(),
{%- if (values.rpcs or []) | length %}
	RPCUseCases,
{%- endif %}

	// Adapter — Inbound
	grpchandler.Module(),
{%- if async %}
	consumer.Module(),
{%- endif %}
	GRPCModule,
{%- if values.jobs | length %}

	// Scheduled jobs (JobUseCases in jobs.go)
	JobsModule,
{%- endif %}
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
