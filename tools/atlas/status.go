package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqlclient"
	"github.com/spf13/cobra"
)

const (
	statusOK      = "OK"
	statusPending = "PENDING"
)

// statusReport is the data of `migrate status`, with Atlas's field names.
type statusReport struct {
	reportEnv  `json:"Env"`
	Available  fileList            `json:"Available,omitempty"`
	OutOfOrder fileList            `json:"OutOfOrder,omitempty"`
	Pending    fileList            `json:"Pending,omitempty"`
	Applied    []*migrate.Revision `json:"Applied,omitempty"`
	Current    string              `json:"Current,omitempty"`
	Next       string              `json:"Next,omitempty"`
	Count      int                 `json:"Count,omitempty"`
	Total      int                 `json:"Total,omitempty"`
	Status     string              `json:"Status,omitempty"`
	Error      string              `json:"Error,omitempty"`
	SQL        string              `json:"SQL,omitempty"`
}

// Left returns the number of statements left in a partially applied file.
func (r *statusReport) Left() int { return r.Total - r.Count }

// FromCheckpoint reports whether the next file is a checkpoint.
func (r *statusReport) FromCheckpoint() bool {
	if len(r.Applied) > 0 || len(r.Pending) == 0 || r.Pending[0].Version() != r.Next {
		return false
	}
	ck, ok := r.Pending[0].(migrate.CheckpointFile)
	return ok && ck.IsCheckpoint()
}

type migrateStatusFlags struct {
	url, dirURL, dirFormat string
	revisionSchema         string
	format                 string
}

