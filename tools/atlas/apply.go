package main

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"ariga.io/atlas/sql/migrate"
	"github.com/spf13/cobra"
)

const applyLockName = "atlas_migrate_execute"

type migrateApplyFlags struct {
	url, dirURL, dirFormat string
	revisionSchema         string
	dryRun                 bool
	format                 string
	lockTimeout            time.Duration
	allowDirty             bool
	baseline               string
	txMode                 string
	execOrder              string
}

func newMigrateApplyCmd() *cobra.Command {
	var flags migrateApplyFlags
	cmd := &cobra.Command{
		Use:   "apply [flags] [amount]",
		Short: "Applies pending migration files on the connected database.",
		Long: `'atlas migrate apply' reads the migration state of the connected database and computes what migrations are pending.
It then attempts to apply the pending migration files in the correct order onto the database.
The first argument denotes the maximum number of migration files to apply.
As a safety measure 'atlas migrate apply' will abort with an error, if:
  - the migration directory is not in sync with the 'atlas.sum' file
  - the migration and database history do not match each other

If run with the "--dry-run" flag, atlas will not execute any SQL.`,
		Example: `  atlas migrate apply --dir file://migrations --url "postgres://postgres@localhost:5432/app?sslmode=disable" 1`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return migrateApplyRun(cmd, args, flags)
		},
	}
	cmd.Flags().SortFlags = false
	addFlagURL(cmd.Flags(), &flags.url)
	addFlagDirURL(cmd.Flags(), &flags.dirURL)
	addFlagDirFormat(cmd.Flags(), &flags.dirFormat)
	addFlagFormat(cmd, &flags.format)
	addFlagRevisionSchema(cmd.Flags(), &flags.revisionSchema)
	cmd.Flags().BoolVar(&flags.dryRun, flagDryRun, false, "print SQL without executing it")
	addFlagLockTimeout(cmd.Flags(), &flags.lockTimeout)
	cmd.Flags().StringVar(&flags.baseline, flagBaseline, "", "start the first migration after the given baseline version")
	cmd.Flags().StringVar(&flags.txMode, flagTxMode, txModeFile, "set transaction mode [none, file, all]")
	cmd.Flags().StringVar(&flags.execOrder, flagExecOrder, "linear", "set file execution order [linear, linear-skip, non-linear]")
	cmd.Flags().BoolVar(&flags.allowDirty, flagAllowDirty, false, "allow start working on a non-clean database")
	return cmd
}

func (f *migrateApplyFlags) executorOptions() ([]migrate.ExecutorOption, error) {
	var opts []migrate.ExecutorOption
	if f.allowDirty {
		opts = append(opts, migrate.WithAllowDirty(true))
	}
	if f.baseline != "" {
		opts = append(opts, migrate.WithBaselineVersion(f.baseline))
	}
	switch f.execOrder {
	case "", "linear":
	case "linear-skip":
		opts = append(opts, migrate.WithExecOrder(migrate.ExecOrderLinearSkip))
	case "non-linear":
		opts = append(opts, migrate.WithExecOrder(migrate.ExecOrderNonLinear))
	default:
		return nil, fmt.Errorf("unknown execution order: %q", f.execOrder)
	}
	return opts, nil
}

func migrateApplyRun(cmd *cobra.Command, args []string, flags migrateApplyFlags) (rerr error) {
	ctx := cmd.Context()
	var count int
	if len(args) > 0 {
		n, err := strconv.Atoi(args[0])
		if err != nil {
			if nerr := (&strconv.NumError{}); errors.As(err, &nerr) && nerr.Err != nil {
				err = nerr.Err
			}
			return fmt.Errorf("invalid amount argument %q (%w). Omit the argument or pass a valid integer instead", args[0], err)
		}
		if n < 1 {
			return fmt.Errorf("cannot apply '%d' migration files", n)
		}
		count = n
	}
	switch flags.txMode {
	case txModeNone, txModeFile, txModeAll:
	default:
		return fmt.Errorf("unknown tx-mode %q", flags.txMode)
	}
	dir, err := openDir(flags.dirURL, flags.dirFormat, false)
	if err != nil {
		return err
	}
	if err := checkDir(cmd.OutOrStdout(), dir); err != nil {
		return err
	}
	session, err := openRevisionsSession(ctx, cmd.OutOrStdout(), flags.url, flags.revisionSchema, flags.lockTimeout)
	if err != nil {
		return err
	}
	defer func() {
		if err := session.close(); err != nil && rerr == nil {
			rerr = err
		}
	}()
	client, revSchema, rrw := session.client, session.schema, session.rrw
	report := &applyReport{reportEnv: newReportEnv(client, flags.dirURL), Start: time.Now()}
	opts, err := flags.executorOptions()
	if err != nil {
		return err
	}
	opts = append(opts, migrate.WithOperatorVersion(operatorVersion()), migrate.WithLogger(report))
	ex, err := migrate.NewExecutor(client.Driver, dir, rrw, opts...)
	if err != nil {
		return fmt.Errorf("create executor: %w", err)
	}
	pending, err := ex.Pending(ctx)
	if err != nil && !errors.Is(err, migrate.ErrNoPendingFiles) {
		return err
	}
	noPending := errors.Is(err, migrate.ErrNoPendingFiles)
	// Read the revisions after Pending, which may write a baseline revision.
	applied, err := rrw.ReadRevisions(ctx)
	if err != nil {
		return err
	}
	if noPending {
		migrate.LogNoPendingFiles(report, applied)
		return writeApplyReport(cmd, flags.format, report)
	}
	if count == 0 || count > len(pending) {
		count = len(pending)
	}
	pending = pending[:count]
	migrate.LogIntro(report, applied, pending)
	tx := &txRunner{mode: flags.txMode, schema: revSchema, c: client, rrw: rrw, dryRun: flags.dryRun}
	for _, f := range pending {
		var (
			drv  migrate.Driver
			frrw migrate.RevisionReadWriter
		)
		if drv, frrw, err = tx.driverFor(ctx, f); err != nil {
			break
		}
		fex, err2 := migrate.NewExecutor(drv, dir, frrw, opts...)
		if err2 != nil {
			return fmt.Errorf("unexpected executor creation error: %w", err2)
		}
		if err = tx.mayRollback(fex.Execute(ctx, f)); err != nil {
			break
		}
		if err = tx.mayCommit(); err != nil {
			break
		}
	}
	if err == nil {
		if err = tx.commit(); err == nil {
			report.Log(migrate.LogDone{})
		}
	}
	if err != nil {
		report.Error = err.Error()
	}
	werr := writeApplyReport(cmd, flags.format, report)
	if err != nil && flags.format != "" {
		// A custom format reports the error itself (e.g. JSON).
		err = silentError{err}
	}
	return errors.Join(err, werr)
}

func writeApplyReport(cmd *cobra.Command, format string, r *applyReport) error {
	if format == "" {
		return r.writeText(cmd.OutOrStdout())
	}
	t, err := parseFormat(format, baseFuncs())
	if err != nil {
		return err
	}
	if err := t.Execute(cmd.OutOrStdout(), r); err != nil {
		return fmt.Errorf("execute log template: %w", err)
	}
	return nil
}
