// Command ${{ values.serviceName }} serves the ${{ values.protoPkg }}.v1.${{ values.aggregate }}Service gRPC API.
//
// It reads its configuration from environment variables (see
// internal/infrastructure/config), starts the gRPC server once PostgreSQL is
// reachable and stops gracefully on SIGINT or SIGTERM, within
// SHUTDOWN_TIMEOUT.
package main

import (
	"go.uber.org/fx"

	"${{ values.module }}/internal/infrastructure/config"
	appfx "${{ values.module }}/internal/infrastructure/fx"
)

func main() {
	fx.New(appfx.Module, fx.StopTimeout(config.ShutdownTimeout())).Run()
}
