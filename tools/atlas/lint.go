package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqlcheck"
	"ariga.io/atlas/sql/sqlclient"
	"github.com/spf13/cobra"
)

type migrateLintFlags struct {
	dirURL, dirFormat string
	devURL            string
	format            string
	latest            uint
	gitBase, gitDir   string
}

func newMigrateLintCmd() *cobra.Command {
	var flags migrateLintFlags
	cmd := &cobra.Command{
		Use:   "lint [flags]",
		Short: "Run analysis on the migration directory",
		Example: `  atlas migrate lint --dir file://migrations --dev-url "postgres://postgres@localhost:5432/dev?sslmode=disable" --latest 1
  atlas migrate lint --dir file://migrations --dev-url "postgres://postgres@localhost:5432/dev?sslmode=disable" --latest 1 --format '{{ json .Files }}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return migrateLintRun(cmd, flags)
		},
	}
	cmd.Flags().SortFlags = false
	addFlagDevURL(cmd.Flags(), &flags.devURL)
	addFlagDirURL(cmd.Flags(), &flags.dirURL)
	addFlagDirFormat(cmd.Flags(), &flags.dirFormat)
	addFlagFormat(cmd, &flags.format)
	cmd.Flags().UintVar(&flags.latest, flagLatest, 0, "run analysis on the latest N migration files")
	cmd.Flags().StringVar(&flags.gitBase, flagGitBase, "", "not supported by this build: use --latest")
	cmd.Flags().StringVar(&flags.gitDir, "git-dir", ".", "not supported by this build: use --latest")
	cobra.CheckErr(cmd.MarkFlagRequired(flagDevURL))
	return cmd
}

// Step names of the lint summary, as Atlas names them.
const (
	stepIntegrityCheck = "Migration Integrity Check"
	stepDetectChanges  = "Detect New Migration Files"
	stepLoadChanges    = "Replay Migration Files"
	stepAnalyzeFile    = "Analyze %s"
)

func migrateLintRun(cmd *cobra.Command, flags migrateLintFlags) error {
	switch {
	case flags.gitBase != "":
		return errors.New("--git-base is not supported by this build (Golden Path for Go): use --latest N")
	case flags.latest == 0:
		return fmt.Errorf("--%s or --%s is required", flagLatest, flagGitBase)
	}
	ctx := cmd.Context()
	dev, err := sqlclient.Open(ctx, flags.devURL)
	if err != nil {
		return fmt.Errorf("open dev database: %w", err)
	}
	defer dev.Close()
	dir, err := openDir(flags.dirURL, flags.dirFormat, false)
	if err != nil {
		return err
	}
	write := func(s *lintSummary) error { return s.writeText(cmd.OutOrStdout()) }
	if flags.format != "" {
		t, err := parseFormat(flags.format, lintFuncs())
		if err != nil {
			return err
		}
		write = func(s *lintSummary) error {
			if err := t.Execute(cmd.OutOrStdout(), s); err != nil {
				return fmt.Errorf("execute lint template: %w", err)
			}
			return nil
		}
	}
	analyzers, err := sqlcheck.AnalyzerFor(dev.Name, nil)
	if err != nil {
		return fmt.Errorf("load analyzers: %w", err)
	}
	sum := &lintSummary{Start: time.Now(), Files: []*lintFileReport{}}
	sum.Env.Driver, sum.Env.URL, sum.Env.Dir = dev.Name, dev.URL, dir.Path()
	err = runLint(ctx, sum, dev, dir, int(flags.latest), analyzers)
	sum.End = time.Now()
	var ferr *lintFileError
	switch {
	case err == nil:
		if err := write(sum); err != nil {
			return err
		}
		for _, f := range sum.Files {
			if f.Error != "" {
				return silentError{errors.New(f.Error)}
			}
		}
		return nil
	case errors.As(err, &ferr):
		if werr := write(sum); werr != nil {
			return werr
		}
		return silentError{err}
	default:
		return err
	}
}

// lintFuncs are the functions of lint --format templates.
func lintFuncs() template.FuncMap {
	f := baseFuncs()
	f["maxWidth"] = wrapWords
	return f
}

// runLint fills sum with the analysis of the latest n files of dir.
func runLint(ctx context.Context, sum *lintSummary, dev *sqlclient.Client, dir *migrate.LocalDir, n int, analyzers []sqlcheck.Analyzer) error {
	switch err := migrate.Validate(dir); {
	case errors.Is(err, migrate.ErrChecksumNotFound):
	case err != nil:
		ferr := &lintFileError{File: migrate.HashFileName, Err: err}
		rep := &lintFileReport{Name: migrate.HashFileName, Error: err.Error()}
		if csErr := (&migrate.ChecksumError{}); errors.As(err, &csErr) {
			ferr.Pos = csErr.Pos
			rep.Error = fmt.Sprintf("%s (atlas.sum): L%d: %s was %s", csErr, csErr.Line, csErr.File, csErr.Reason)
		}
		sum.Files = append(sum.Files, rep)
		return sum.stepError(stepIntegrityCheck, fmt.Sprintf("File %s is invalid", migrate.HashFileName), ferr)
	default:
		if _, err := fs.Stat(dir, migrate.HashFileName); err == nil {
			sum.stepResult(stepIntegrityCheck, fmt.Sprintf("File %s is valid", migrate.HashFileName), nil)
		}
	}
	files, err := dir.Files()
	if err != nil {
		return sum.stepError(stepDetectChanges, "Failed find new migration files", fmt.Errorf("reading migration directory: %w", err))
	}
	base, feat := []migrate.File(nil), files
	if len(files) > n {
		base, feat = files[:len(files)-n], files[len(files)-n:]
	}
	sum.stepResult(stepDetectChanges, fmt.Sprintf("Found %d new migration files (from %d total)", len(feat), len(files)), nil)
	if len(base) > 0 {
		sum.FromV = base[len(base)-1].Version()
	}
	if len(feat) > 0 {
		sum.ToV = feat[len(feat)-1].Version()
	}
	sum.TotalFiles = len(feat)
	loaded, from, to, err := (&lintLoader{dev: dev}).load(ctx, base, feat)
	if err != nil {
		if ferr := (&lintFileError{}); errors.As(err, &ferr) {
			sum.Files = append(sum.Files, &lintFileReport{Name: ferr.File, Error: err.Error()})
		}
		return sum.stepError(stepLoadChanges, "Failed loading changes on dev database", err)
	}
	sum.stepResult(stepLoadChanges, fmt.Sprintf("Loaded %d changes on dev database", len(loaded)), nil)
	if b, err := dev.MarshalSpec(from); err == nil {
		sum.Schema.Current = string(b)
	}
	if b, err := dev.MarshalSpec(to); err == nil {
		sum.Schema.Desired = string(b)
	}
	for _, f := range loaded {
		analyzeFile(ctx, sum, dev, f, analyzers)
	}
	return nil
}

// analyzeFile runs the analyzers on one file, honouring atlas:nolint.
func analyzeFile(ctx context.Context, sum *lintSummary, dev *sqlclient.Client, f *sqlcheck.File, analyzers []sqlcheck.Analyzer) {
	nl := nolintRulesOf(f)
	if nl.ignored {
		return
	}
	fr := &lintFileReport{Name: f.Name(), Text: string(f.Bytes()), Start: time.Now(), File: f}
	var errs []string
	for _, az := range analyzers {
		err := func() (rerr error) {
			defer func() {
				if rc := recover(); rc != nil {
					var name string
					if n, ok := az.(sqlcheck.NamedAnalyzer); ok {
						name = fmt.Sprintf(" (%s)", n.Name())
					}
					rerr = fmt.Errorf("skip crashed analyzer %s: %v", name, rc)
				}
			}()
			return az.Analyze(ctx, &sqlcheck.Pass{File: f, Dev: dev, Reporter: nl.reporterFor(fr, az)})
		}()
		if err != nil && !nl.skipped {
			errs = append(errs, err.Error())
		}
	}
	fr.Error = strings.Join(errs, "; ")
	sum.Files = append(sum.Files, fr)
	sum.stepResult(fmt.Sprintf(stepAnalyzeFile, f.Name()), fmt.Sprintf("%d reports were found in analysis", len(fr.Reports)), fr)
}

// nolintRules holds the atlas:nolint directives of a file and its statements.
type nolintRules struct {
	pos2rules map[int][]string
	ignored   bool // the whole file is skipped
	skipped   bool // the last report was fully suppressed
}

func nolintRulesOf(f *sqlcheck.File) *nolintRules {
	nl := &nolintRules{pos2rules: make(map[int][]string)}
	if l, ok := f.File.(*migrate.LocalFile); ok {
		ds := l.Directive("nolint")
		if nl.ignored = len(ds) == 1 && ds[0] == ""; nl.ignored {
			return nl
		}
		for _, d := range ds {
			for _, c := range f.Changes {
				nl.pos2rules[c.Stmt.Pos] = append(nl.pos2rules[c.Stmt.Pos], strings.Split(d, " ")...)
			}
		}
	}
	for _, c := range f.Changes {
		if c.Stmt != nil {
			for _, d := range c.Stmt.Directive("nolint") {
				nl.pos2rules[c.Stmt.Pos] = append(nl.pos2rules[c.Stmt.Pos], strings.Split(d, " ")...)
			}
		}
	}
	return nl
}

// reporterFor drops the diagnostics that nolint directives suppress.
func (nl *nolintRules) reporterFor(w sqlcheck.ReportWriter, az sqlcheck.Analyzer) sqlcheck.ReportWriter {
	named, isNamed := az.(sqlcheck.NamedAnalyzer)
	return sqlcheck.ReportWriterFunc(func(r sqlcheck.Report) {
		kept := make([]sqlcheck.Diagnostic, 0, len(r.Diagnostics))
		for _, d := range r.Diagnostics {
			rules := nl.pos2rules[d.Pos]
			switch {
			case len(rules) == 1 && rules[0] == "",
				slices.Contains(rules, d.Code),
				isNamed && slices.Contains(rules, named.Name()):
			default:
				kept = append(kept, d)
			}
		}
		if nl.skipped = len(kept) == 0; !nl.skipped {
			w.WriteReport(sqlcheck.Report{Text: r.Text, Diagnostics: kept})
		}
	})
}
