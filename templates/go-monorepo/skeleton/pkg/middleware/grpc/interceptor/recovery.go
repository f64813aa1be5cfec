package interceptor

import (
	"context"
	"runtime/debug"

	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/logger"
)

// RecoveryInterceptor turns a panic in a handler into codes.Internal and logs
// the panic value with its stack; the client never sees either.
func RecoveryInterceptor(l *zap.Logger) grpc.UnaryServerInterceptor {
	if l == nil {
		panic("interceptor: RecoveryInterceptor needs a logger")
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if p := recover(); p != nil {
				l.Error("panic in grpc handler", append(logger.ContextFields(ctx),
					logger.Method(info.FullMethod),
					zap.Any("panic", p),
					zap.ByteString("stack", debug.Stack()),
				)...)
				resp, err = nil, status.Error(codes.Internal, "internal error")
			}
		}()
		return handler(ctx, req)
	}
}
