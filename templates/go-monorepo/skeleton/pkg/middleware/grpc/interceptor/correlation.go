package interceptor

import (
	"context"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"${{ values.pkgModule }}/ctxutil"
)

// ServerCorrelationInterceptor takes x-correlation-id and x-request-id from the
// incoming metadata (generating UUIDs when absent), stores them in the context
// and echoes the correlation id in the response header.
func ServerCorrelationInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		corrID := first(md, ctxutil.CorrelationIDHeader)
		if corrID == "" {
			corrID = uuid.NewString()
		}
		reqID := first(md, ctxutil.RequestIDHeader)
		if reqID == "" {
			reqID = uuid.NewString()
		}
		ctx = ctxutil.WithRequestID(ctxutil.WithCorrelationID(ctx, corrID), reqID)
		// SetHeader fails only outside a server call (unit tests); the id is
		// still in the context then.
		_ = grpc.SetHeader(ctx, metadata.Pairs(ctxutil.CorrelationIDHeader, corrID))
		return handler(ctx, req)
	}
}

func first(md metadata.MD, key string) string {
	if vals := md.Get(key); len(vals) > 0 {
		return vals[0]
	}
	return ""
}
