package interceptor

import (
	"context"

	"golang.org/x/time/rate"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// RateLimitInterceptor rejects calls with codes.ResourceExhausted once the
// token bucket is empty, except the unlimited methods (full names or service
// prefixes ending in "/"), which take no token. A nil limiter disables
// limiting.
func RateLimitInterceptor(limiter *rate.Limiter, unlimited ...string) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if limiter != nil && !listsMethod(info.FullMethod, unlimited) && !limiter.Allow() {
			return nil, status.Errorf(codes.ResourceExhausted, "rate limit exceeded for %s, retry later", info.FullMethod)
		}
		return handler(ctx, req)
	}
}
