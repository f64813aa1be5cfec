{%- set A = values.aggregate -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set audience = (values.system.split('/') | last).split(':') | last -%}
package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/auth/jwt"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"

	appfx "${{ values.module }}/internal/infrastructure/fx"
)

// systemAudience is JWT_AUDIENCE of every service of the system: the token a
// service forwards to the services it calls must pass them too.
const systemAudience = "${{ audience }}"

// TestRolesAndAsymmetricTokens runs the whole application with
// JWT_JWKS_FILE (the identity provider's RS256 and EdDSA public keys, no
// JWT_SECRET) and calls it through a real gRPC client: tokens from either key
// for the system's audience are accepted, the default policy lets readers
// read but only admins delete{% if values.jobs | length %} and run jobs{% endif %}; an HS256 token, and tokens
// the same provider signed for another application or that another issuer
// signed, are refused even with the admin role.
func TestRolesAndAsymmetricTokens(t *testing.T) {
	rs, err := jwt.NewRS256Signer("idp-rsa", "https://idp.example", systemAudience)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := jwt.NewEdDSASigner("idp-ed", "https://idp.example", systemAudience)
	if err != nil {
		t.Fatal(err)
	}
	client := startGRPCApp(t, jwksEnv(t, rs, ed)).client

	as := func(token string) context.Context {
		ctx, cancel := context.WithTimeout(metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token), 10*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	issue := func(s interface {
		Issue(string, []string, time.Duration) (string, error)
	}, roles ...string) string {
		tok, err := s.Issue("authz-test", roles, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	missing := uuid.NewString()
	get := func(ctx context.Context) error {
		_, err := client.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: missing})
		return err
	}
	del := func(ctx context.Context) error {
		_, err := client.Delete${{ A }}(ctx, &${{ PB }}.Delete${{ A }}Request{Id: missing, Version: 1})
		return err
	}
	hs, err := jwt.NewValidator(jwt.Config{Secret: []byte("a-shared-secret-of-at-least-32-bytes!"), Issuer: "https://idp.example", Audience: systemAudience})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		call func(context.Context) error
		ctx  context.Context
		want codes.Code
	}{
		{"RS256 reader reads", get, as(issue(rs, "reader")), codes.NotFound},
		{"EdDSA reader reads", get, as(issue(ed, "reader")), codes.NotFound},
		{"no role cannot read", get, as(issue(rs)), codes.PermissionDenied},
		{"reader cannot delete", del, as(issue(rs, "reader")), codes.PermissionDenied},
		{"writer cannot delete", del, as(issue(ed, "writer")), codes.PermissionDenied},
		{"admin deletes", del, as(issue(ed, "admin")), codes.NotFound},
		{"HS256 refused with a JWKS", del, as(issue(hs, "admin")), codes.Unauthenticated},
		{"token for another application", get, as(issue(rs.As("https://idp.example", "other-application"), "admin")), codes.Unauthenticated},
		{"token without audience", get, as(issue(rs.As("https://idp.example"), "admin")), codes.Unauthenticated},
		{"token listing this system's audience", get, as(issue(ed.As("https://idp.example", "other-application", systemAudience), "reader")), codes.NotFound},
		{"token of another issuer", get, as(issue(rs.As("https://other-idp.example", systemAudience), "admin")), codes.Unauthenticated},
{%- if values.jobs | length %}
		{"writer cannot run a job", func(ctx context.Context) error {
			_, err := client.RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: "no_such_job"})
			return err
		}, as(issue(rs, "writer")), codes.PermissionDenied},
		{"admin runs a job", func(ctx context.Context) error {
			_, err := client.RunJob(ctx, &${{ PB }}.RunJobRequest{JobName: "no_such_job"})
			return err
		}, as(issue(rs, "admin")), codes.NotFound},
{%- endif %}
	} {
		if got := status.Code(tt.call(tt.ctx)); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestJWKSWithoutAudienceDoesNotStart: with the identity provider's keys but
// no JWT_AUDIENCE the application would take every token the provider signed
// for other applications; it refuses to start instead, naming the variable.
func TestJWKSWithoutAudienceDoesNotStart(t *testing.T) {
	rs, err := jwt.NewRS256Signer("idp-rsa", "https://idp.example", "")
	if err != nil {
		t.Fatal(err)
	}
	// The configuration fails before any connection is opened.
	env := jwksEnv(t, rs)
	env["DATABASE_URL"], env["JWT_AUDIENCE"] = "postgres://nobody@127.0.0.1:1/none", ""
	setEnv(t, env)
	err = fx.New(appfx.Module, fx.NopLogger).Err()
	if err == nil || !strings.Contains(err.Error(), "config JWT_AUDIENCE: required with JWT_JWKS_FILE") {
		t.Fatalf("fx.New error = %v, want one naming JWT_AUDIENCE", err)
	}
}

// jwksEnv writes the public keys of signers as the JWKS file and returns the
// environment of an application trusting them (issuer https://idp.example,
// the system's audience) instead of the shared secret.
func jwksEnv(t *testing.T, signers ...*jwt.Signer) map[string]string {
	t.Helper()
	var keys []string
	for _, s := range signers {
		raw, err := s.JWKS()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, strings.TrimSuffix(strings.TrimPrefix(string(raw), `{"keys":[`), "]}"))
	}
	jwks := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(jwks, []byte(`{"keys":[`+strings.Join(keys, ",")+"]}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"JWT_JWKS_FILE": jwks, "JWT_SECRET": "", "JWT_ISSUER": "https://idp.example", "JWT_AUDIENCE": systemAudience,
	}
}
