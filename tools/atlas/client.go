package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"ariga.io/atlas/sql/sqlclient"
)

// openClient opens a database URL, requiring one.
func openClient(ctx context.Context, u string) (*sqlclient.Client, error) {
	if u == "" {
		return nil, errors.New(`required flag "url" not set`)
	}
	c, err := sqlclient.Open(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return c, nil
}

// checkRevisionSchemaClarity refuses, like Atlas, to guess where the revision
// table is when the URL is bound to a schema without one, but the old default
// schema (atlas_schema_revisions) has one and --revisions-schema is not given.
func checkRevisionSchemaClarity(ctx context.Context, out io.Writer, c *sqlclient.Client, flag string) error {
	if c.URL.Schema == "" || flag != "" {
		return nil
	}
	if ok, err := revisionTableExists(ctx, c, c.URL.Schema); err != nil || ok {
		return err
	}
	ok, err := revisionTableExists(ctx, c, defaultRevisionSchema)
	if err != nil || !ok {
		return err
	}
	fmt.Fprint(out, `We couldn't find a revision table in the connected schema but found one in 
the schema 'atlas_schema_revisions' and cannot determine the desired behavior.

As a safety guard, we require you to specify whether to use the existing
table in 'atlas_schema_revisions' or create a new one in the connected schema
by providing the '--revisions-schema' flag or deleting the 'atlas_schema_revisions'
schema if it is unused.

`)
	return silentError{errors.New("ambiguous revision table")}
}

// revisionsSession is a connection holding Atlas's migration lock, with the
// revisions table created in its schema. close releases the lock and the
// connection.
type revisionsSession struct {
	client *sqlclient.Client
	schema string
	rrw    *revisions
	unlock func() error
}

// openRevisionsSession connects to url, takes the migration lock (waiting up
// to lockTimeout), and prepares the revisions table, as migrate apply and
// migrate set both need.
func openRevisionsSession(ctx context.Context, out io.Writer, url, schemaFlag string, lockTimeout time.Duration) (*revisionsSession, error) {
	client, err := openClient(ctx, url)
	if err != nil {
		return nil, err
	}
	unlock, err := client.Driver.Lock(ctx, applyLockName, lockTimeout)
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("acquiring database lock: %w", err)
	}
	s := &revisionsSession{client: client, unlock: unlock}
	if err := checkRevisionSchemaClarity(ctx, out, client, schemaFlag); err != nil {
		s.close()
		return nil, err
	}
	s.schema = revisionSchemaName(client, schemaFlag)
	if s.rrw, err = newRevisions(ctx, client.Driver, s.schema); err != nil {
		s.close()
		return nil, err
	}
	if err := s.rrw.Migrate(ctx); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// close releases the lock, then the connection.
func (s *revisionsSession) close() error {
	err := s.unlock()
	s.client.Close()
	if err != nil {
		return fmt.Errorf("release database lock: %w", err)
	}
	return nil
}
