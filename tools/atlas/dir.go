package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"ariga.io/atlas/sql/migrate"
)

// openDir opens the migration directory of a --dir URL. Only local
// directories (file://) in the Atlas format are supported. With create, a
// missing directory is created, as `atlas migrate diff` does.
func openDir(dirURL, dirFormat string, create bool) (*migrate.LocalDir, error) {
	u, err := url.Parse(dirURL)
	if err != nil {
		return nil, fmt.Errorf("parse dir-url %q: %w", dirURL, err)
	}
	format := u.Query().Get("format")
	if format == "" {
		format = dirFormat
	}
	if format != "" && format != "atlas" {
		return nil, fmt.Errorf("unknown dir format %q: this build supports only the atlas format", format)
	}
	p := filepath.Join(u.Host, u.Path)
	switch u.Scheme {
	case "file":
		if p == "" {
			p = "migrations"
		}
	case "":
		return nil, fmt.Errorf("missing scheme for dir url. Did you mean %q? ", "file://"+u.Path)
	default:
		return nil, fmt.Errorf("unsupported driver %q: this build reads only local migration directories (file://)", u.Scheme)
	}
	dir, err := migrate.NewLocalDir(p)
	if create && errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return nil, fmt.Errorf("create migration directory: %w", err)
		}
		dir, err = migrate.NewLocalDir(p)
	}
	if err != nil {
		return nil, fmt.Errorf("open migration directory: %w", err)
	}
	return dir, nil
}

// checkDir validates the directory against its atlas.sum, printing Atlas's
// checksum error explanation to out when they differ.
func checkDir(out io.Writer, dir migrate.Dir) error {
	if err := migrate.Validate(dir); err != nil {
		printChecksumError(out, err)
		return err
	}
	return nil
}

// printChecksumError writes the explanation Atlas prints for a checksum error.
func printChecksumError(out io.Writer, err error) {
	fmt.Fprintln(out, "You have a checksum error in your migration directory.")
	if csErr := (&migrate.ChecksumError{}); errors.As(err, &csErr) {
		fmt.Fprintf(out, "\n\tL%d: %s was %s\n\n", csErr.Line, csErr.File, csErr.Reason)
	}
	fmt.Fprintf(out, "Please check your migration files and run %v to re-hash the contents\n\n", "'atlas migrate hash'")
}
