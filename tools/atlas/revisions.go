package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlclient"
)

const (
	// revisionTable is the name of Atlas's revision history table.
	revisionTable = "atlas_schema_revisions"
	// defaultRevisionSchema holds the table when the URL is not bound to a schema.
	defaultRevisionSchema = "atlas_schema_revisions"
	// revisionIDVersion is the row Atlas Cloud uses to identify a target; it is never a revision.
	revisionIDVersion = ".atlas_cloud_identifier"
)

// revisions reads and writes Atlas's revision table (the columns and types
// the Atlas CLI's Ent schema creates on PostgreSQL) through a connection or
// a transaction.
type revisions struct {
	conn   schema.ExecQuerier
	schema string
}

var _ migrate.RevisionReadWriter = (*revisions)(nil)

// revisionSchemaName resolves where the revision table lives, as Atlas does:
// the --revisions-schema flag, else the URL's schema, else atlas_schema_revisions.
func revisionSchemaName(c *sqlclient.Client, flag string) string {
	switch {
	case flag != "":
		return flag
	case c.URL.Schema != "":
		return c.URL.Schema
	default:
		return defaultRevisionSchema
	}
}

// newRevisions returns the revision table of schema name, creating the schema
// when it is missing (as the Atlas CLI does before using the table).
func newRevisions(ctx context.Context, conn schema.ExecQuerier, name string) (*revisions, error) {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE SCHEMA IF NOT EXISTS %s", quoteIdent(name))); err != nil {
		return nil, fmt.Errorf("create revisions schema %q: %w", name, err)
	}
	return &revisions{conn: conn, schema: name}, nil
}

func (r *revisions) table() string { return quoteIdent(r.schema) + "." + quoteIdent(revisionTable) }

// Migrate creates the revision table when it does not exist.
func (r *revisions) Migrate(ctx context.Context) error {
	stmt := fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (`+
		`"version" character varying NOT NULL, `+
		`"description" character varying NOT NULL, `+
		`"type" bigint NOT NULL DEFAULT 2, `+
		`"applied" bigint NOT NULL DEFAULT 0, `+
		`"total" bigint NOT NULL DEFAULT 0, `+
		`"executed_at" timestamptz NOT NULL, `+
		`"execution_time" bigint NOT NULL, `+
		`"error" text NULL, `+
		`"error_stmt" text NULL, `+
		`"hash" character varying NOT NULL, `+
		`"partial_hashes" jsonb NULL, `+
		`"operator_version" character varying NOT NULL, `+
		`PRIMARY KEY ("version"))`, r.table())
	if _, err := r.conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("create revisions table in schema %q: %w", r.schema, err)
	}
	return nil
}

// Ident implements migrate.RevisionReadWriter.
func (r *revisions) Ident() *migrate.TableIdent {
	return &migrate.TableIdent{Name: revisionTable, Schema: r.schema}
}

const revisionColumns = `"version", "description", "type", "applied", "total", "executed_at", "execution_time", "error", "error_stmt", "hash", "partial_hashes", "operator_version"`

// ReadRevisions implements migrate.RevisionReadWriter.
func (r *revisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	rows, err := r.conn.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE "version" <> $1 ORDER BY "version"`, revisionColumns, r.table()), revisionIDVersion)
	if err != nil {
		return nil, fmt.Errorf("read revisions: %w", err)
	}
	defer rows.Close()
	var revs []*migrate.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read revisions: %w", err)
	}
	return revs, nil
}

