package fx

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/fx"
	"go.uber.org/zap"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"${{ values.pkgModule }}/mq/rabbitmq"

	"${{ values.module }}/internal/infrastructure/config"
	"${{ values.module }}/internal/infrastructure/server"
)

// runDependencyHealth recomputes the gRPC health status every
// HEALTH_CHECK_INTERVAL: NOT_SERVING while the RabbitMQ connection is down
// or the database does not answer a ping, SERVING again once both are back,
// so load balancers and readiness probes route around a replica that cannot
// do its work. The status is set on every round (a no-op when unchanged),
// which also corrects the SERVING the gRPC server reports when it starts
// listening; after the server's stop began (Health.Shutdown) it is ignored.
func runDependencyHealth(lc fx.Lifecycle, srv *server.GRPCServer, conn *rabbitmq.Connection, pool *pgxpool.Pool, mcfg *config.MessagingConfig, logger *zap.Logger) {
	check := func(ctx context.Context) (healthpb.HealthCheckResponse_ServingStatus, string) {
		if !conn.Connected() {
			return healthpb.HealthCheckResponse_NOT_SERVING, "RabbitMQ unreachable"
		}
		ctx, cancel := context.WithTimeout(ctx, max(mcfg.HealthInterval, time.Second))
		defer cancel()
		if err := pool.Ping(ctx); err != nil {
			return healthpb.HealthCheckResponse_NOT_SERVING, "database unreachable: " + err.Error()
		}
		return healthpb.HealthCheckResponse_SERVING, ""
	}
	background(lc, func(ctx context.Context) {
		last := healthpb.HealthCheckResponse_SERVING
		ticker := time.NewTicker(mcfg.HealthInterval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			status, reason := check(ctx)
			if ctx.Err() != nil {
				return
			}
			srv.Health.SetServingStatus("", status)
			if status != last {
				if status == healthpb.HealthCheckResponse_SERVING {
					logger.Info("dependencies reachable again: health SERVING")
				} else {
					logger.Warn("health NOT_SERVING", zap.String("reason", reason))
				}
				last = status
			}
		}
	}, nil)
}
