// Package server builds the gRPC server: the shared interceptor chain
// (tracing, correlation id, logging, recovery, metrics, rate limit, JWT auth,
// authorization by role, default deadline, error mapping), the standard health
// service and server reflection.
package server

import (
	"fmt"

	"go.uber.org/zap"
	"golang.org/x/time/rate"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/acme/go-pkg/auth/jwt"
	"github.com/acme/go-pkg/middleware/grpc/interceptor"
	ledgerv1 "github.com/acme/go-pkg/proto/ledger/v1"

	"github.com/acme/ledger-service/internal/infrastructure/config"
)

// PublicMethods need no bearer token: health checks and reflection (used by
// the gateway and by grpcurl).
var PublicMethods = []string{
	"/grpc.health.v1.Health/",
	"/grpc.reflection.v1.ServerReflection/",
	"/grpc.reflection.v1alpha.ServerReflection/",
}

// Health service names the probes ask for (deploy/k8s/base/deployment.yaml).
// Readiness follows the dependencies (infrastructure/fx HealthModule), so a
// replica that cannot reach its database leaves the load balancer; liveness
// does not, so the same outage never makes the kubelet restart every pod.
// Both are NOT_SERVING once the drain begins.
const (
	// ReadinessService is the overall status "": SERVING while the
	// dependencies answer, what readiness probes and load balancers follow.
	ReadinessService = ""
	// LivenessService is SERVING from the start until the drain: the
	// process is alive and serving gRPC.
	LivenessService = "liveness"
)

// UnlimitedMethods are never refused by the rate limiter: the kubelet's and
// load balancers' health checks, so a busy server is not taken out of service
// (or restarted) for being busy.
var UnlimitedMethods = []string{"/grpc.health.v1.Health/"}

// Roles of the default authorization policy, read from the token's "roles"
// claim: readers read, writers also create and change, admins also delete and
// run jobs.
const (
	RoleReader = "reader"
	RoleWriter = "writer"
	RoleAdmin  = "admin"
)

var (
	reads  = []string{RoleReader, RoleWriter, RoleAdmin}
	writes = []string{RoleWriter, RoleAdmin}
	admin  = []string{RoleAdmin}
)

// MethodRoles is the authorization policy: the roles that may call each
// method of AccountService (one of them is enough). A method missing here
// is denied to every token; change the policy here.
var MethodRoles = defaultPolicy()

func defaultPolicy() interceptor.MethodRoles {
	p := interceptor.MethodRoles{}
	p[ledgerv1.AccountService_GetAccount_FullMethodName] = reads
	p[ledgerv1.AccountService_ListAccounts_FullMethodName] = reads
	p[ledgerv1.AccountService_CreateAccount_FullMethodName] = writes
	p[ledgerv1.AccountService_UpdateAccount_FullMethodName] = writes
	p[ledgerv1.AccountService_FreezeAccount_FullMethodName] = writes
	p[ledgerv1.AccountService_UnfreezeAccount_FullMethodName] = writes
	p[ledgerv1.AccountService_CloseAccount_FullMethodName] = writes
	p[ledgerv1.AccountService_DeleteAccount_FullMethodName] = admin
	return p
}

// GRPCServer is the gRPC server with its health service, so the lifecycle can
// report SERVING once it listens and NOT_SERVING while it drains (both
// ReadinessService and LivenessService).
type GRPCServer struct {
	Server *grpc.Server
	Health *health.Server
}

// NewGRPCServer returns a server with the full interceptor chain (unary calls
// bounded by RPC_DEFAULT_TIMEOUT), health and reflection registered. limiter
// may be nil (no rate limiting).
func NewGRPCServer(logger *zap.Logger, metrics *interceptor.Metrics, validator *jwt.Validator, limiter *rate.Limiter, cfg *config.Config) (*GRPCServer, error) {
	opts, err := interceptor.BuildServerOptions(interceptor.ChainConfig{
		Logger:           logger,
		Metrics:          metrics,
		Limiter:          limiter,
		Validator:        validator,
		PublicMethods:    PublicMethods,
		UnlimitedMethods: UnlimitedMethods,
		MethodRoles:      MethodRoles,
		DefaultTimeout:   cfg.Server.RPCDefaultTimeout,
	})
	if err != nil {
		return nil, fmt.Errorf("grpc server: %w", err)
	}
	s := grpc.NewServer(opts...)
	h := health.NewServer()
	healthpb.RegisterHealthServer(s, h)
	reflection.Register(s)
	return &GRPCServer{Server: s, Health: h}, nil
}
