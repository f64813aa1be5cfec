// Package interceptor holds the gRPC server interceptors every service installs
// and ServerOptions, which assembles them in the architecture's order:
//
//  1. tracing (otelgrpc stats handler: the supported replacement for the
//     deprecated otelgrpc.UnaryServerInterceptor)
//  2. correlation id / request id
//  3. request logging
//  4. panic recovery
//  5. Prometheus metrics
//  6. rate limiting
//  7. JWT authentication (HS256 secret, or RS256/EdDSA keys from a JWKS)
//  8. authorization: the roles of the token against the method's required
//     roles (ChainConfig.MethodRoles), denying unlisted methods
//  9. default deadline (unary calls only: a stream such as health Watch may
//     live as long as its client wants)
//  10. domain error -> gRPC status mapping
//
// Interceptors run outermost first, so logging and metrics observe the status
// produced by recovery and error mapping, and the logging interceptor logs the
// real cause of an error the client only sees as "internal error"
// (MappedError keeps it).
package interceptor
