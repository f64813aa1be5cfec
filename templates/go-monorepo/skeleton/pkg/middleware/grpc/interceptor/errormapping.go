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
// statuses: DomainErrors keep their message with the mapped code, context
// errors become Canceled/DeadlineExceeded, existing statuses pass through and
// anything else becomes Internal with a generic message (details stay in logs).
func ErrorMappingInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err == nil {
			return resp, nil
		}
		return resp, ToStatus(err)
	}
}

// ToStatus maps err to a gRPC status error as ErrorMappingInterceptor does.
func ToStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	var de apperrors.DomainError
	if errors.As(err, &de) {
		return status.Error(GRPCCode(de.Code()), de.Error())
	}
	switch {
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, "deadline exceeded")
	}
	return status.Error(codes.Internal, "internal error")
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
