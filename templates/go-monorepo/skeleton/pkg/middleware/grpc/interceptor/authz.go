package interceptor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/auth/jwt"
)

// MethodRoles maps a full method ("/order.v1.OrderService/DeleteOrder") to
// the roles that may call it: a token needs at least one of them.
type MethodRoles map[string][]string

// AuthorizationInterceptor checks the roles of the token claims that
// AuthInterceptor stored against policy, denying by default: a method the
// policy does not list is PermissionDenied, except publicMethods (no token).
// A nil policy disables authorization.
func AuthorizationInterceptor(policy MethodRoles, publicMethods ...string) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if policy == nil || listsMethod(info.FullMethod, publicMethods) {
			return handler(ctx, req)
		}
		if err := authorize(ctx, policy, info.FullMethod); err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

// StreamAuthorizationInterceptor is AuthorizationInterceptor for streams.
func StreamAuthorizationInterceptor(policy MethodRoles, publicMethods ...string) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if policy == nil || listsMethod(info.FullMethod, publicMethods) {
			return handler(srv, ss)
		}
		if err := authorize(ss.Context(), policy, info.FullMethod); err != nil {
			return err
		}
		return handler(srv, ss)
	}
}

func authorize(ctx context.Context, policy MethodRoles, method string) error {
	roles, listed := policy[method]
	if !listed {
		return status.Errorf(codes.PermissionDenied, "%s is in no role's permissions", method)
	}
	claims, ok := jwt.ClaimsFromContext(ctx)
	if ok && slices.ContainsFunc(roles, claims.HasRole) {
		return nil
	}
	var have []string
	if ok {
		have = claims.Roles
	}
	return status.Error(codes.PermissionDenied, fmt.Sprintf("%s needs one of the roles %s; the token has %s",
		method, strings.Join(roles, ", "), describeRoles(have)))
}

func describeRoles(roles []string) string {
	if len(roles) == 0 {
		return "none"
	}
	return strings.Join(roles, ", ")
}
