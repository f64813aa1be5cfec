package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Version is reported by `atlas version` and stored as the operator version
// of the revisions written by `migrate apply` and `migrate set`.
const Version = "v0.32.1-golden-path"

// operatorVersion is the value of the operator_version revision column.
func operatorVersion() string { return "Atlas CLI " + Version }

// silentError is an error whose message was already written to the output;
// it only makes the command exit with code 1.
type silentError struct{ error }

func (e silentError) Unwrap() error { return e.error }

// run executes the CLI with args and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	if !errors.As(err, new(silentError)) {
		fmt.Fprintf(stderr, "Error: %v\n", err)
	}
	return 1
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "atlas",
		Short:         "Manage your database schema as code (Golden Path for Go build on the ariga.io/atlas library)",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newVersionCmd(), newMigrateCmd())
	root.AddCommand(unsupportedCmd("schema", "the declarative workflow (atlas schema ...) is not part of this build; use atlas migrate diff/apply"))
	root.AddCommand(unsupportedCmd("login", "Atlas Cloud is not available in this build"))
	root.AddCommand(unsupportedCmd("license", "this build is licensed like the ariga.io/atlas library: Apache 2.0"))
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Prints this Atlas CLI version information.",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			cmd.Printf("atlas version %s (built on ariga.io/atlas library)\nhttps://github.com/ariga/atlas/releases/latest\n", Version)
		},
	}
}

func newMigrateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Manage versioned migration files",
		Long:  "'atlas migrate' wraps several sub-commands for migration management.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	addProjectFlags(cmd)
	cmd.AddCommand(
		newMigrateApplyCmd(),
		newMigrateDiffCmd(),
		newMigrateHashCmd(),
		newMigrateLintCmd(),
		newMigrateSetCmd(),
		newMigrateStatusCmd(),
		newMigrateValidateCmd(),
	)
	for _, name := range []string{"checkpoint", "down", "edit", "import", "new", "push", "rebase", "rm", "test"} {
		cmd.AddCommand(unsupportedCmd(name, fmt.Sprintf("'atlas migrate %s' is not supported by this build (Golden Path for Go, built on the ariga.io/atlas library); supported: apply, diff, hash, lint, set, status, validate", name)))
	}
	return cmd
}

// unsupportedCmd is a hidden stub that fails with a clear message.
func unsupportedCmd(name, msg string) *cobra.Command {
	return &cobra.Command{
		Use:                name,
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New(msg)
		},
	}
}
