package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
)

type (
	// applyReport records a `migrate apply` run; it is the data of --format
	// templates, with the field names and JSON of Atlas's report.
	applyReport struct {
		reportEnv
		Pending fileList       `json:"Pending,omitempty"`
		Applied []*appliedFile `json:"Applied,omitempty"`
		Current string         `json:"Current,omitempty"`
		Target  string         `json:"Target,omitempty"`
		Start   time.Time
		End     time.Time
		// Error is set also when not caused by a statement (e.g. a commit failed).
		Error string `json:"Error,omitempty"`
	}

	// appliedFile is one file of an apply run.
	appliedFile struct {
		migrate.File
		Start   time.Time
		End     time.Time
		Skipped int        // statements skipped in a partially applied file
		Applied []string   // statements applied successfully
		Error   *stmtError // the failing statement, if any
	}

	// stmtError pairs a statement with its execution error.
	stmtError struct {
		Stmt string `json:"Stmt,omitempty"`
		Text string `json:"Text,omitempty"`
	}
)

var _ migrate.Logger = (*applyReport)(nil)

// Log implements migrate.Logger.
func (a *applyReport) Log(e migrate.LogEntry) {
	switch e := e.(type) {
	case migrate.LogExecution:
		if a.Start.IsZero() {
			a.Start = time.Now()
		}
		a.Current, a.Target, a.Pending = e.From, e.To, e.Files
	case migrate.LogFile:
		if n := len(a.Applied); n > 0 {
			a.Applied[n-1].End = time.Now()
		}
		a.Applied = append(a.Applied, &appliedFile{File: e.File, Start: time.Now(), Skipped: e.Skip})
	case migrate.LogStmt:
		f := a.Applied[len(a.Applied)-1]
		f.Applied = append(f.Applied, e.SQL)
	case migrate.LogError:
		a.End = time.Now()
		if n := len(a.Applied); n > 0 {
			f := a.Applied[n-1]
			f.End = a.End
			f.Error = &stmtError{Stmt: e.SQL, Text: e.Error.Error()}
		} else {
			a.Error = e.Error.Error()
		}
	case migrate.LogDone:
		now := time.Now()
		if n := len(a.Applied); n > 0 {
			a.Applied[n-1].End = now
		}
		a.End = now
	}
}

// Header is the first line of the default output.
func (a *applyReport) Header() string {
	if len(a.Pending) == 0 {
		return "No migration files to execute"
	}
	from := ""
	if a.Current != "" {
		from = " from " + a.Current
	}
	return fmt.Sprintf("Migrating to version %s%s (%d migrations in total):", a.Target, from, len(a.Pending))
}

// Summary is the footer of the default output, lines joined with indent.
func (a *applyReport) Summary(indent string) string {
	var passedF, failedF, passedS, failedS int
	for _, f := range a.Applied {
		passedS += len(f.Applied)
		if f.Error != nil {
			failedF++
			passedS--
			failedS++
		} else {
			passedF++
		}
	}
	lines := []string{a.End.Sub(a.Start).String()}
	switch {
	case passedF > 0 && failedF > 0:
		lines = append(lines, fmt.Sprintf("%d migration%s ok, %d with errors", passedF, plural(passedF), failedF))
	case passedF > 0:
		lines = append(lines, fmt.Sprintf("%d migration%s", passedF, plural(passedF)))
	case failedF > 0:
		lines = append(lines, fmt.Sprintf("%d migration%s with errors", failedF, plural(failedF)))
	}
	switch {
	case passedS > 0 && failedS > 0:
		lines = append(lines, fmt.Sprintf("%d sql statement%s ok, %d with errors", passedS, plural(passedS), failedS))
	case passedS > 0:
		lines = append(lines, fmt.Sprintf("%d sql statement%s", passedS, plural(passedS)))
	case failedS > 0:
		lines = append(lines, fmt.Sprintf("%d sql statement%s with errors", failedS, plural(failedS)))
	}
	for i := range lines {
		lines[i] = "-- " + lines[i]
	}
	return strings.Join(lines, "\n"+indent)
}

// writeText writes Atlas's default (human-readable) apply output.
func (a *applyReport) writeText(w io.Writer) error {
	var b strings.Builder
	if len(a.Pending) == 0 {
		b.WriteString("No migration files to execute\n")
	} else {
		b.WriteString(a.Header() + "\n")
		for _, f := range a.Applied {
			fmt.Fprintf(&b, "\n  -- migrating version %s\n", f.Version())
			for _, s := range f.Applied {
				fmt.Fprintf(&b, "    -> %s\n", indentLn(s, 7))
			}
			if f.Error != nil {
				fmt.Fprintf(&b, "    %s\n", f.Error.Text)
			} else {
				fmt.Fprintf(&b, "  -- ok (%s)\n", f.End.Sub(f.Start))
			}
		}
		if len(a.Applied) == 0 {
			b.WriteString("\n")
			if a.Error != "" {
				fmt.Fprintf(&b, "    %s\n", a.Error)
			}
		}
		b.WriteString("\n  -------------------------\n")
		fmt.Fprintf(&b, "  %s\n", a.Summary("  "))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write apply report: %w", err)
	}
	return nil
}

// MarshalJSON adds Atlas's summary Message.
func (a *applyReport) MarshalJSON() ([]byte, error) {
	type alias applyReport
	v := struct {
		*alias
		Message string `json:"Message,omitempty"`
	}{alias: (*alias)(a)}
	switch {
	case a.Error != "":
	case len(a.Applied) == 0:
		v.Message = "No migration files to execute"
	default:
		v.Message = fmt.Sprintf("Migrated to version %s from %s (%d migrations in total)", a.Target, a.Current, len(a.Pending))
	}
	return json.Marshal(v)
}

// MarshalJSON writes a file as Atlas does.
func (f *appliedFile) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name        string     `json:"Name,omitempty"`
		Version     string     `json:"Version,omitempty"`
		Description string     `json:"Description,omitempty"`
		Start       time.Time  `json:"Start,omitempty"`
		End         time.Time  `json:"End,omitempty"`
		Skipped     int        `json:"Skipped,omitempty"`
		Stmts       []string   `json:"Applied,omitempty"`
		Error       *stmtError `json:"Error,omitempty"`
	}{f.Name(), f.Version(), f.Desc(), f.Start, f.End, f.Skipped, f.Applied, f.Error})
}
