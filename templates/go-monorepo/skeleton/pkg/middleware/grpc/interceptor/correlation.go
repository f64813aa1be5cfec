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
// and echoes the correlation id: in the response header of a call that
// succeeds, in the trailer of one that fails. A failed call then has no
// header (a trailers-only answer), so a client may still retry it: gRPC
// commits a call, and never retries it, once response headers arrived.
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
		resp, err := handler(ctx, req)
		// SetHeader and SetTrailer fail only outside a server call (unit
		// tests); the id is still in the context then.
		if err == nil {
			_ = grpc.SetHeader(ctx, metadata.Pairs(ctxutil.CorrelationIDHeader, corrID))
		} else {
			_ = grpc.SetTrailer(ctx, metadata.Pairs(ctxutil.CorrelationIDHeader, corrID))
		}
		return resp, err
	}
}

func first(md metadata.MD, key string) string {
	if vals := md.Get(key); len(vals) > 0 {
		return vals[0]
	}
	return ""
}
