package interceptor

import (
	"context"
	"time"

	"google.golang.org/grpc"
)

// DeadlineInterceptor gives every unary call a server-side deadline of def
// (perMethod[info.FullMethod] when present) unless the client's own deadline
// is sooner. A duration of 0 leaves the call without a server deadline. The
// handler sees the deadline in its context, so database calls and outgoing
// RPCs stop with it and the call ends as DeadlineExceeded.
func DeadlineInterceptor(def time.Duration, perMethod map[string]time.Duration) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		d := def
		if v, ok := perMethod[info.FullMethod]; ok {
			d = v
		}
		if d <= 0 {
			return handler(ctx, req)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
			return handler(ctx, req)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return handler(ctx, req)
	}
}
