package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlclient"
)

// desiredState is the desired schema of `migrate diff --to`.
type desiredState struct {
	migrate.StateReader
	schema string       // the schema the state is bound to, if any
	close  func() error // releases the state's connection, if any
}

func (s *desiredState) Close() error {
	if s.close != nil {
		return s.close()
	}
	return nil
}

// loadDesiredState reads the --to URLs: one SQL schema file, a directory of
// SQL schema files, a migration directory (file://), or a database URL.
func loadDesiredState(ctx context.Context, urls []string, dev *sqlclient.Client, schemas []string) (*desiredState, error) {
	if len(urls) == 0 {
		return nil, errors.New("at least one url is required")
	}
	if len(urls) > 1 {
		return nil, fmt.Errorf("this build reads the desired state from exactly one --to URL, got %d", len(urls))
	}
	raw := urls[0]
	if !strings.Contains(raw, "://") {
		if _, err := os.Stat(raw); err == nil {
			return nil, fmt.Errorf("missing scheme. Did you mean file://%s?", raw)
		}
		return nil, errors.New("missing scheme. See: https://atlasgo.io/url")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parse --to url: %w", err)
	}
	if u.Scheme != "file" {
		return openDatabaseState(ctx, raw, schemas)
	}
	path := filepath.Join(u.Host, u.Path)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read desired state: %w", err)
	}
	if dev == nil {
		return nil, errors.New("--dev-url cannot be empty. See: https://atlasgo.io/atlas-schema/sql#dev-database")
	}
	switch {
	case !fi.IsDir():
		if ext := filepath.Ext(path); ext != ".sql" {
			return nil, unsupportedSchemaFile(path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read schema file: %w", err)
		}
		return schemaFilesState(ctx, dev, schemas, migrate.NewLocalFile(fi.Name(), b))
	case isSchemaDir(u, path):
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, fmt.Errorf("read schema directory: %w", err)
		}
		var files []migrate.File
		for _, e := range entries {
			switch ext := filepath.Ext(e.Name()); {
			case e.IsDir():
			case ext == ".hcl":
				return nil, unsupportedSchemaFile(filepath.Join(path, e.Name()))
			case ext == ".sql":
				b, err := os.ReadFile(filepath.Join(path, e.Name()))
				if err != nil {
					return nil, fmt.Errorf("read schema file: %w", err)
				}
				files = append(files, migrate.NewLocalFile(e.Name(), b))
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%q contains neither SQL nor HCL files", filepath.Base(path))
		}
		return schemaFilesState(ctx, dev, schemas, files...)
	default:
		dir, err := openDir(raw, "", false)
		if err != nil {
			return nil, err
		}
		var opts []migrate.ReplayOption
		if v := u.Query().Get("version"); v != "" {
			opts = append(opts, migrate.ReplayToVersion(v))
		}
		realm, err := replayState(ctx, dev, schemas, dir, nil, opts...)
		if err != nil {
			return nil, err
		}
		return &desiredState{StateReader: migrate.Realm(realm), schema: dev.URL.Schema}, nil
	}
}

func unsupportedSchemaFile(path string) error {
	if filepath.Ext(path) == ".hcl" {
		return fmt.Errorf("HCL schema files are not supported by this build (Golden Path for Go): describe the desired state in SQL (%s)", path)
	}
	return fmt.Errorf("unknown schema file: %q", path)
}

// isSchemaDir reports whether a directory holds schema files rather than
// migrations: it has no atlas.sum and is not named or marked as migrations.
func isSchemaDir(u *url.URL, path string) bool {
	if q := u.Query(); q.Has("version") || q.Has("format") || filepath.Base(path) == "migrations" {
		return false
	}
	_, err := os.Stat(filepath.Join(path, migrate.HashFileName))
	return errors.Is(err, os.ErrNotExist)
}

// schemaFilesState executes schema files in a clean state on the dev
// database and returns the resulting schema.
func schemaFilesState(ctx context.Context, dev *sqlclient.Client, schemas []string, files ...migrate.File) (*desiredState, error) {
	if bytes.Contains(files[0].Bytes(), []byte("-- atlas:import ")) {
		return nil, errors.New("atlas:import directive is not supported by this build")
	}
	dir := &migrate.MemDir{}
	for _, f := range files {
		if err := dir.WriteFile(f.Name(), f.Bytes()); err != nil {
			return nil, fmt.Errorf("stage schema file %s: %w", f.Name(), err)
		}
	}
	sum, err := dir.Checksum()
	if err != nil {
		return nil, fmt.Errorf("hash schema files: %w", err)
	}
	if err := migrate.WriteSumFile(dir, sum); err != nil {
		return nil, fmt.Errorf("hash schema files: %w", err)
	}
	log := &stmtErrorLog{}
	realm, err := replayState(ctx, dev, schemas, dir, []migrate.ExecutorOption{migrate.WithLogger(log)})
	if n := len(log.files); err != nil && n > 0 && log.stmt != "" && log.text != "" {
		err = fmt.Errorf("read state from %q: executing statement: %q: %s", log.files[n-1], log.stmt, log.text)
	}
	if err != nil {
		return nil, err
	}
	return &desiredState{StateReader: migrate.Realm(realm), schema: dev.URL.Schema}, nil
}

// replayState replays dir on the dev database and inspects the result.
func replayState(ctx context.Context, dev *sqlclient.Client, schemas []string, dir migrate.Dir, exOpts []migrate.ExecutorOption, opts ...migrate.ReplayOption) (*schema.Realm, error) {
	ex, err := migrate.NewExecutor(dev.Driver, dir, migrate.NopRevisionReadWriter{}, exOpts...)
	if err != nil {
		return nil, fmt.Errorf("create executor: %w", err)
	}
	var reader migrate.StateReader = migrate.RealmConn(dev, &schema.InspectRealmOption{Schemas: schemas})
	if dev.URL.Schema != "" {
		reader = migrate.SchemaConn(dev, "", &schema.InspectOptions{})
	}
	realm, err := ex.Replay(ctx, reader, opts...)
	if err != nil && !errors.Is(err, migrate.ErrNoPendingFiles) {
		return nil, err
	}
	return realm, nil
}

// stmtErrorLog remembers the executed files and the failing statement.
type stmtErrorLog struct {
	files      []string
	stmt, text string
}

func (l *stmtErrorLog) Log(e migrate.LogEntry) {
	switch e := e.(type) {
	case migrate.LogFile:
		l.files = append(l.files, e.File.Name())
	case migrate.LogError:
		l.stmt, l.text = e.SQL, e.Error.Error()
	}
}

// openDatabaseState inspects a live database as the desired state.
func openDatabaseState(ctx context.Context, raw string, schemas []string) (*desiredState, error) {
	c, err := sqlclient.Open(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("open --to database: %w", err)
	}
	var reader migrate.StateReader = migrate.RealmConn(c.Driver, &schema.InspectRealmOption{Schemas: schemas})
	if c.URL.Schema != "" {
		reader = migrate.SchemaConn(c.Driver, c.URL.Schema, &schema.InspectOptions{})
	}
	return &desiredState{StateReader: reader, schema: c.URL.Schema, close: c.Close}, nil
}
