package architecture

import (
	"errors"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// depguardList is one rule of linters.settings.depguard.rules in
// .golangci.yml, compiled the way depguard (v2) compiles it, so that this test
// and golangci-lint give the same verdict for every import.
type depguardList struct {
	name        string
	mode        string // original, strict or lax
	files       []*regexp.Regexp
	notFiles    []*regexp.Regexp
	allow       []string // sorted
	deny        []string // sorted
	suggestions []string // by deny index
}

// readDepguardRules reads the depguard rules of a golangci-lint v2 config.
// Anything this reader does not understand is an error naming the key, so a
// rule cannot be silently ignored here while golangci-lint applies it.
func readDepguardRules(path string) ([]*depguardList, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the dependency rule: %w", err)
	}
	var cfg struct {
		Version string `yaml:"version"`
		Linters struct {
			Default  string   `yaml:"default"`
			Enable   []string `yaml:"enable"`
			Disable  []string `yaml:"disable"`
			Settings struct {
				Depguard struct {
					Rules map[string]map[string]yaml.Node `yaml:"rules"`
				} `yaml:"depguard"`
			} `yaml:"settings"`
		} `yaml:"linters"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("%s is not a golangci-lint config: %w", path, err)
	}
	if cfg.Version != "2" {
		return nil, fmt.Errorf("%s: version is %q, want \"2\" (golangci-lint v2 format)", path, cfg.Version)
	}
	enabled := cfg.Linters.Default == "all"
	for _, l := range cfg.Linters.Enable {
		enabled = enabled || l == "depguard"
	}
	for _, l := range cfg.Linters.Disable {
		enabled = enabled && l != "depguard"
	}
	if !enabled {
		return nil, fmt.Errorf("%s: depguard is not enabled under linters.enable, so golangci-lint would not check the rule", path)
	}
	if len(cfg.Linters.Settings.Depguard.Rules) == 0 {
		return nil, fmt.Errorf("%s: no rules under linters.settings.depguard.rules", path)
	}
	var lists []*depguardList
	for name, fields := range cfg.Linters.Settings.Depguard.Rules {
		l, err := compileDepguardList(name, fields)
		if err != nil {
			return nil, fmt.Errorf("%s: depguard rule %q: %w", path, name, err)
		}
		lists = append(lists, l)
	}
	sort.Slice(lists, func(i, j int) bool { return lists[i].name < lists[j].name })
	return lists, nil
}

func compileDepguardList(name string, fields map[string]yaml.Node) (*depguardList, error) {
	var rule struct {
		mode  string
		files []string
		allow []string
		deny  []struct {
			Pkg  string `yaml:"pkg"`
			Desc string `yaml:"desc"`
		}
	}
	for key, node := range fields {
		var err error
		switch key {
		case "list-mode":
			err = node.Decode(&rule.mode)
		case "files":
			err = node.Decode(&rule.files)
		case "allow":
			err = node.Decode(&rule.allow)
		case "deny":
			err = node.Decode(&rule.deny)
		default:
			err = errors.New("unknown key (known: list-mode, files, allow, deny)")
		}
		if err != nil {
			return nil, fmt.Errorf("%s (line %d): %w", key, node.Line, err)
		}
	}
	l := &depguardList{name: name, mode: strings.ToLower(rule.mode)}
	switch l.mode {
	case "":
		l.mode = "original"
	case "original", "strict", "lax":
	default:
		return nil, fmt.Errorf("list-mode %q: want original, strict or lax", rule.mode)
	}
	for _, f := range rule.files {
		negate := strings.HasPrefix(f, "!")
		f = strings.TrimPrefix(f, "!")
		switch f {
		case "$all":
			f = "**/*.go"
		case "$test":
			f = "**/*_test.go"
		}
		re, err := globToRegexp(f)
		if err != nil {
			return nil, fmt.Errorf("files: %q: %w", f, err)
		}
		if negate {
			l.notFiles = append(l.notFiles, re)
		} else {
			l.files = append(l.files, re)
		}
	}
	for _, a := range rule.allow {
		if a == "$gostd" {
			std, err := goStdPrefixes()
			if err != nil {
				return nil, err
			}
			l.allow = append(l.allow, std...)
			continue
		}
		l.allow = append(l.allow, a)
	}
	sort.Strings(l.allow)
	desc := map[string]string{}
	for _, d := range rule.deny {
		if d.Pkg == "" {
			return nil, errors.New("deny: an entry has no pkg")
		}
		pkgs := []string{d.Pkg}
		if d.Pkg == "$gostd" {
			std, err := goStdPrefixes()
			if err != nil {
				return nil, err
			}
			pkgs = std
		}
		for _, p := range pkgs {
			desc[p] = strings.TrimSpace(d.Desc)
		}
	}
	for p := range desc {
		l.deny = append(l.deny, p)
	}
	sort.Strings(l.deny)
	for _, d := range l.deny {
		l.suggestions = append(l.suggestions, desc[d])
	}
	if len(l.allow) == 0 && len(l.deny) == 0 {
		return nil, errors.New("has neither allow nor deny")
	}
	return l, nil
}

// goStdPrefixes is depguard's $gostd: the top-level directories of GOROOT/src.
func goStdPrefixes() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(build.Default.GOROOT, "src"))
	if err != nil {
		return nil, fmt.Errorf("$gostd: reading GOROOT: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// appliesTo reports whether the rule covers a file (its absolute, slash-separated path).
func (l *depguardList) appliesTo(file string) bool {
	in := len(l.files) == 0
	for _, re := range l.files {
		in = in || re.MatchString(file)
	}
	for _, re := range l.notFiles {
		if re.MatchString(file) {
			return false
		}
	}
	return in
}

// importAllowed is depguard's verdict for one import path, with the
// description of the deny entry that refused it.
func (l *depguardList) importAllowed(imp string) (bool, string) {
	inAllow, a := inPrefixList(imp, l.allow)
	inDeny, d := inPrefixList(imp, l.deny)
	var ok bool
	switch l.mode {
	case "strict":
		ok = inAllow && (!inDeny || len(l.allow[a]) > len(l.deny[d]))
	case "lax":
		ok = !inDeny || (inAllow && len(l.allow[a]) > len(l.deny[d]))
	default:
		ok = (len(l.allow) == 0 || inAllow) && !inDeny
	}
	if !ok && inDeny {
		return false, l.suggestions[d]
	}
	return ok, ""
}

// inPrefixList matches as depguard does: against the entry sorting just
// before the import path; a trailing $ asks for an exact match; an entry with
// neither '.' nor '/' (a standard-library root) never matches a path with a dot.
func inPrefixList(imp string, list []string) (bool, int) {
	i := sort.Search(len(list), func(i int) bool { return strings.TrimRight(list[i], "$") > imp }) - 1
	if i < 0 {
		return false, i
	}
	entry := list[i]
	if strings.HasSuffix(entry, "$") {
		return imp == strings.TrimSuffix(entry, "$"), i
	}
	if !strings.ContainsAny(entry, "./") && strings.Contains(imp, ".") {
		return false, i
	}
	return strings.HasPrefix(imp, entry), i
}

// globToRegexp compiles a depguard file glob (gobwas/glob with '/' as the
// separator): ** any text, * and ? within one path segment, [...] and [!...]
// classes, {a,b} alternatives, \ escapes.
func globToRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	depth := 0
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case c == '*' && i+1 < len(glob) && glob[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(glob[i:], ']')
			if end < 0 {
				return nil, errors.New("unclosed [")
			}
			class := glob[i+1 : i+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end
		case c == '{':
			depth++
			b.WriteString("(?:")
		case c == '}' && depth > 0:
			depth--
			b.WriteString(")")
		case c == ',' && depth > 0:
			b.WriteString("|")
		case c == '\\' && i+1 < len(glob):
			i++
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if depth > 0 {
		return nil, errors.New("unclosed {")
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
