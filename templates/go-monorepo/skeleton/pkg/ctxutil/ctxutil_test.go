package ctxutil_test

import (
	"context"
	"testing"

	"${{ values.pkgModule }}/ctxutil"
)

func TestCorrelationID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if got := ctxutil.CorrelationID(ctx); got != "" {
		t.Fatalf("empty context: got %q, want empty", got)
	}
	ctx = ctxutil.WithCorrelationID(ctx, "corr-1")
	if got := ctxutil.CorrelationID(ctx); got != "corr-1" {
		t.Fatalf("got %q, want corr-1", got)
	}
	if got := ctxutil.RequestID(ctx); got != "" {
		t.Fatalf("request id leaked from correlation id: %q", got)
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	ctx := ctxutil.WithRequestID(context.Background(), "req-1")
	ctx = ctxutil.WithCorrelationID(ctx, "corr-2")
	if got := ctxutil.RequestID(ctx); got != "req-1" {
		t.Fatalf("got %q, want req-1", got)
	}
	if got := ctxutil.CorrelationID(ctx); got != "corr-2" {
		t.Fatalf("got %q, want corr-2", got)
	}
}