func newMigrateStatusCmd() *cobra.Command {
	var flags migrateStatusFlags
	cmd := &cobra.Command{
		Use:     "status [flags]",
		Short:   "Get information about the current migration status.",
		Long:    `'atlas migrate status' reports information about the current status of a connected database compared to the migration directory.`,
		Example: `  atlas migrate status --dir file://migrations --url "postgres://postgres@localhost:5432/app?sslmode=disable"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return migrateStatusRun(cmd, flags)
		},
	}
	cmd.Flags().SortFlags = false
	addFlagURL(cmd.Flags(), &flags.url)
	addFlagFormat(cmd, &flags.format)
	addFlagDirURL(cmd.Flags(), &flags.dirURL)
	addFlagDirFormat(cmd.Flags(), &flags.dirFormat)
	addFlagRevisionSchema(cmd.Flags(), &flags.revisionSchema)
	return cmd
}

func migrateStatusRun(cmd *cobra.Command, flags migrateStatusFlags) error {
	ctx := cmd.Context()
	dir, err := openDir(flags.dirURL, flags.dirFormat, false)
	if err != nil {
		return err
	}
	if err := checkDir(cmd.OutOrStdout(), dir); err != nil {
		return err
	}
	client, err := openClient(ctx, flags.url)
	if err != nil {
		return err
	}
	defer client.Close()
	if err := checkRevisionSchemaClarity(ctx, cmd.OutOrStdout(), client, flags.revisionSchema); err != nil {
		return err
	}
	report, err := buildStatus(ctx, client, dir, flags.dirURL, revisionSchemaName(client, flags.revisionSchema))
	if err != nil {
		return err
	}
	if flags.format == "" {
		return report.writeText(cmd.OutOrStdout())
	}
	funcs := baseFuncs()
	funcs["default"] = func(r *statusReport) (string, error) {
		var b strings.Builder
		err := r.writeText(&b)
		return b.String(), err
	}
	t, err := parseFormat(flags.format, funcs)
	if err != nil {
		return err
	}
	if err := t.Execute(cmd.OutOrStdout(), report); err != nil {
		return fmt.Errorf("execute status template: %w", err)
	}
	return nil
}

// buildStatus compares the revision table in schema revSchema with dir.
func buildStatus(ctx context.Context, client *sqlclient.Client, dir migrate.Dir, dirURL, revSchema string) (*statusReport, error) {
	rep := &statusReport{reportEnv: newReportEnv(client, dirURL)}
	exists, err := revisionTableExists(ctx, client, revSchema)
	if err != nil {
		return nil, err
	}
	if !exists {
		if rep.Available, err = migrate.FilesFromLastCheckpoint(dir); err != nil {
			return nil, fmt.Errorf("read migration files: %w", err)
		}
		rep.Pending = rep.Available
	} else {
		// Reads only: the revision table is not created or changed by status.
		rrw := &revisions{conn: client.Driver, schema: revSchema}
		ex, err := migrate.NewExecutor(client.Driver, dir, rrw)
		if err != nil {
			return nil, fmt.Errorf("create executor: %w", err)
		}
		if rep.Applied, err = rrw.ReadRevisions(ctx); err != nil {
			return nil, err
		}
		var pending []migrate.File
		pending, err = ex.Pending(ctx)
		rep.Pending = pending
		if err != nil && !errors.Is(err, migrate.ErrNoPendingFiles) {
			var nl *migrate.HistoryNonLinearError
			if errors.As(err, &nl) {
				rep.Error = nl.Error()
				rep.Status = statusPending
				rep.Pending, rep.OutOfOrder = nl.Pending, nl.OutOfOrder
				rep.Current = rep.Applied[len(rep.Applied)-1].Version
				return rep, nil
			}
			return nil, err
		}
		if len(rep.Applied) == 0 {
			rep.Available = rep.Pending
		} else if rep.Available, err = dir.Files(); err != nil {
			return nil, fmt.Errorf("read migration files: %w", err)
		}
	}
	if len(rep.Pending) == len(rep.Available) {
		rep.Current = "No migration applied yet"
	} else {
		rep.Current = rep.Applied[len(rep.Applied)-1].Version
	}
	if len(rep.Pending) == 0 {
		rep.Status, rep.Next = statusOK, "Already at latest version"
	} else {
		rep.Status, rep.Next = statusPending, rep.Pending[0].Version()
	}
	if len(rep.Applied) > 0 {
		last := rep.Applied[len(rep.Applied)-1]
		if !last.Type.Has(migrate.RevisionTypeResolved) && last.Applied < last.Total {
			rep.SQL = strings.ReplaceAll(last.ErrorStmt, "\n", " ")
			rep.Error = strings.ReplaceAll(last.Error, "\n", " ")
			rep.Count = last.Applied
			idx := migrate.FilesLastIndex(rep.Available, func(f migrate.File) bool { return f.Version() == last.Version })
			if idx == -1 {
				return nil, fmt.Errorf("migration file with version %q not found", last.Version)
			}
			stmts, err := migrate.FileStmts(client.Driver, rep.Available[idx])
			if err != nil {
				return nil, fmt.Errorf("read statements of %s: %w", rep.Available[idx].Name(), err)
			}
			rep.Total = len(stmts)
		}
	}
	return rep, nil
}

// writeText writes Atlas's default status output.
func (r *statusReport) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Migration Status: %s\n", r.Status)
	fmt.Fprintf(&b, "  -- Current Version: %s", r.Current)
	if r.Total > 0 {
		fmt.Fprintf(&b, " (%d statements applied)", r.Count)
	}
	next := "UNKNOWN"
	if r.Next != "" {
		next = r.Next
		if r.FromCheckpoint() {
			next += " (checkpoint)"
		}
	}
	fmt.Fprintf(&b, "\n  -- Next Version:    %s", next)
	if r.Total > 0 {
		fmt.Fprintf(&b, " (%d statements left)", r.Left())
	}
	fmt.Fprintf(&b, "\n  -- Executed Files:  %d", len(r.Applied))
	if r.Total > 0 {
		b.WriteString(" (last one partially)")
	}
	fmt.Fprintf(&b, "\n  -- Pending Files:   %d", len(r.Pending)+len(r.OutOfOrder))
	if len(r.OutOfOrder) > 0 {
		b.WriteString(" (")
		if len(r.Pending) > 0 {
			fmt.Fprintf(&b, "%d ", len(r.OutOfOrder))
		}
		b.WriteString("out of order)")
	}
	switch {
	case r.Total > 0:
		fmt.Fprintf(&b, "\n\nLast migration attempt had errors:\n  -- SQL:   %s\n  -- ERROR: %s", r.SQL, r.Error)
	case len(r.OutOfOrder) > 0 && r.Error != "":
		fmt.Fprintf(&b, "\n\n  ERROR: %s", r.Error)
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write status report: %w", err)
	}
	return nil
}
