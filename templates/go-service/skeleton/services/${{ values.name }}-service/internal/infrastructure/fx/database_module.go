package fx

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"${{ values.pkgModule }}/database"

	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/infrastructure/config"
)

// DatabaseModule provides the PostgreSQL pool (closed on stop; every
// connection with DB_STATEMENT_TIMEOUT and DB_LOCK_TIMEOUT; its statistics,
// db_pool_*, on the service's /metrics) and the TxManager output port.
var DatabaseModule = fx.Options(
	fx.Provide(newPool),
	fx.Provide(fx.Annotate(database.NewTxManager, fx.As(new(output.TxManager)))),
)

func newPool(lc fx.Lifecycle, cfg *config.Config, reg *prometheus.Registry) (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := database.NewPool(ctx, cfg.Database.URL(),
		database.WithStatementTimeout(cfg.Database.StatementTimeout),
		database.WithLockTimeout(cfg.Database.LockTimeout),
	)
	if err != nil {
		return nil, err
	}
	if err := database.RegisterPoolMetrics(reg, pool); err != nil {
		pool.Close()
		return nil, err
	}
	lc.Append(fx.StopHook(pool.Close))
	return pool, nil
}