// ReadRevision implements migrate.RevisionReadWriter.
func (r *revisions) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	if version == revisionIDVersion {
		return nil, errors.New("cannot read revision-table identifier as revision")
	}
	rows, err := r.conn.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE "version" = $1`, revisionColumns, r.table()), version)
	if err != nil {
		return nil, fmt.Errorf("read revision %q: %w", version, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read revision %q: %w", version, err)
		}
		return nil, migrate.ErrRevisionNotExist
	}
	return scanRevision(rows)
}

// CurrentRevision returns the latest revision, or migrate.ErrRevisionNotExist.
func (r *revisions) CurrentRevision(ctx context.Context) (*migrate.Revision, error) {
	revs, err := r.ReadRevisions(ctx)
	if err != nil {
		return nil, err
	}
	if len(revs) == 0 {
		return nil, migrate.ErrRevisionNotExist
	}
	return revs[len(revs)-1], nil
}

// WriteRevision implements migrate.RevisionReadWriter. Like the Atlas CLI's
// upsert, description and executed_at keep the values of the first write.
func (r *revisions) WriteRevision(ctx context.Context, rev *migrate.Revision) error {
	if rev.Version == revisionIDVersion {
		return errors.New("writing the revision-table identifier is not allowed")
	}
	// As with the Atlas CLI, error columns hold '' and partial_hashes the
	// JSON null when there is nothing to record.
	partial, err := json.Marshal(rev.PartialHashes)
	if err != nil {
		return fmt.Errorf("encode partial hashes: %w", err)
	}
	stmt := fmt.Sprintf(`INSERT INTO %s (%s) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) `+
		`ON CONFLICT ("version") DO UPDATE SET "type" = EXCLUDED."type", "applied" = EXCLUDED."applied", "total" = EXCLUDED."total", `+
		`"execution_time" = EXCLUDED."execution_time", "error" = EXCLUDED."error", "error_stmt" = EXCLUDED."error_stmt", "hash" = EXCLUDED."hash", `+
		`"partial_hashes" = EXCLUDED."partial_hashes", "operator_version" = EXCLUDED."operator_version"`, r.table(), revisionColumns)
	if _, err := r.conn.ExecContext(ctx, stmt,
		rev.Version, rev.Description, int64(rev.Type), rev.Applied, rev.Total, rev.ExecutedAt, int64(rev.ExecutionTime),
		rev.Error, rev.ErrorStmt, rev.Hash, string(partial), rev.OperatorVersion,
	); err != nil {
		return fmt.Errorf("write revision %q: %w", rev.Version, err)
	}
	return nil
}

// DeleteRevision implements migrate.RevisionReadWriter.
func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	if version == revisionIDVersion {
		return errors.New("deleting the revision-table identifier is not allowed")
	}
	if _, err := r.conn.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE "version" = $1`, r.table()), version); err != nil {
		return fmt.Errorf("delete revision %q: %w", version, err)
	}
	return nil
}

func scanRevision(rows *sql.Rows) (*migrate.Revision, error) {
	var (
		rev              migrate.Revision
		typ, execTime    int64
		errText, errStmt sql.NullString
		partial          []byte
		executedAt       time.Time
	)
	if err := rows.Scan(&rev.Version, &rev.Description, &typ, &rev.Applied, &rev.Total, &executedAt, &execTime,
		&errText, &errStmt, &rev.Hash, &partial, &rev.OperatorVersion); err != nil {
		return nil, fmt.Errorf("scan revision: %w", err)
	}
	rev.Type = migrate.RevisionType(typ)
	rev.ExecutedAt = executedAt
	rev.ExecutionTime = time.Duration(execTime)
	rev.Error, rev.ErrorStmt = errText.String, errStmt.String
	if len(partial) > 0 {
		if err := json.Unmarshal(partial, &rev.PartialHashes); err != nil {
			return nil, fmt.Errorf("decode partial hashes of revision %q: %w", rev.Version, err)
		}
	}
	return &rev, nil
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string {
	b := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return string(append(b, '"'))
}

// revisionTableExists reports whether schema name holds the revision table.
func revisionTableExists(ctx context.Context, c *sqlclient.Client, name string) (bool, error) {
	s, err := c.InspectSchema(ctx, name, &schema.InspectOptions{Tables: []string{revisionTable}, Mode: schema.InspectTables})
	switch {
	case schema.IsNotExistError(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("inspect schema %q: %w", name, err)
	default:
		_, ok := s.Table(revisionTable)
		return ok, nil
	}
}
