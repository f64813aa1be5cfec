package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"github.com/spf13/cobra"
)

type migrateSetFlags struct {
	url, dirURL, dirFormat string
	revisionSchema         string
}

func newMigrateSetCmd() *cobra.Command {
	var flags migrateSetFlags
	cmd := &cobra.Command{
		Use:   "set [flags] [version]",
		Short: "Set the current version of the migration history table.",
		Long: `'atlas migrate set' edits the revision table to consider all migrations up to and including the given version
to be applied. This command is usually used after manually making changes to the managed database.`,
		Example: `  atlas migrate set 20250101000000 --dir file://migrations --url "postgres://postgres@localhost:5432/app?sslmode=disable"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return migrateSetRun(cmd, args, flags)
		},
	}
	cmd.Flags().SortFlags = false
	addFlagURL(cmd.Flags(), &flags.url)
	addFlagDirURL(cmd.Flags(), &flags.dirURL)
	addFlagDirFormat(cmd.Flags(), &flags.dirFormat)
	addFlagRevisionSchema(cmd.Flags(), &flags.revisionSchema)
	return cmd
}

// revisionOp is a revision set or removed by `migrate set`.
type revisionOp struct {
	*migrate.Revision
	Op string `json:"Op,omitempty"`
}

func migrateSetRun(cmd *cobra.Command, args []string, flags migrateSetFlags) (rerr error) {
	ctx := cmd.Context()
	dir, err := openDir(flags.dirURL, flags.dirFormat, false)
	if err != nil {
		return err
	}
	if err := checkDir(cmd.OutOrStdout(), dir); err != nil {
		return err
	}
	session, err := openRevisionsSession(ctx, cmd.OutOrStdout(), flags.url, flags.revisionSchema, 0)
	if err != nil {
		return err
	}
	defer func() {
		if err := session.close(); err != nil && rerr == nil {
			rerr = err
		}
	}()
	client, revSchema := session.client, session.schema
	tx, err := client.Tx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if rerr == nil {
			if err := tx.Commit(); err != nil {
				rerr = fmt.Errorf("commit transaction: %w", err)
			}
		} else if err := tx.Rollback(); err != nil {
			rerr = fmt.Errorf("%v: %w", err, rerr)
		}
	}()
	trrw := &revisions{conn: tx.Driver, schema: revSchema}
	revs, err := trrw.ReadRevisions(ctx)
	if err != nil {
		return err
	}
	files, err := dir.Files()
	if err != nil {
		return fmt.Errorf("read migration files: %w", err)
	}
	var version string
	switch n := len(args); {
	case n == 0 && len(revs) > 0:
		// Without a version, sync with the directory (or purge if empty).
		if len(files) > 0 {
			version = files[len(files)-1].Version()
		}
	case n == 1:
		if migrate.FilesLastIndex(files, func(f migrate.File) bool { return f.Version() == args[0] }) == -1 {
			return fmt.Errorf("migration with version %q not found", args[0])
		}
		version = args[0]
	default:
		return fmt.Errorf("accepts 1 arg(s), received %d", n)
	}
	var ops []revisionOp
	for _, r := range revs {
		switch {
		case r.Version > version:
			ops = append(ops, revisionOp{r, "remove"})
			if err := trrw.DeleteRevision(ctx, r.Version); err != nil {
				return err
			}
		case r.Version == version && (r.Error != "" || r.Total != r.Applied):
			ops = append(ops, revisionOp{r, "set"})
			r.Type = migrate.RevisionTypeExecute | migrate.RevisionTypeResolved
			if err := trrw.WriteRevision(ctx, r); err != nil {
				return err
			}
		}
	}
	if revs, err = trrw.ReadRevisions(ctx); err != nil {
		return err
	}
	var pending []migrate.File
	switch {
	case len(revs) == 0:
		for _, f := range files {
			if f.Version() > version {
				break
			}
			pending = append(pending, f)
		}
	case version > revs[len(revs)-1].Version:
		last := revs[len(revs)-1].Version
		for _, f := range files {
			if f.Version() > version {
				break
			}
			if f.Version() > last {
				pending = append(pending, f)
			}
		}
	}
	sum, err := dir.Checksum()
	if err != nil {
		return fmt.Errorf("compute migration directory checksum: %w", err)
	}
	for _, f := range pending {
		h, err := sum.SumByName(f.Name())
		if err != nil {
			return fmt.Errorf("checksum of %s: %w", f.Name(), err)
		}
		rev := &migrate.Revision{
			Version:         f.Version(),
			Description:     f.Desc(),
			Type:            migrate.RevisionTypeResolved,
			ExecutedAt:      time.Now(),
			Hash:            h,
			OperatorVersion: operatorVersion(),
		}
		ops = append(ops, revisionOp{rev, "set"})
		if err := trrw.WriteRevision(ctx, rev); err != nil {
			return err
		}
	}
	current, err := trrw.CurrentRevision(ctx)
	if err != nil && !errors.Is(err, migrate.ErrRevisionNotExist) {
		return err
	}
	return writeSetReport(cmd.OutOrStdout(), current, ops)
}

// writeSetReport writes Atlas's `migrate set` output.
func writeSetReport(w io.Writer, current *migrate.Revision, ops []revisionOp) error {
	var b strings.Builder
	switch {
	case current == nil && len(ops) > 0:
		fmt.Fprintf(&b, "All revisions deleted (%d in total):\n", len(ops))
	case current != nil && len(ops) > 0:
		var set, removed int
		for _, op := range ops {
			if op.Op == "set" {
				set++
			} else {
				removed++
			}
		}
		var parts []string
		if set > 0 {
			parts = append(parts, fmt.Sprintf("%d set", set))
		}
		if removed > 0 {
			parts = append(parts, fmt.Sprintf("%d removed", removed))
		}
		fmt.Fprintf(&b, "Current version is %s (%s):\n", current.Version, strings.Join(parts, ", "))
	}
	if len(ops) > 0 {
		sort.Slice(ops, func(i, j int) bool { return ops[i].Version < ops[j].Version })
		b.WriteString("\n")
		for _, op := range ops {
			sign := "+"
			if op.Op != "set" {
				sign = "-"
			}
			text := sign + " " + op.Version
			if op.Description != "" {
				text = fmt.Sprintf("%s (%s)", text, op.Description)
			}
			fmt.Fprintf(&b, "  %s\n", text)
		}
		b.WriteString("\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write set report: %w", err)
	}
	return nil
}
