package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
)

// colorFuncs are the color helpers Atlas exposes to --format templates.
// This build never writes ANSI colors (its output is read by programs), so
// they return their input unchanged.
func colorFuncs() template.FuncMap {
	plain := func(format string, a ...any) string {
		if len(a) == 0 {
			return format
		}
		return fmt.Sprintf(format, a...)
	}
	return template.FuncMap{
		"cyan":         plain,
		"green":        plain,
		"red":          plain,
		"yellow":       plain,
		"redBgWhiteFg": fmt.Sprint,
		"colorize":     func(_, text string) string { return text },
	}
}

// baseFuncs are shared by the apply, status and lint templates.
func baseFuncs() template.FuncMap {
	f := colorFuncs()
	f["json"] = jsonEncode
	f["json_merge"] = jsonMerge
	f["add"] = func(a, b int) int { return a + b }
	f["sub"] = func(a, b int) int { return a - b }
	f["upper"] = strings.ToUpper
	f["lower"] = strings.ToLower
	f["repeat"] = strings.Repeat
	f["join"] = strings.Join
	f["indent_ln"] = indentLn
	f["underline"] = fmt.Sprint
	f["gray"] = fmt.Sprint
	return f
}

// parseFormat parses a --format template with funcs.
func parseFormat(format string, funcs template.FuncMap) (*template.Template, error) {
	t, err := template.New("format").Funcs(funcs).Parse(format)
	if err != nil {
		return nil, fmt.Errorf("parse format: %w", err)
	}
	return t, nil
}

func jsonEncode(v any, args ...string) (string, error) {
	var (
		b   []byte
		err error
	)
	switch len(args) {
	case 0:
		b, err = json.Marshal(v)
	case 1:
		b, err = json.MarshalIndent(v, "", args[0])
	default:
		b, err = json.MarshalIndent(v, args[0], args[1])
	}
	if err != nil {
		return "", fmt.Errorf("json: %w", err)
	}
	return string(b), nil
}

func jsonMerge(objects ...string) (string, error) {
	var merged map[string]any
	for _, o := range objects {
		if err := json.Unmarshal([]byte(o), &merged); err != nil {
			return "", fmt.Errorf("json_merge: %w", err)
		}
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return "", fmt.Errorf("json_merge: %w", err)
	}
	return string(b), nil
}

// indentLn indents every line after the first by n spaces.
func indentLn(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
