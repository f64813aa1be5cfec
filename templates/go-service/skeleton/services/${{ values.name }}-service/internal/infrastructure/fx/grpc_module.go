{%- set jobs = values.jobs | length -%}
package fx

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"golang.org/x/time/rate"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"${{ values.pkgModule }}/auth/jwt"
{%- if jobs %}
	"${{ values.pkgModule }}/job"
{%- endif %}

	grpchandler "${{ values.module }}/internal/adapter/inbound/grpc"
	"${{ values.module }}/internal/infrastructure/config"
	"${{ values.module }}/internal/infrastructure/server"
)

// GRPCModule provides the gRPC server, registers the handler and runs the
// server for the lifetime of the application.
var GRPCModule = fx.Options(
	fx.Provide(newValidator),
	fx.Provide(newLimiter),
	fx.Provide(server.NewGRPCServer),
	fx.Invoke(registerGRPCServices),
	fx.Invoke(runGRPCServer),
)

// newValidator trusts JWT_JWKS_URL or JWT_JWKS_FILE, fetched again when the
// identity provider rotates its keys (reloads and unusable key sets are
// logged; a first fetch that fails fails the start), or JWT_SECRET.
func newValidator(cfg *config.Config, logger *zap.Logger) (*jwt.Validator, error) {
	return jwt.NewValidator(jwt.Config{
		JWKSFile: cfg.Auth.JWKSFile, JWKSURL: cfg.Auth.JWKSURL, Secret: cfg.Auth.Secret, Issuer: cfg.Auth.Issuer, Audience: cfg.Auth.Audience,
		Logger: logger,
	})
}

// newLimiter returns nil (no limit) when RATE_LIMIT_RPS is 0.
func newLimiter(cfg *config.Config) *rate.Limiter {
	if cfg.RateLimit.RPS <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(cfg.RateLimit.RPS), cfg.RateLimit.Burst)
}

func registerGRPCServices(srv *server.GRPCServer, h *grpchandler.${{ values.aggregate }}Handler) {
	h.Register(srv.Server)
}

// runGRPCServer listens on start (so a busy port fails the start) and serves
// in the background, reporting readiness and liveness SERVING. On stop it
// reports both NOT_SERVING, keeps serving for SHUTDOWN_DRAIN_DELAY so load
// balancers and clients move away, then lets the in-flight calls finish
// (GracefulStop) and forces the stop when its phase of the stop budget ends
// (shutdown.go), keeping the rest for the hooks that run after it.
{%- if jobs %}
//
// It takes the job scheduler to order the lifecycle: Fx stops hooks in
// reverse order of registration, and the scheduler registers its hook when it
// is built, before this one. So on SIGTERM the server reports NOT_SERVING and
// drains first, while the jobs run on, and the jobs get the rest of the budget
// after it; a running job cannot delay the drain. Its stop is where the
// shutdown begins, so it first stops the cron ticks and makes the runner
// refuse new runs: a tick firing or a RunJob call answered during the drain
// would start a run only for the jobs' phase to cancel it, so RunJob answers
// UNAVAILABLE and the client retries on another replica.
func runGRPCServer(lc fx.Lifecycle, srv *server.GRPCServer, cfg *config.Config, logger *zap.Logger, scheduler *job.Scheduler, runner *job.Runner) {
{%- else %}
func runGRPCServer(lc fx.Lifecycle, srv *server.GRPCServer, cfg *config.Config, logger *zap.Logger) {
{%- endif %}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			lis, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Server.GRPCPort))
			if err != nil {
				return fmt.Errorf("listen on gRPC port %d: %w", cfg.Server.GRPCPort, err)
			}
			go func() {
				if err := srv.Server.Serve(lis); err != nil {
					logger.Error("gRPC server stopped", zap.Error(err))
				}
			}()
			srv.Health.SetServingStatus(server.LivenessService, healthpb.HealthCheckResponse_SERVING)
			srv.Health.SetServingStatus(server.ReadinessService, healthpb.HealthCheckResponse_SERVING)
			logger.Info("gRPC server listening", zap.String("addr", lis.Addr().String()))
			return nil
		},
		OnStop: func(ctx context.Context) error {
{%- if jobs %}
			scheduler.StopTicks()
			runner.RefuseNewRuns()
{%- endif %}
			ctx, cancel := withPhaseEnd(ctx, cfg.Server.ShutdownTimeout, grpcPhaseKeeps(cfg.Server.ShutdownTimeout))
			defer cancel()
			srv.Health.Shutdown()
			logger.Info("gRPC server draining", zap.Duration("drain_delay", cfg.Server.DrainDelay))
			drain := time.NewTimer(cfg.Server.DrainDelay)
			defer drain.Stop()
			select {
			case <-drain.C:
			case <-ctx.Done():
			}
			done := make(chan struct{})
			go func() {
				srv.Server.GracefulStop()
				close(done)
			}()
			select {
			case <-done:
				logger.Info("gRPC server stopped")
			case <-ctx.Done():
				srv.Server.Stop()
				logger.Warn("gRPC server stopped with calls still running: its part of SHUTDOWN_TIMEOUT is spent")
			}
			return nil
		},
	})
}
