// Package ctxutil carries request-scoped identifiers (correlation id, request id)
// through a context.Context so that logs, traces and outgoing calls share them.
package ctxutil

import "context"

type ctxKey int

const (
	correlationIDKey ctxKey = iota
	requestIDKey
)

// Metadata keys used to propagate the identifiers over gRPC and HTTP.
const (
	CorrelationIDHeader = "x-correlation-id"
	RequestIDHeader     = "x-request-id"
)

// WithCorrelationID returns a copy of ctx carrying the correlation id.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationIDKey, id)
}

// CorrelationID returns the correlation id stored in ctx, or "" when there is none.
func CorrelationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationIDKey).(string)
	return id
}

// WithRequestID returns a copy of ctx carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id stored in ctx, or "" when there is none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
