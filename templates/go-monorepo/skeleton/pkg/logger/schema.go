package logger

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/ctxutil"
)

// Log schema: the field names every service writes. Keep them stable; log
// queries and dashboards depend on them.
const (
	KeyTime          = "ts"
	KeyLevel         = "level"
	KeyMessage       = "msg"
	KeyCaller        = "caller"
	KeyService       = "service"
	KeyCorrelationID = "correlation_id"
	KeyRequestID     = "request_id"
	KeyTraceID       = "trace_id"
	KeySpanID        = "span_id"
	KeyMethod        = "method"
	KeyGRPCCode      = "grpc_code"
	KeyDurationMS    = "duration_ms"
	KeyDeadlineMS    = "deadline_ms"
	KeyErrorCode     = "error_code"
	KeyError         = "error"
)

// CorrelationID is the correlation_id field.
func CorrelationID(id string) zap.Field { return zap.String(KeyCorrelationID, id) }

// RequestID is the request_id field.
func RequestID(id string) zap.Field { return zap.String(KeyRequestID, id) }

// Method is the method field (the full gRPC method or HTTP route).
func Method(m string) zap.Field { return zap.String(KeyMethod, m) }

// GRPCCode is the grpc_code field.
func GRPCCode(code string) zap.Field { return zap.String(KeyGRPCCode, code) }

// Duration is the duration_ms field, in milliseconds with fractions.
func Duration(d time.Duration) zap.Field {
	return zap.Float64(KeyDurationMS, float64(d)/float64(time.Millisecond))
}

// DeadlineLeft is the deadline_ms field: the time a call had left before its
// deadline when it arrived, in milliseconds with fractions.
func DeadlineLeft(d time.Duration) zap.Field {
	return zap.Float64(KeyDeadlineMS, float64(d)/float64(time.Millisecond))
}

// ErrorCode is the error_code field (an apperrors.ErrorCode as string).
func ErrorCode(code string) zap.Field { return zap.String(KeyErrorCode, code) }

// Error is the error field.
func Error(err error) zap.Field { return zap.NamedError(KeyError, err) }

// ContextFields returns the correlation, request and trace identifiers found in
// ctx as log fields; missing identifiers are left out.
func ContextFields(ctx context.Context) []zap.Field {
	fields := make([]zap.Field, 0, 4)
	if id := ctxutil.CorrelationID(ctx); id != "" {
		fields = append(fields, CorrelationID(id))
	}
	if id := ctxutil.RequestID(ctx); id != "" {
		fields = append(fields, RequestID(id))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		fields = append(fields, zap.String(KeyTraceID, sc.TraceID().String()), zap.String(KeySpanID, sc.SpanID().String()))
	}
	return fields
}

// WithContext returns l enriched with ContextFields(ctx).
func WithContext(ctx context.Context, l *zap.Logger) *zap.Logger {
	return l.With(ContextFields(ctx)...)
}
