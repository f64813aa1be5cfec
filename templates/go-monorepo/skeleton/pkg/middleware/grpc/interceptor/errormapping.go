package interceptor

import (
	"context"
	"errors"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apperrors "${{ values.pkgModule }}/errors"
)

// ErrorMappingInterceptor converts errors returned by handlers into gRPC
// statuses: DomainErrors keep their message (SafeMessage when they have one)
// with the mapped code, except CodeInternal; context errors become
// Canceled/DeadlineExceeded; a status returned as such passes through; anything
// else becomes Internal "internal error". The returned error still wraps the
// handler's error: the client receives only the status (GRPCStatus), while the
// logging interceptor, which runs outside this one, logs the whole cause.
func ErrorMappingInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err == nil {
			return resp, nil
		}
		return resp, ToStatus(err)
	}
}

// MappedError is what ToStatus returns for an error that is not a status
// already: the status the client receives and the cause that stays on the
// server. gRPC sends GRPCStatus(); Error() and Unwrap() give the cause to
// loggers and to errors.Is/As.
type MappedError struct {
	status *status.Status
	cause  error
}

// GRPCStatus is the status sent to the client.
func (e *MappedError) GRPCStatus() *status.Status { return e.status }

// Error is the cause's message, for the logs only.
func (e *MappedError) Error() string { return e.cause.Error() }

// Unwrap returns the handler's error.
func (e *MappedError) Unwrap() error { return e.cause }

// ToStatus maps err to a gRPC status error as ErrorMappingInterceptor does.
// Only a status returned as such (status.Error) passes unchanged: a status
// wrapped by fmt.Errorf, for example a downstream service's error, would send
// the wrapping text to the client and is treated like any other error.
func ToStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(interface{ GRPCStatus() *status.Status }); ok {
		return err
	}
	mapped := func(code codes.Code, msg string) error {
		return &MappedError{status: status.New(code, msg), cause: err}
	}
	var de apperrors.DomainError
	if errors.As(err, &de) && de.Code() != apperrors.CodeInternal {
		msg := de.Error()
		var sm apperrors.SafeMessager
		if errors.As(err, &sm) {
			msg = sm.SafeMessage()
		}
		return mapped(GRPCCode(de.Code()), msg)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return mapped(codes.Canceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return mapped(codes.DeadlineExceeded, "deadline exceeded")
	}
	return mapped(codes.Internal, "internal error")
}

// GRPCCode maps an ErrorCode to its gRPC code; unknown codes map to Internal.
func GRPCCode(code apperrors.ErrorCode) codes.Code {
	switch code {
	case apperrors.CodeNotFound:
		return codes.NotFound
	case apperrors.CodeInvalidArgument:
		return codes.InvalidArgument
	case apperrors.CodeAlreadyExists:
		return codes.AlreadyExists
	case apperrors.CodeFailedPrecondition:
		return codes.FailedPrecondition
	case apperrors.CodeAborted:
		return codes.Aborted
	case apperrors.CodeUnauthenticated:
		return codes.Unauthenticated
	case apperrors.CodePermissionDenied:
		return codes.PermissionDenied
	case apperrors.CodeResourceExhausted:
		return codes.ResourceExhausted
	case apperrors.CodeUnavailable:
		return codes.Unavailable
	default:
		return codes.Internal
	}
}
