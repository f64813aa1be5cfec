package interceptor

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/auth/jwt"
)

// AuthInterceptor requires "authorization: Bearer <jwt>" metadata on every
// method except publicMethods, validates the token and stores its claims in
// the context (jwt.ClaimsFromContext). A public entry is either a full method
// ("/order.v1.OrderService/GetOrder") or a service prefix ending in "/"
// ("/grpc.health.v1.Health/").
func AuthInterceptor(v *jwt.Validator, publicMethods ...string) grpc.UnaryServerInterceptor {
	if v == nil {
		panic("interceptor: AuthInterceptor needs a validator")
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if listsMethod(info.FullMethod, publicMethods) {
			return handler(ctx, req)
		}
		md, _ := metadata.FromIncomingContext(ctx)
		raw := first(md, "authorization")
		token, ok := strings.CutPrefix(raw, "Bearer ")
		if !ok || token == "" {
			return nil, status.Error(codes.Unauthenticated, "missing bearer token: send metadata authorization: Bearer <jwt>")
		}
		claims, err := v.Validate(token)
		if err != nil {
			return nil, status.Error(codes.Unauthenticated, "invalid bearer token")
		}
		return handler(jwt.ContextWithClaims(ctx, claims), req)
	}
}

// listsMethod reports whether methods lists method: by its full name, or by
// a service prefix ending in "/" ("/grpc.health.v1.Health/").
func listsMethod(method string, methods []string) bool {
	for _, p := range methods {
		if method == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(method, p)) {
			return true
		}
	}
	return false
}
