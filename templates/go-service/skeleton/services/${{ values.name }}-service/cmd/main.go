// Command ${{ values.serviceName }} serves the ${{ values.protoPkg }}.v1.${{ values.aggregate }}Service gRPC API.
//
// It reads its configuration from environment variables (see
// internal/infrastructure/config), starts the gRPC server once PostgreSQL is
// reachable and stops gracefully on SIGINT or SIGTERM, within
// SHUTDOWN_TIMEOUT. An invalid variable stops it before anything starts,
// with one line on stderr naming the variable and exit status 2.
package main

import (
	"fmt"
	"os"

	"go.uber.org/fx"

	"${{ values.module }}/internal/infrastructure/config"
	appfx "${{ values.module }}/internal/infrastructure/fx"
)

func main() {
	configured, err := appfx.LoadConfig()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", config.ServiceName, err)
		os.Exit(2)
	}
	fx.New(appfx.Module, configured).Run()
}
