package fx

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/job"
	"${{ values.pkgModule }}/lock"

	grpchandler "${{ values.module }}/internal/adapter/inbound/grpc"
	"${{ values.module }}/internal/adapter/outbound/persistence"
	"${{ values.module }}/internal/infrastructure/config"
)

// JobsModule runs the scheduled jobs listed in JobUseCases (jobs.go): a
// Redis client for their locks, pkg/job's Runner (one lock per job, the run
// history in the job_runs table, Prometheus metrics on the service's
// registry) and its cron Scheduler, started with the application and stopped
// after the gRPC server has drained, running jobs getting their share of
// SHUTDOWN_TIMEOUT to finish (shutdown.go). The gRPC handler reaches the same
// Runner and history for RunJob and ListJobRuns.
var JobsModule = fx.Options(
	fx.Provide(config.LoadJobs),
	fx.Provide(newRedisClient),
	fx.Provide(fx.Annotate(persistence.NewJobRunStore, fx.As(new(job.HistoryStore)), fx.As(new(grpchandler.JobHistory)))),
	fx.Provide(newJobRunner),
	fx.Provide(func(r *job.Runner) grpchandler.JobRunner { return r }),
	fx.Provide(newScheduler),
	JobUseCases,
)

// newRedisClient connects on start, so a service whose Redis is unreachable
// fails to start instead of silently running no job.
func newRedisClient(lc fx.Lifecycle, cfg *config.JobsConfig) *redis.Client {
	client := redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisDB})
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := client.Ping(ctx).Err(); err != nil {
				return fmt.Errorf("connect to redis at %s (REDIS_ADDR): %w", cfg.RedisAddr, err)
			}
			return nil
		},
		OnStop: func(context.Context) error { return client.Close() },
	})
	return client
}

// runnerParams are the Runner's dependencies; Definitions collects the
// job.Definition that each job module of JobUseCases provides.
type runnerParams struct {
	fx.In

	Config      *config.JobsConfig
	Redis       *redis.Client
	Store       job.HistoryStore
	Registry    *prometheus.Registry
	Logger      *zap.Logger
	Definitions []job.Definition `group:"jobs"`
}

func newJobRunner(p runnerParams) (*job.Runner, error) {
	locker, err := lock.NewLocker(p.Redis, lock.Config{Prefix: p.Config.KeyPrefix})
	if err != nil {
		return nil, fmt.Errorf("job locker: %w", err)
	}
	metrics, err := job.NewMetrics(p.Registry)
	if err != nil {
		return nil, fmt.Errorf("job metrics: %w", err)
	}
	runner, err := job.NewRunner(locker, p.Store, metrics, p.Logger, job.RunnerConfig{
		Jobs:     p.Definitions,
		Instance: p.Config.Instance,
		LockTTL:  p.Config.LockTTL,
	})
	if err != nil {
		return nil, fmt.Errorf("job runner: %w", err)
	}
	return runner, nil
}

// newScheduler fires the jobs' cron schedules for the lifetime of the
// application. It registers its hook when it is built, and runGRPCServer
// takes the scheduler, so Fx stops it after the gRPC server (see there), which
// stops the ticks when the shutdown begins. On stop it lets the running jobs
// finish until closeReserve before the end of SHUTDOWN_TIMEOUT; 1s before
// that (job.RunnerConfig.StopGrace) the runs still going are cancelled and
// recorded failed, reason shutdown, in job_runs, a history write that hangs
// giving up at the end of the phase.
func newScheduler(lc fx.Lifecycle, runner *job.Runner, cfg *config.Config, logger *zap.Logger) (*job.Scheduler, error) {
	scheduler, err := job.NewScheduler(runner, logger)
	if err != nil {
		return nil, fmt.Errorf("job scheduler: %w", err)
	}
	lc.Append(fx.Hook{
		OnStart: scheduler.Start,
		OnStop: func(ctx context.Context) error {
			ctx, cancel := withPhaseEnd(ctx, cfg.Server.ShutdownTimeout, closeReserve(cfg.Server.ShutdownTimeout))
			defer cancel()
			if err := scheduler.Stop(ctx); err != nil {
				// The runner logged and recorded each cancelled run; the
				// stop itself went as planned.
				logger.Warn("scheduled jobs cut short by the shutdown", zap.Error(err))
			}
			return nil
		},
	})
	return scheduler, nil
}
