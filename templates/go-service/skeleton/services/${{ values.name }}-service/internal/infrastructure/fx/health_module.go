package fx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/fx"
	"go.uber.org/zap"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"${{ values.module }}/internal/infrastructure/config"
	"${{ values.module }}/internal/infrastructure/server"
)

// HealthModule keeps readiness (the gRPC health status "") in step with the
// service's dependencies: every HEALTH_CHECK_INTERVAL it runs each readiness
// check (the database ping here{% if values.stage == 'async' %}, the RabbitMQ connection in dependency_health.go{% endif %}),
// each bounded by HEALTH_CHECK_TIMEOUT. Liveness (server.LivenessService) is
// never touched here: a dependency outage takes the replica out of the load
// balancer, but must not make the kubelet restart it.
var HealthModule = fx.Options(
	fx.Provide(fx.Annotate(newDatabaseCheck, fx.ResultTags(`group:"readiness"`))),
	fx.Invoke(runReadiness),
)

// ReadinessCheck is one dependency readiness follows; Check returns why the
// dependency cannot be used.
type ReadinessCheck struct {
	Name  string
	Check func(context.Context) error
}

// newDatabaseCheck pings PostgreSQL through the pool, which acquires a
// connection (dialing one if the pool has none) and runs an empty statement.
func newDatabaseCheck(pool *pgxpool.Pool) ReadinessCheck {
	return ReadinessCheck{Name: "database", Check: pool.Ping}
}

type readinessParams struct {
	fx.In

	Lifecycle fx.Lifecycle
	Server    *server.GRPCServer
	Config    *config.Config
	Logger    *zap.Logger
	Checks    []ReadinessCheck `group:"readiness"`
}

// runReadiness sets readiness on every round (a no-op when unchanged, and
// ignored once the drain began, health.Server.Shutdown), which also corrects
// the SERVING the server reports when it starts listening. It logs only the
// transitions, with their cause.
func runReadiness(p readinessParams) {
	checks := slices.SortedFunc(slices.Values(p.Checks), func(a, b ReadinessCheck) int { return strings.Compare(a.Name, b.Name) })
	gate := NewReadinessGate(p.Config.Health.FailureThreshold)
	background(p.Lifecycle, func(ctx context.Context) {
		ticker := time.NewTicker(p.Config.Health.Interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			err := runChecks(ctx, checks, p.Config.Health.Timeout)
			if ctx.Err() != nil {
				return
			}
			ready, changed := gate.Observe(err)
			status := healthpb.HealthCheckResponse_NOT_SERVING
			if ready {
				status = healthpb.HealthCheckResponse_SERVING
			}
			p.Server.Health.SetServingStatus(server.ReadinessService, status)
			switch {
			case changed && ready:
				p.Logger.Info("dependencies reachable again: readiness SERVING")
			case changed:
				p.Logger.Warn("dependencies unreachable: readiness NOT_SERVING",
					zap.Int("failed_rounds", p.Config.Health.FailureThreshold), zap.Error(err))
			}
		}
	}, nil)
}

// runChecks runs every check, each bounded by timeout, and joins their errors.
func runChecks(ctx context.Context, checks []ReadinessCheck, timeout time.Duration) error {
	var errs []error
	for _, c := range checks {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		err := c.Check(cctx)
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, err))
		}
	}
	return errors.Join(errs...)
}

// ReadinessGate is the readiness rule: not ready after threshold failed
// rounds in a row, ready again after one good round. It starts ready, as the
// server does once it listens.
type ReadinessGate struct {
	threshold int
	failures  int
	ready     bool
}

// NewReadinessGate returns a ready gate; threshold below 1 counts as 1.
func NewReadinessGate(threshold int) *ReadinessGate {
	return &ReadinessGate{threshold: max(threshold, 1), ready: true}
}

// Observe records one round (err nil: every check passed) and returns the
// readiness and whether this round changed it.
func (g *ReadinessGate) Observe(err error) (ready, changed bool) {
	was := g.ready
	if err == nil {
		g.failures = 0
		g.ready = true
	} else {
		g.failures++
		if g.failures >= g.threshold {
			g.ready = false
		}
	}
	return g.ready, g.ready != was
}

// background runs fn until the application stops, then calls stop (may be
// nil).
func background(lc fx.Lifecycle, fn func(ctx context.Context), stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				fn(ctx)
			}()
			return nil
		},
		OnStop: func(stopCtx context.Context) error {
			cancel()
			select {
			case <-done:
			case <-stopCtx.Done():
				return stopCtx.Err()
			}
			if stop != nil {
				stop()
			}
			return nil
		},
	})
}
