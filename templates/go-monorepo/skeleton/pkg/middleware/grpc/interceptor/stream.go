package interceptor

import (
	"context"
	"runtime/debug"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
	"golang.org/x/time/rate"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/auth/jwt"
	"${{ values.pkgModule }}/ctxutil"
	"${{ values.pkgModule }}/logger"
)

// Streaming counterparts of the unary interceptors, chained in the same order
// by ServerOptions so streaming RPCs get the same correlation, logging,
// recovery, metrics, rate limiting, authentication and error mapping.

// ctxStream replaces the context of a server stream.
type ctxStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *ctxStream) Context() context.Context { return s.ctx }

// StreamCorrelationInterceptor is ServerCorrelationInterceptor for streams.
func StreamCorrelationInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		md, _ := metadata.FromIncomingContext(ss.Context())
		corrID := first(md, ctxutil.CorrelationIDHeader)
		if corrID == "" {
			corrID = uuid.NewString()
		}
		reqID := first(md, ctxutil.RequestIDHeader)
		if reqID == "" {
			reqID = uuid.NewString()
		}
		_ = ss.SetHeader(metadata.Pairs(ctxutil.CorrelationIDHeader, corrID))
		ctx := ctxutil.WithRequestID(ctxutil.WithCorrelationID(ss.Context(), corrID), reqID)
		return handler(srv, &ctxStream{ServerStream: ss, ctx: ctx})
	}
}

// StreamLoggingInterceptor is LoggingInterceptor for streams (one entry when the stream ends).
func StreamLoggingInterceptor(l *zap.Logger) grpc.StreamServerInterceptor {
	if l == nil {
		panic("interceptor: StreamLoggingInterceptor needs a logger")
	}
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		start := time.Now()
		err := handler(srv, ss)
		code := status.Code(err)
		fields := append(logger.ContextFields(ss.Context()),
			logger.Method(info.FullMethod), logger.GRPCCode(code.String()), logger.Duration(time.Since(start)))
		if err != nil {
			fields = append(fields, logger.Error(err))
		}
		l.Check(levelFor(code), "grpc stream").Write(fields...)
		return err
	}
}

// StreamRecoveryInterceptor is RecoveryInterceptor for streams.
func StreamRecoveryInterceptor(l *zap.Logger) grpc.StreamServerInterceptor {
	if l == nil {
		panic("interceptor: StreamRecoveryInterceptor needs a logger")
	}
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		defer func() {
			if p := recover(); p != nil {
				l.Error("panic in grpc stream handler", append(logger.ContextFields(ss.Context()),
					logger.Method(info.FullMethod), zap.Any("panic", p), zap.ByteString("stack", debug.Stack()))...)
				err = status.Error(codes.Internal, "internal error")
			}
		}()
		return handler(srv, ss)
	}
}

// StreamMetricsInterceptor is MetricsInterceptor for streams.
func StreamMetricsInterceptor(m *Metrics) grpc.StreamServerInterceptor {
	if m == nil {
		panic("interceptor: StreamMetricsInterceptor needs metrics (NewMetrics)")
	}
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		start := time.Now()
		record := func(code codes.Code) {
			m.duration.WithLabelValues(info.FullMethod).Observe(time.Since(start).Seconds())
			m.handled.WithLabelValues(info.FullMethod, code.String()).Inc()
		}
		defer func() {
			if p := recover(); p != nil {
				record(codes.Internal)
				panic(p)
			}
		}()
		err := handler(srv, ss)
		record(status.Code(err))
		return err
	}
}

// StreamRateLimitInterceptor is RateLimitInterceptor for streams (one token per stream).
func StreamRateLimitInterceptor(limiter *rate.Limiter, unlimited ...string) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if limiter != nil && !listsMethod(info.FullMethod, unlimited) && !limiter.Allow() {
			return status.Errorf(codes.ResourceExhausted, "rate limit exceeded for %s, retry later", info.FullMethod)
		}
		return handler(srv, ss)
	}
}

// StreamAuthInterceptor is AuthInterceptor for streams.
func StreamAuthInterceptor(v *jwt.Validator, publicMethods ...string) grpc.StreamServerInterceptor {
	if v == nil {
		panic("interceptor: StreamAuthInterceptor needs a validator")
	}
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if listsMethod(info.FullMethod, publicMethods) {
			return handler(srv, ss)
		}
		md, _ := metadata.FromIncomingContext(ss.Context())
		token, ok := strings.CutPrefix(first(md, "authorization"), "Bearer ")
		if !ok || token == "" {
			return status.Error(codes.Unauthenticated, "missing bearer token: send metadata authorization: Bearer <jwt>")
		}
		claims, err := v.Validate(token)
		if err != nil {
			return status.Error(codes.Unauthenticated, "invalid bearer token")
		}
		return handler(srv, &ctxStream{ServerStream: ss, ctx: jwt.ContextWithClaims(ss.Context(), claims)})
	}
}

// StreamErrorMappingInterceptor is ErrorMappingInterceptor for streams.
func StreamErrorMappingInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return ToStatus(handler(srv, ss))
	}
}
