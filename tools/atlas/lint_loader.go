package main

import (
	"context"
	"errors"
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlcheck"
	"ariga.io/atlas/sql/sqlclient"
)

// lintFileError is an error of one migration file while loading its changes.
type lintFileError struct {
	File string
	Err  error
	Pos  int
}

func (e *lintFileError) Error() string { return e.Err.Error() }
func (e *lintFileError) Unwrap() error { return e.Err }

// lintLoader replays migration files on the dev database, statement by
// statement, and records the schema changes each statement makes.
type lintLoader struct {
	dev *sqlclient.Client
}

// maxFirstFileStmts bounds statement-level analysis of the first file of a
// clean history (often a large baseline), as Atlas does.
const maxFirstFileStmts = 10

// load brings the dev database to the state after base, then loads files.
func (l *lintLoader) load(ctx context.Context, base, files []migrate.File) (_ []*sqlcheck.File, from, to *schema.Realm, err error) {
	name := "atlas_lint"
	if s := l.dev.URL.Schema; s != "" {
		name += "_" + s
	}
	unlock, err := l.dev.Driver.Lock(ctx, name, 0)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("acquiring database lock: %w", err)
	}
	defer func() { _ = unlock() }()
	restore, err := l.dev.Driver.Snapshot(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("taking database snapshot: %w", err)
	}
	defer func() {
		if err2 := restore(ctx); err2 != nil {
			err = errors.Join(err, fmt.Errorf("restore dev-database snapshot: %w", err2))
		}
	}()
	for _, f := range base {
		stmts, err := l.stmts(f)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, s := range stmts {
			if _, err := l.dev.ExecContext(ctx, s.Text); err != nil {
				return nil, nil, nil, &lintFileError{File: f.Name(), Err: fmt.Errorf("executing statement: %w", err), Pos: s.Pos}
			}
		}
	}
	current, err := l.inspect(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	from = current
	out := make([]*sqlcheck.File, len(files))
	for i, f := range files {
		out[i] = &sqlcheck.File{File: f, From: current}
		stmts, err := l.stmts(f)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(base) == 0 && i == 0 && len(stmts) > maxFirstFileStmts {
			current, err = l.whole(ctx, out[i], stmts, current)
		} else {
			current, err = l.byStmt(ctx, out[i], stmts, current)
		}
		if err != nil {
			return nil, nil, nil, err
		}
		out[i].To = current
	}
	return out, from, current, nil
}

func (l *lintLoader) stmts(f migrate.File) ([]*migrate.Stmt, error) {
	stmts, err := migrate.FileStmtDecls(l.dev.Driver, f)
	if err != nil {
		return nil, &lintFileError{File: f.Name(), Err: fmt.Errorf("scanning statements: %w", err)}
	}
	return stmts, nil
}

// whole executes a file at once and records its changes as one change.
func (l *lintLoader) whole(ctx context.Context, f *sqlcheck.File, stmts []*migrate.Stmt, start *schema.Realm) (*schema.Realm, error) {
	for _, s := range stmts {
		if _, err := l.dev.ExecContext(ctx, s.Text); err != nil {
			return nil, &lintFileError{File: f.Name(), Err: fmt.Errorf("executing statement: %s: %w", s.Text, err), Pos: s.Pos}
		}
	}
	current, err := l.inspect(ctx)
	if err != nil {
		return nil, err
	}
	changes, err := l.dev.RealmDiff(start, current)
	if err != nil {
		return nil, fmt.Errorf("diff %s: %w", f.Name(), err)
	}
	f.Changes = append(f.Changes, &sqlcheck.Change{Changes: changes, Stmt: &migrate.Stmt{Pos: 0}})
	f.Sum = changes
	return current, nil
}

// byStmt executes a file statement by statement, recording each one's changes.
func (l *lintLoader) byStmt(ctx context.Context, f *sqlcheck.File, stmts []*migrate.Stmt, start *schema.Realm) (*schema.Realm, error) {
	current := start
	for _, s := range stmts {
		if _, err := l.dev.ExecContext(ctx, s.Text); err != nil {
			return nil, &lintFileError{File: f.Name(), Err: fmt.Errorf("executing statement: %s: %w", s.Text, err), Pos: s.Pos}
		}
		next, err := l.inspect(ctx)
		if err != nil {
			return nil, err
		}
		changes, err := l.dev.RealmDiff(current, next)
		if err != nil {
			return nil, fmt.Errorf("diff %s: %w", f.Name(), err)
		}
		current = next
		f.Changes = append(f.Changes, &sqlcheck.Change{Stmt: s, Changes: changes})
	}
	sum, err := l.dev.RealmDiff(start, current)
	if err != nil {
		return nil, fmt.Errorf("diff %s: %w", f.Name(), err)
	}
	f.Sum = sum
	return current, nil
}

// inspect returns the dev database's realm, limited to the URL's schema if any.
func (l *lintLoader) inspect(ctx context.Context) (*schema.Realm, error) {
	if l.dev.URL.Schema == "" {
		r, err := l.dev.InspectRealm(ctx, &schema.InspectRealmOption{})
		if err != nil {
			return nil, fmt.Errorf("inspect dev database: %w", err)
		}
		return r, nil
	}
	s, err := l.dev.InspectSchema(ctx, "", &schema.InspectOptions{})
	if err != nil {
		return nil, fmt.Errorf("inspect dev database: %w", err)
	}
	if s.Name == "" {
		s.Name = l.dev.URL.Schema
	}
	if s.Realm == nil {
		s.Realm = schema.NewRealm(s)
	}
	return s.Realm, nil
}
