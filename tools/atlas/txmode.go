package main

import (
	"context"
	"errors"
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqlclient"
)

// Transaction modes of `migrate apply --tx-mode` and the atlas:txmode directive.
const (
	txModeNone = "none"
	txModeFile = "file"
	txModeAll  = "all"
)

// txRunner wraps migration files in transactions according to the mode,
// like the Atlas CLI: one per file (file), one for all files (all) or none.
type txRunner struct {
	mode   string
	schema string // revisions schema
	c      *sqlclient.Client
	rrw    *revisions
	dryRun bool
	tx     *sqlclient.TxClient
	txrrw  *revisions
}

// driverFor returns the driver and revision storage to execute f with,
// opening a transaction when the mode needs one.
func (t *txRunner) driverFor(ctx context.Context, f migrate.File) (migrate.Driver, migrate.RevisionReadWriter, error) {
	if t.dryRun {
		return &dryRunDriver{t.c.Driver}, &dryRunRevisions{t.rrw}, nil
	}
	mode, err := t.modeFor(f)
	if err != nil {
		return nil, nil, err
	}
	switch mode {
	case txModeNone:
		return t.c.Driver, t.rrw, nil
	case txModeFile, txModeAll:
		if t.tx != nil {
			if mode == txModeFile {
				return nil, nil, errors.New("unexpected active transaction")
			}
			return t.tx.Driver, t.txrrw, nil
		}
		if t.tx, err = t.c.Tx(ctx, nil); err != nil {
			return nil, nil, fmt.Errorf("begin transaction: %w", err)
		}
		t.txrrw = &revisions{conn: t.tx.Driver, schema: t.schema}
		return t.tx.Driver, t.txrrw, nil
	default:
		return nil, nil, fmt.Errorf("unknown tx-mode %q", mode)
	}
}

// modeFor resolves the mode of a file from its atlas:txmode directive.
func (t *txRunner) modeFor(f migrate.File) (string, error) {
	l, ok := f.(*migrate.LocalFile)
	if !ok {
		return t.mode, nil
	}
	ds := l.Directive("txmode")
	var m string
	switch {
	case len(ds) == 0:
	case len(ds) > 1:
		return "", fmt.Errorf("multiple txmode values found in file %q: %q", f.Name(), ds)
	case ds[0] == txModeAll:
		return "", fmt.Errorf("txmode %q is not allowed in file directive %q. Use %q instead", txModeAll, f.Name(), txModeFile)
	case ds[0] == txModeNone, ds[0] == txModeFile:
		m = ds[0]
	default:
		return "", fmt.Errorf("unknown txmode %q found in file directive %q", ds[0], f.Name())
	}
	switch {
	case m == "", m == t.mode:
		return t.mode, nil
	case t.mode == txModeAll:
		return "", fmt.Errorf("cannot set txmode directive to %q in %q when txmode %q is set globally", m, f.Name(), txModeAll)
	default:
		return m, nil
	}
}

// mayRollback rolls back the open transaction when err is not nil.
func (t *txRunner) mayRollback(err error) error {
	if t.tx != nil && err != nil {
		if err2 := t.tx.Rollback(); err2 != nil {
			err = fmt.Errorf("%v: %w", err2, err)
		}
		t.tx, t.txrrw = nil, nil
	}
	return err
}

// mayCommit commits the file's transaction in file mode.
func (t *txRunner) mayCommit() error {
	if t.tx != nil && !t.dryRun && t.mode != txModeAll {
		return t.commit()
	}
	return nil
}

// commit commits the open transaction, if any.
func (t *txRunner) commit() error {
	if t.tx == nil {
		return nil
	}
	defer func() { t.tx, t.txrrw = nil, nil }()
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}
