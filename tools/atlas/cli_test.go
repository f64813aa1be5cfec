package main

import (
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	r := mustAtlas(t, "version")
	if first := strings.SplitN(r.stdout, "\n", 2)[0]; first != "atlas version "+Version+" (built on ariga.io/atlas library)" {
		t.Fatalf("version line: %q", first)
	}
}

func TestUnsupportedInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status", "--env", "local"}, "--env is not supported by this atlas build"},
		{[]string{"migrate", "apply", "--config", "file://atlas.hcl"}, "--config is not supported by this atlas build"},
		{[]string{"migrate", "hash", "--bogus"}, "Error: unknown flag: --bogus"},
		{[]string{"migrate", "frobnicate"}, `Error: unknown command "frobnicate" for "atlas migrate"`},
		{[]string{"frobnicate"}, `Error: unknown command "frobnicate" for "atlas"`},
		{[]string{"migrate", "down"}, "'atlas migrate down' is not supported by this build"},
		{[]string{"migrate", "hash", "--dir", "mem://x"}, `unsupported driver "mem"`},
		{[]string{"migrate", "hash", "--dir", "file://x?format=goose"}, `unknown dir format "goose"`},
	} {
		r := atlas(t, tc.args...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("atlas %s: want exit 1 and %q\n%s", strings.Join(tc.args, " "), tc.want, r)
		}
	}
}
