package main

import (
	"context"
	"errors"
	"fmt"
	"io"

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
