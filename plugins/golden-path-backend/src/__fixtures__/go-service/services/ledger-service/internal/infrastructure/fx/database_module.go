package fx

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/fx"

	"github.com/acme/go-pkg/database"

	"github.com/acme/ledger-service/internal/application/port/output"
	"github.com/acme/ledger-service/internal/infrastructure/config"
)

// DatabaseModule provides the PostgreSQL pool (closed on stop) and the
// TxManager output port.
var DatabaseModule = fx.Options(
	fx.Provide(newPool),
	fx.Provide(fx.Annotate(database.NewTxManager, fx.As(new(output.TxManager)))),
)

func newPool(lc fx.Lifecycle, cfg *config.Config) (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := database.NewPool(ctx, cfg.Database.URL())
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(pool.Close))
	return pool, nil
}
