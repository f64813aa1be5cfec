package logger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/logger"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     logger.Config
		wantErr bool
	}{
		{"defaults", logger.Config{Service: "order"}, false},
		{"console debug", logger.Config{Service: "order", Level: "DEBUG", Format: "console"}, false},
		{"missing service", logger.Config{}, true},
		{"bad level", logger.Config{Service: "order", Level: "loud"}, true},
		{"bad format", logger.Config{Service: "order", Format: "xml"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := logger.New(tt.cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("New() error = %v, wantErr %v", err, tt.wantErr)
			}
			if l != nil {
				_ = l.Sync()
			}
		})
	}
}

func TestNewHonoursLevel(t *testing.T) {
	t.Parallel()
	l, err := logger.New(logger.Config{Service: "order", Level: "warn"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Core().Enabled(zapcore.InfoLevel) {
		t.Error("info is enabled at level warn")
	}
	if !l.Core().Enabled(zapcore.WarnLevel) {
		t.Error("warn is disabled at level warn")
	}
}

func TestWithContextAddsSchemaFields(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.DebugLevel)
	base := logger.NewWithCore(core, "order")

	traceID, _ := trace.TraceIDFromHex("0102030405060708090a0b0c0d0e0f10")
	spanID, _ := trace.SpanIDFromHex("0102030405060708")
	ctx := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled,
	}))
	ctx = ctxutil.WithCorrelationID(ctx, "corr-9")
	ctx = ctxutil.WithRequestID(ctx, "req-9")

	logger.WithContext(ctx, base).Info("handled",
		logger.Method("/order.v1.OrderService/GetOrder"),
		logger.Duration(1500*time.Microsecond),
		logger.Error(errors.New("boom")),
	)
	entries := logs.All()
	if len(entries) != 1 {
		t.Fatalf("got %d entries, want 1", len(entries))
	}
	fields := entries[0].ContextMap()
	want := map[string]any{
		logger.KeyService:       "order",
		logger.KeyCorrelationID: "corr-9",
		logger.KeyRequestID:     "req-9",
		logger.KeyTraceID:       traceID.String(),
		logger.KeySpanID:        spanID.String(),
		logger.KeyMethod:        "/order.v1.OrderService/GetOrder",
		logger.KeyDurationMS:    1.5,
		logger.KeyError:         "boom",
	}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("field %s = %v, want %v", k, fields[k], v)
		}
	}
}

func TestContextFieldsEmpty(t *testing.T) {
	t.Parallel()
	if got := logger.ContextFields(context.Background()); len(got) != 0 {
		t.Errorf("ContextFields(empty) = %v", got)
	}
}
