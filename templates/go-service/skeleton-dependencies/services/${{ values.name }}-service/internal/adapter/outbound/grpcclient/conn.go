// Package grpcclient holds the clients of the other services ${{ values.serviceName }}
// calls, each behind an output port (internal/application/port/output). Every
// connection carries the default deadline, the correlation id, the caller's
// bearer token and the trace context, retries its idempotent methods through
// the gRPC service config and runs through a circuit breaker
// (pkg/middleware/grpc/interceptor, client.go).
package grpcclient

import (
	"fmt"
	"time"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/circuitbreaker"
	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/middleware/grpc/interceptor"
)

// Options configures the connection to one service.
type Options struct {
	// Target is the address (host:port or any grpc.NewClient target).
	Target string
	// Timeout is the deadline of a call whose context has none or a later one.
	Timeout time.Duration
	// BreakerFailures failed calls in a row open the circuit breaker.
	BreakerFailures int
	// BreakerOpenFor is how long it stays open before one trial call.
	BreakerOpenFor time.Duration
	// TracerProvider for the client spans; nil means the global one.
	TracerProvider trace.TracerProvider
	// Propagator writes the trace context; nil means the global one.
	Propagator propagation.TextMapPropagator
}

// dial opens a lazy connection (grpc.NewClient connects on the first call)
// to service with the client interceptors and a circuit breaker named after
// the service, whose state changes are logged.
func dial(service string, idempotent []string, o Options, log *zap.Logger) (*grpc.ClientConn, *circuitbreaker.Breaker[struct{}], error) {
	if o.BreakerFailures < 1 {
		return nil, nil, fmt.Errorf("client of %s: BreakerFailures %d must be at least 1", service, o.BreakerFailures)
	}
	breaker := circuitbreaker.New[struct{}](service, circuitbreaker.Config{
		ConsecutiveFailures: uint32(o.BreakerFailures), // #nosec G115 -- checked above, config keeps it small
		// Only failures in a row open it: the ratio rule is out of reach.
		MinRequests:  ^uint32(0),
		Timeout:      o.BreakerOpenFor,
		IsSuccessful: interceptor.CallSucceeded,
		OnStateChange: func(name string, from, to circuitbreaker.State) {
			log.Warn("circuit breaker state changed", zap.String("breaker", name), zap.String("from", from.String()), zap.String("to", to.String()))
		},
	})
	opts, err := interceptor.ClientDialOptions(interceptor.ClientConfig{
		Service:           service,
		IdempotentMethods: idempotent,
		DefaultTimeout:    o.Timeout,
		Breaker:           breaker,
		TracerProvider:    o.TracerProvider,
		Propagator:        o.Propagator,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("client of %s: %w", service, err)
	}
	// Inside the cluster the connection is plain gRPC, as the services serve
	// it; put a service mesh (mTLS) in front for encryption between pods.
	opts = append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))
	conn, err := grpc.NewClient(o.Target, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("client of %s at %q: %w", service, o.Target, err)
	}
	return conn, breaker, nil
}

// fromStatus turns the other service's answer into a DomainError of this
// service, so the error-mapping interceptor answers this service's caller
// with a meaningful code and the whole cause is logged: what does not exist
// stays NOT_FOUND, a refused request INVALID_ARGUMENT or FAILED_PRECONDITION,
// an unreachable or slow service (or an open breaker) UNAVAILABLE.
func fromStatus(call string, err error) error {
	msg := call + ": " + status.Convert(err).Message()
	switch status.Code(err) {
	case codes.NotFound:
		return apperrors.WithHiddenCause(apperrors.CodeNotFound, msg, err)
	case codes.InvalidArgument:
		return apperrors.WithHiddenCause(apperrors.CodeInvalidArgument, msg, err)
	case codes.FailedPrecondition:
		return apperrors.WithHiddenCause(apperrors.CodeFailedPrecondition, msg, err)
	case codes.Aborted:
		return apperrors.WithHiddenCause(apperrors.CodeAborted, msg, err)
	case codes.Unauthenticated:
		return apperrors.WithHiddenCause(apperrors.CodeUnauthenticated, msg, err)
	case codes.PermissionDenied:
		return apperrors.WithHiddenCause(apperrors.CodePermissionDenied, msg, err)
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted:
		return apperrors.WithHiddenCause(apperrors.CodeUnavailable, msg, err)
	default:
		return apperrors.WithHiddenCause(apperrors.CodeInternal, msg, err)
	}
}
