package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flag names, as spelled by the Atlas CLI.
const (
	flagAllowDirty     = "allow-dirty"
	flagBaseline       = "baseline"
	flagConfig         = "config"
	flagDevURL         = "dev-url"
	flagDirURL         = "dir"
	flagDirFormat      = "dir-format"
	flagDryRun         = "dry-run"
	flagEnv            = "env"
	flagExecOrder      = "exec-order"
	flagFormat         = "format"
	flagGitBase        = "git-base"
	flagLatest         = "latest"
	flagLockTimeout    = "lock-timeout"
	flagLog            = "log"
	flagRevisionSchema = "revisions-schema"
	flagSchema         = "schema"
	flagTo             = "to"
	flagTxMode         = "tx-mode"
	flagURL            = "url"
	flagVar            = "var"
	flagQualifier      = "qualifier"
)

// addProjectFlags declares Atlas's project-file flags so that using them
// fails with an explanation instead of "unknown flag".
func addProjectFlags(cmd *cobra.Command) {
	set := cmd.PersistentFlags()
	set.String(flagEnv, "", "not supported by this build: pass --dir, --url and --dev-url explicitly")
	set.StringP(flagConfig, "c", "", "not supported by this build: atlas.hcl project files are not read")
	set.StringSlice(flagVar, nil, "not supported by this build: atlas.hcl project files are not read")
	cmd.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		for _, name := range []string{flagConfig, flagEnv, flagVar} {
			if f := cmd.Flag(name); f != nil && f.Changed {
				return fmt.Errorf("--%s is not supported by this atlas build (Golden Path for Go, built on the ariga.io/atlas library): it reads no atlas.hcl project file; pass --dir, --url, --dev-url and the other flags explicitly", name)
			}
		}
		return nil
	}
}

func addFlagDirURL(set *pflag.FlagSet, target *string) {
	set.StringVar(target, flagDirURL, "file://migrations", "select migration directory using URL format")
}

func addFlagDirFormat(set *pflag.FlagSet, target *string) {
	set.StringVar(target, flagDirFormat, "atlas", "select migration file format (only atlas is supported by this build)")
}

func addFlagURL(set *pflag.FlagSet, target *string) {
	set.StringVarP(target, flagURL, "u", "", "[driver://username:password@address/dbname?param=value] select a resource using the URL format")
}

func addFlagDevURL(set *pflag.FlagSet, target *string) {
	set.StringVar(target, flagDevURL, "", "[driver://username:password@address/dbname?param=value] select a dev database using the URL format")
}

func addFlagRevisionSchema(set *pflag.FlagSet, target *string) {
	set.StringVar(target, flagRevisionSchema, "", "name of the schema the revisions table resides in")
}

func addFlagLockTimeout(set *pflag.FlagSet, target *time.Duration) {
	set.DurationVar(target, flagLockTimeout, 10*time.Second, "set how long to wait for the database lock")
}

// addFlagFormat adds --format and its hidden, older spelling --log.
func addFlagFormat(cmd *cobra.Command, target *string) {
	cmd.Flags().StringVar(target, flagFormat, "", "Go template to use to format the output")
	cmd.Flags().StringVar(target, flagLog, "", "Go template to use to format the output")
	cobra.CheckErr(cmd.Flags().MarkHidden(flagLog))
	cmd.MarkFlagsMutuallyExclusive(flagLog, flagFormat)
}
