package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlclient"
	"github.com/spf13/cobra"
)

type migrateDiffFlags struct {
	to                []string
	dirURL, dirFormat string
	devURL            string
	schemas           []string
	lockTimeout       time.Duration
	format            string
	qualifier         string
	edit              bool
}

func newMigrateDiffCmd() *cobra.Command {
	var flags migrateDiffFlags
	cmd := &cobra.Command{
		Use:   "diff [flags] [name]",
		Short: "Compute the diff between the migration directory and a desired state and create a new migration file.",
		Long: `The 'atlas migrate diff' command uses the dev-database to calculate the current state of the migration directory
by executing its files. It then compares its state to the desired state and create a new migration file containing
SQL statements for moving from the current to the desired state. The desired state is an SQL schema file or
directory, a migration directory or a database URL.`,
		Example: `  atlas migrate diff add_users --dir file://migrations --to file://schema.sql --dev-url "postgres://postgres@localhost:5432/dev?sslmode=disable"`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return migrateDiffRun(cmd, args, flags)
		},
	}
	cmd.Flags().SortFlags = false
	cmd.Flags().StringSliceVar(&flags.to, flagTo, nil, "[driver://username:password@address/dbname?param=value] select a desired state using the URL format")
	addFlagDevURL(cmd.Flags(), &flags.devURL)
	addFlagDirURL(cmd.Flags(), &flags.dirURL)
	addFlagDirFormat(cmd.Flags(), &flags.dirFormat)
	cmd.Flags().StringSliceVarP(&flags.schemas, flagSchema, "s", nil, "set schema names")
	addFlagLockTimeout(cmd.Flags(), &flags.lockTimeout)
	cmd.Flags().StringVar(&flags.format, flagFormat, "", "Go template to use to format the output (only {{ sql . \"  \" }} indentation is supported)")
	cmd.Flags().StringVar(&flags.qualifier, flagQualifier, "", "qualify tables with custom qualifier when working on a single schema")
	cmd.Flags().BoolVar(&flags.edit, "edit", false, "not supported by this build")
	cobra.CheckErr(cmd.MarkFlagRequired(flagTo))
	cobra.CheckErr(cmd.MarkFlagRequired(flagDevURL))
	return cmd
}

func migrateDiffRun(cmd *cobra.Command, args []string, flags migrateDiffFlags) error {
	if flags.edit {
		return errors.New("--edit is not supported by this build (Golden Path for Go): edit the file and run 'atlas migrate hash'")
	}
	dir, err := openDir(flags.dirURL, flags.dirFormat, true)
	if err != nil {
		return err
	}
	if err := checkDir(cmd.OutOrStdout(), dir); err != nil {
		return err
	}
	indent, err := diffIndent(flags.format)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	dev, err := sqlclient.Open(ctx, flags.devURL)
	if err != nil {
		return fmt.Errorf("open dev database: %w", err)
	}
	defer dev.Close()
	unlock, err := dev.Lock(ctx, "atlas_migrate_diff", flags.lockTimeout)
	if err != nil {
		return fmt.Errorf("acquiring database lock: %w", err)
	}
	defer func() { _ = unlock() }()
	var name string
	if len(args) > 0 {
		name = args[0]
	}
	desired, err := loadDesiredState(ctx, flags.to, dev, flags.schemas)
	if err != nil {
		return err
	}
	defer desired.Close()
	opts := []migrate.PlannerOption{
		migrate.PlanFormat(migrate.DefaultFormatter),
		migrate.PlanWithIndent(indent),
		migrate.PlanWithDiffOptions(schema.DiffNormalized()),
	}
	if dev.URL.Schema != "" {
		// Tables are not qualified when working on a single schema.
		opts = append(opts, migrate.PlanWithSchemaQualifier(flags.qualifier))
	}
	pl := migrate.NewPlanner(dev.Driver, dir, opts...)
	var plan *migrate.Plan
	if dev.URL.Schema != "" {
		plan, err = pl.PlanSchema(ctx, name, desired)
	} else {
		plan, err = pl.Plan(ctx, name, desired)
	}
	var cerr *migrate.NotCleanError
	switch {
	case errors.As(err, &cerr) && dev.URL.Schema == "" && desired.schema != "":
		return fmt.Errorf("dev database is not clean (%s). Add a schema to the URL to limit the scope of the connection", cerr.Reason)
	case errors.Is(err, migrate.ErrNoPlan):
		cmd.Println("The migration directory is synced with the desired state, no changes to be made")
		return nil
	case err != nil:
		return err
	}
	if err := pl.WritePlan(plan); err != nil {
		return fmt.Errorf("write migration file: %w", err)
	}
	return nil
}

// diffIndent accepts the one --format Atlas's community build honours for
// the default directory format: {{ sql . "<indent>" }}.
func diffIndent(format string) (string, error) {
	if format == "" {
		return "", nil
	}
	t, err := template.New("format").Funcs(template.FuncMap{"sql": func(...any) string { return "" }}).Parse(format)
	if err != nil {
		return "", fmt.Errorf("parse format: %w", err)
	}
	if len(t.Tree.Root.Nodes) == 1 {
		if n, ok := t.Tree.Root.Nodes[0].(*parse.ActionNode); ok && len(n.Pipe.Cmds) == 1 {
			a := n.Pipe.Cmds[0].Args
			if len(a) >= 2 && len(a) <= 3 && a[0].String() == "sql" && (a[1].String() == "." || a[1].String() == "$") {
				if len(a) == 2 {
					return "", nil
				}
				indent, err := strconv.Unquote(a[2].String())
				if err != nil {
					return "", fmt.Errorf("parse indent: %w", err)
				}
				return indent, nil
			}
		}
	}
	return "", fmt.Errorf("unsupported --format %q: this build accepts only {{ sql . \"<indent>\" }}", strings.TrimSpace(format))
}
