package main

import (
	"errors"
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqlclient"
	"github.com/spf13/cobra"
)

func newMigrateValidateCmd() *cobra.Command {
	var dirURL, dirFormat, devURL string
	cmd := &cobra.Command{
		Use:   "validate [flags]",
		Short: "Validates the migration directories checksum and SQL statements.",
		Long: `'atlas migrate validate' computes the integrity hash sum of the migration directory and compares it to the
atlas.sum file. If there is a mismatch it will be reported. If the --dev-url flag is given, the migration
files are executed on the connected database in order to validate SQL semantics.`,
		Example: `  atlas migrate validate --dir file://migrations
  atlas migrate validate --dir file://migrations --dev-url "postgres://postgres@localhost:5432/dev?sslmode=disable"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := openDir(dirURL, dirFormat, false)
			if err != nil {
				return err
			}
			if err := checkDir(cmd.OutOrStdout(), dir); err != nil {
				return err
			}
			if devURL == "" {
				return nil
			}
			return replayDir(cmd, dir, devURL)
		},
	}
	addFlagDevURL(cmd.Flags(), &devURL)
	addFlagDirURL(cmd.Flags(), &dirURL)
	addFlagDirFormat(cmd.Flags(), &dirFormat)
	return cmd
}

// replayDir executes every migration file on the dev database, restoring
// its state afterwards, to check that the files execute.
func replayDir(cmd *cobra.Command, dir migrate.Dir, devURL string) error {
	ctx := cmd.Context()
	dev, err := sqlclient.Open(ctx, devURL)
	if err != nil {
		return fmt.Errorf("open dev database: %w", err)
	}
	defer dev.Close()
	ex, err := migrate.NewExecutor(dev.Driver, dir, migrate.NopRevisionReadWriter{})
	if err != nil {
		return fmt.Errorf("create executor: %w", err)
	}
	var state migrate.StateReader = migrate.RealmConn(dev, nil)
	if dev.URL.Schema != "" {
		state = migrate.SchemaConn(dev, "", nil)
	}
	if _, err := ex.Replay(ctx, state); err != nil && !errors.Is(err, migrate.ErrNoPendingFiles) {
		return fmt.Errorf("replaying the migration directory: %w", err)
	}
	return nil
}
