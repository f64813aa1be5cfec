package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"ariga.io/atlas/sql/sqlcheck"
	"ariga.io/atlas/sql/sqlclient"
)

type (
	// lintSummary is the data of `migrate lint --format` templates, with
	// the field names and JSON of Atlas's SummaryReport.
	lintSummary struct {
		URL string `json:"URL,omitempty"`
		Env struct {
			Driver string         `json:"Driver,omitempty"`
			URL    *sqlclient.URL `json:"URL,omitempty"`
			Dir    string         `json:"Dir,omitempty"`
		}
		Schema struct {
			Current string `json:"Current,omitempty"`
			Desired string `json:"Desired,omitempty"`
		}
		Steps      []*lintStep       `json:"Steps,omitempty"`
		Files      []*lintFileReport `json:"Files,omitempty"`
		Start      time.Time         `json:"-"`
		End        time.Time         `json:"-"`
		FromV, ToV string            `json:"-"`
		TotalFiles int               `json:"-"`
	}

	// lintStep is one step of the analysis.
	lintStep struct {
		Name   string          `json:"Name,omitempty"`
		Text   string          `json:"Text,omitempty"`
		Error  string          `json:"Error,omitempty"`
		Result *lintFileReport `json:"Result,omitempty"`
	}

	// lintFileReport is the analysis of one file.
	lintFileReport struct {
		Name           string            `json:"Name,omitempty"`
		Text           string            `json:"Text,omitempty"`
		Reports        []sqlcheck.Report `json:"Reports,omitempty"`
		Error          string            `json:"Error,omitempty"`
		Change         string            `json:"Change,omitempty"`
		Start          time.Time         `json:"-"`
		End            time.Time         `json:"-"`
		*sqlcheck.File `json:"-"`
	}
)

func (r *lintSummary) stepResult(name, text string, result *lintFileReport) {
	if result != nil {
		result.End = time.Now()
	}
	r.Steps = append(r.Steps, &lintStep{Name: name, Text: text, Result: result})
}

func (r *lintSummary) stepError(name, text string, err error) error {
	r.Steps = append(r.Steps, &lintStep{Name: name, Text: text, Error: err.Error()})
	return err
}

// DiagnosticsCount returns the number of diagnostics of all files.
func (r *lintSummary) DiagnosticsCount() int {
	var n int
	for _, f := range r.Files {
		for _, rep := range f.Reports {
			n += len(rep.Diagnostics)
		}
	}
	return n
}

// VersionStatuses summarizes the files as ok, with warnings or with errors.
func (r *lintSummary) VersionStatuses() string {
	var ok, warns, errs int
	for _, f := range r.Files {
		switch {
		case f.Error != "":
			errs++
		case len(f.Reports) > 0:
			warns++
		default:
			ok++
		}
	}
	var parts []string
	for _, s := range []struct {
		n    int
		text string
	}{{ok, "ok"}, {warns, "with warnings"}, {errs, "with errors"}} {
		switch {
		case s.n == 0:
		case len(parts) == 0 && s.n == 1:
			parts = append(parts, "1 version "+s.text)
		case len(parts) == 0:
			parts = append(parts, fmt.Sprintf("%d versions %s", s.n, s.text))
		default:
			parts = append(parts, fmt.Sprintf("%d %s", s.n, s.text))
		}
	}
	return strings.Join(parts, ", ")
}

// TotalChanges returns the number of schema changes analyzed.
func (r *lintSummary) TotalChanges() int {
	var n int
	for _, f := range r.Files {
		if f.File != nil {
			for _, c := range f.File.Changes {
				n += len(c.Changes)
			}
		}
	}
	return n
}

// version is the file's version, also when only its name is known.
func (f *lintFileReport) version() string {
	if f.File != nil {
		return f.Version()
	}
	return strings.TrimSuffix(strings.SplitN(f.Name, "_", 2)[0], ".sql")
}

// Line returns the line of a position in the file.
func (f *lintFileReport) Line(pos int) int {
	if pos > len(f.Text) {
		pos = len(f.Text)
	}
	return strings.Count(f.Text[:pos], "\n") + 1
}

