package interceptor

import (
	"context"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/logger"
)

// LoggingInterceptor writes one log entry per call with the log schema's
// method, grpc_code, duration_ms, context identifiers and, for a call that
// came with a deadline, deadline_ms (the time it had left on arrival). Server-side failures
// log at error level, client errors at warn, successes at info.
func LoggingInterceptor(l *zap.Logger) grpc.UnaryServerInterceptor {
	if l == nil {
		panic("interceptor: LoggingInterceptor needs a logger")
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		deadline, hasDeadline := ctx.Deadline()
		resp, err := handler(ctx, req)
		code := status.Code(err)
		fields := append(logger.ContextFields(ctx),
			logger.Method(info.FullMethod),
			logger.GRPCCode(code.String()),
			logger.Duration(time.Since(start)),
		)
		if hasDeadline {
			fields = append(fields, logger.DeadlineLeft(deadline.Sub(start)))
		}
		if err != nil {
			fields = append(fields, logger.Error(err))
		}
		l.Check(levelFor(code), "grpc request").Write(fields...)
		return resp, err
	}
}

func levelFor(code codes.Code) zapcore.Level {
	switch code {
	case codes.OK:
		return zapcore.InfoLevel
	case codes.Internal, codes.Unknown, codes.DataLoss, codes.Unavailable, codes.Unimplemented, codes.DeadlineExceeded:
		return zapcore.ErrorLevel
	default:
		return zapcore.WarnLevel
	}
}
