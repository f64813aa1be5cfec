package main

import (
	"context"
	"database/sql"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
)

type (
	// dryRunDriver executes nothing (migrate apply --dry-run).
	dryRunDriver struct{ migrate.Driver }
	// dryRunRevisions records nothing (migrate apply --dry-run).
	dryRunRevisions struct{ migrate.RevisionReadWriter }
)

func (dryRunDriver) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	return nil, nil
}

func (dryRunDriver) Lock(context.Context, string, time.Duration) (schema.UnlockFunc, error) {
	return func() error { return nil }, nil
}

func (dryRunDriver) CheckClean(context.Context, *migrate.TableIdent) error { return nil }

func (dryRunDriver) Snapshot(context.Context) (migrate.RestoreFunc, error) {
	return func(context.Context) error { return nil }, nil
}

func (dryRunRevisions) WriteRevision(context.Context, *migrate.Revision) error { return nil }
