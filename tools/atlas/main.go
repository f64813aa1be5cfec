// Command atlas is a flag-compatible subset of the Atlas community CLI
// (https://atlasgo.io) built on the Atlas engine library (ariga.io/atlas).
// The community CLI module cannot be installed from the Go module proxy
// reachable by Golden Path for Go, so this binary implements the `migrate`
// commands the scaffolder actions and templates use, with Atlas's flags,
// output formats, revision table and exit codes. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "ariga.io/atlas/sql/postgres"
	_ "ariga.io/atlas/sql/postgres/postgrescheck"
	_ "github.com/lib/pq"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
