package interceptor

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Metrics are the server-side RED metrics, labelled by full method and code.
type Metrics struct {
	handled  *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers grpc_server_handled_total and
// grpc_server_handling_seconds on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_handled_total",
			Help: "Total number of RPCs completed on the server, by method and status code.",
		}, []string{"grpc_method", "grpc_code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "grpc_server_handling_seconds",
			Help:    "Latency of RPCs handled by the server, by method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"grpc_method"}),
	}
	for _, c := range []prometheus.Collector{m.handled, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("interceptor: register metrics: %w", err)
		}
	}
	return m, nil
}

// MetricsInterceptor records every call in m. A panicking handler is counted
// as Internal before the panic continues to RecoveryInterceptor, which sits
// outside it in the chain.
func MetricsInterceptor(m *Metrics) grpc.UnaryServerInterceptor {
	if m == nil {
		panic("interceptor: MetricsInterceptor needs metrics (NewMetrics)")
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
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
		resp, err := handler(ctx, req)
		record(status.Code(err))
		return resp, err
	}
}