// SuggestedFixes returns the report- and diagnostic-level fixes with a message.
func (f *lintFileReport) SuggestedFixes() []sqlcheck.SuggestedFix {
	var fixes []sqlcheck.SuggestedFix
	for _, r := range f.Reports {
		for _, x := range r.SuggestedFixes {
			if x.Message != "" {
				fixes = append(fixes, x)
			}
		}
		for _, d := range r.Diagnostics {
			for _, x := range d.SuggestedFixes {
				if x.Message != "" {
					fixes = append(fixes, x)
				}
			}
		}
	}
	return fixes
}

// WriteReport implements sqlcheck.ReportWriter.
func (f *lintFileReport) WriteReport(r sqlcheck.Report) { f.Reports = append(f.Reports, r) }

// wrapWords splits s into lines of at most width characters (not counting spaces).
func wrapWords(s string, width int) []string {
	words := strings.Fields(s)
	var (
		lines   []string
		from, n int
	)
	for i, w := range words {
		if n+len(w) > width {
			lines = append(lines, strings.Join(words[from:i], " "))
			from, n = i, 0
		}
		n += len(w)
	}
	return append(lines, strings.Join(words[from:], " "))
}

// writeWrapped writes text after prefix, wrapping it with indent.
func writeWrapped(b *strings.Builder, prefix, indent, text string) {
	b.WriteString(prefix)
	for i, line := range wrapWords(text, 85-len(prefix)) {
		if i > 0 {
			b.WriteString(indent)
		}
		b.WriteString(line + "\n")
	}
}

// writeText writes Atlas's default (human-readable) lint output.
func (r *lintSummary) writeText(w io.Writer) error {
	var b strings.Builder
	if len(r.Files) > 0 {
		total := len(r.Files)
		if r.TotalFiles > 0 {
			total = r.TotalFiles
		}
		switch {
		case r.FromV != "" && r.ToV != "":
			fmt.Fprintf(&b, "Analyzing changes from version %s to %s", r.FromV, r.ToV)
		case r.ToV != "":
			fmt.Fprintf(&b, "Analyzing changes until version %s", r.ToV)
		default:
			b.WriteString("Analyzing changes")
		}
		if total > 0 {
			s := "s"
			if total == 1 {
				s = ""
			}
			fmt.Fprintf(&b, " (%d migration%s in total):\n", total, s)
		} else {
			b.WriteString(":\n")
		}
		b.WriteString("\n")
		for i, f := range r.Files {
			if f.Error != "" && f.File == nil && i == len(r.Files)-1 {
				fmt.Fprintf(&b, "  Error: %s\n\n", f.Error)
				break
			}
			fmt.Fprintf(&b, "  -- analyzing version %s\n", f.version())
			if f.Error != "" && len(f.Reports) == 0 {
				fmt.Fprintf(&b, "    Error: %s\n\n", f.Error)
				continue
			}
			for _, rep := range f.Reports {
				switch {
				case rep.Text != "":
					fmt.Fprintf(&b, "    -- %s:\n", rep.Text)
				case len(rep.Diagnostics) > 0:
					b.WriteString("    -- Unnamed diagnostics detected:\n")
				}
				for _, d := range rep.Diagnostics {
					text := d.Text
					if d.Code != "" {
						text += " https://atlasgo.io/lint/analyzers#" + d.Code
					}
					writeWrapped(&b, fmt.Sprintf("      -- L%d: ", f.Line(d.Pos)), "         ", text)
				}
			}
			if len(f.Reports) == 0 {
				b.WriteString("    -- no diagnostics found\n")
			}
			if fixes := f.SuggestedFixes(); len(fixes) > 0 {
				s := "es"
				if len(fixes) == 1 {
					s = ""
				}
				fmt.Fprintf(&b, "    -- suggested fix%s:\n", s)
				for _, x := range fixes {
					writeWrapped(&b, "      -> ", "         ", x.Message)
				}
			}
			fmt.Fprintf(&b, "  -- ok (%s)\n\n", f.End.Sub(f.Start))
		}
		b.WriteString("  -------------------------\n")
		fmt.Fprintf(&b, "  -- %s\n", r.End.Sub(r.Start))
		if s := r.VersionStatuses(); s != "" {
			fmt.Fprintf(&b, "  -- %s\n", s)
		}
		if n := r.TotalChanges(); n > 0 {
			fmt.Fprintf(&b, "  -- %d schema change%s\n", n, plural(n))
		}
		if n := r.DiagnosticsCount(); n > 0 {
			fmt.Fprintf(&b, "  -- %d diagnostic%s\n", n, plural(n))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write lint report: %w", err)
	}
	return nil
}
