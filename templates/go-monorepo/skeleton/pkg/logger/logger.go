// Package logger builds the zap logger every service uses and defines the log
// schema: the field names that dashboards and alerts rely on.
package logger

import (
	"fmt"
	"strings"

	"go.opentelemetry.io/contrib/bridges/otelzap"
	"go.opentelemetry.io/otel/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Config selects the service name stamped on every entry, the minimum level
// (debug, info, warn, error) and the format (json or console).
//
// LoggerProvider, when set (observability.NewLoggerProvider, non-nil when
// OTEL_EXPORTER_OTLP_ENDPOINT is set), receives every entry at or above the
// level as an OpenTelemetry log record as well, through the otelzap bridge:
// the collector forwards them to Loki. stderr keeps the same entries.
type Config struct {
	Service        string
	Level          string
	Format         string
	LoggerProvider log.LoggerProvider
}

// New returns a logger writing to stderr with the log schema's base fields,
// and to cfg.LoggerProvider when it is set.
func New(cfg Config) (*zap.Logger, error) {
	if cfg.Service == "" {
		return nil, fmt.Errorf("logger: Config.Service is required")
	}
	level := zapcore.InfoLevel
	if cfg.Level != "" {
		if err := level.UnmarshalText([]byte(strings.ToLower(cfg.Level))); err != nil {
			return nil, fmt.Errorf("logger: level %q is not one of debug, info, warn, error: %w", cfg.Level, err)
		}
	}
	var zc zap.Config
	switch strings.ToLower(cfg.Format) {
	case "", "json":
		zc = zap.NewProductionConfig()
	case "console":
		zc = zap.NewDevelopmentConfig()
	default:
		return nil, fmt.Errorf("logger: format %q is not json or console", cfg.Format)
	}
	zc.Level = zap.NewAtomicLevelAt(level)
	zc.EncoderConfig.TimeKey = KeyTime
	zc.EncoderConfig.MessageKey = KeyMessage
	zc.EncoderConfig.LevelKey = KeyLevel
	zc.EncoderConfig.CallerKey = KeyCaller
	zc.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	zc.Sampling = nil
	var opts []zap.Option
	if cfg.LoggerProvider != nil {
		otlp, err := zapcore.NewIncreaseLevelCore(
			otelzap.NewCore(cfg.Service, otelzap.WithLoggerProvider(cfg.LoggerProvider)), zc.Level)
		if err != nil {
			return nil, fmt.Errorf("logger: OTLP core: %w", err)
		}
		opts = append(opts, zap.WrapCore(func(c zapcore.Core) zapcore.Core { return zapcore.NewTee(c, otlp) }))
	}
	// After WrapCore, so that both cores get the base fields.
	opts = append(opts, zap.Fields(zap.String(KeyService, cfg.Service)))
	l, err := zc.Build(opts...)
	if err != nil {
		return nil, fmt.Errorf("logger: build: %w", err)
	}
	return l, nil
}

// NewWithCore returns a logger over an explicit core (tests, custom sinks) with
// the same base fields as New.
func NewWithCore(core zapcore.Core, service string) *zap.Logger {
	return zap.New(core).With(zap.String(KeyService, service))
}
