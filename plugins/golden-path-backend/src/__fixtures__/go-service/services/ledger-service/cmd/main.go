// Command ledger-service serves the ledger.v1.AccountService gRPC API.
//
// It reads its configuration from environment variables (see
// internal/infrastructure/config), starts the gRPC server once PostgreSQL is
// reachable and stops gracefully on SIGINT or SIGTERM, within
// SHUTDOWN_TIMEOUT.
package main

import (
	"go.uber.org/fx"

	"github.com/acme/ledger-service/internal/infrastructure/config"
	appfx "github.com/acme/ledger-service/internal/infrastructure/fx"
)

func main() {
	fx.New(appfx.Module, fx.StopTimeout(config.ShutdownTimeout())).Run()
}
