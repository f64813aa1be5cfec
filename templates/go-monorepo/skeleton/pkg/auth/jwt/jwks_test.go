package jwt_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"${{ values.pkgModule }}/auth/jwt"
)

func jwksValidator(t *testing.T, signers ...*jwt.Signer) *jwt.Validator {
	t.Helper()
	var keys []string
	for _, s := range signers {
		raw, err := s.JWKS()
		if err != nil {
			t.Fatal(err)
		}
		one := strings.TrimSuffix(strings.TrimPrefix(string(raw), `{"keys":[`), `]}`)
		keys = append(keys, one)
	}
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(path, []byte(`{"keys":[`+strings.Join(keys, ",")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return newValidator(t, jwt.Config{Issuer: "idp", Audience: "api", JWKSFile: path})
}

// TestJWKSAcceptsRS256AndEdDSA: tokens signed by a key of the JWKS are valid;
// HS256 (even with a strong secret), unknown keys and mismatched algorithms
// are refused.
func TestJWKSAcceptsRS256AndEdDSA(t *testing.T) {
	t.Parallel()
	rs, err := jwt.NewRS256Signer("rsa-1", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := jwt.NewEdDSASigner("ed-1", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	v := jwksValidator(t, rs, ed)
	if !v.Asymmetric() {
		t.Fatal("a validator with a JWKS is not asymmetric")
	}
	for name, s := range map[string]*jwt.Signer{"RS256": rs, "EdDSA": ed} {
		tok, err := s.Issue("user-1", []string{"reader"}, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		claims, err := v.Validate(tok)
		if err != nil || claims.Subject != "user-1" || !claims.HasRole("reader") {
			t.Fatalf("%s token: %+v, %v", name, claims, err)
		}
	}

	hs := newValidator(t, jwt.Config{Issuer: "idp", Audience: "api", Secret: secret})
	hsToken, _ := hs.Issue("user-1", []string{"admin"}, time.Minute)
	stranger, _ := jwt.NewEdDSASigner("ed-1", "idp", "api") // same kid, other key
	forged, _ := stranger.Issue("user-1", nil, time.Minute)
	otherIssuer, _ := jwt.NewRS256Signer("rsa-1", "someone-else", "api")
	wrongIss, _ := otherIssuer.Issue("user-1", nil, time.Minute)
	for name, tok := range map[string]string{"HS256": hsToken, "foreign key": forged, "other issuer": wrongIss} {
		if _, err := v.Validate(tok); !errors.Is(err, jwt.ErrInvalidToken) {
			t.Errorf("%s token accepted by the JWKS validator: %v", name, err)
		}
	}
	if _, err := v.Issue("u", nil, time.Minute); err == nil {
		t.Error("a JWKS validator issued a token")
	}
}

func TestJWKSFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"not json":  "{",
		"no keys":   `{"keys":[]}`,
		"small rsa": `{"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]}`,
		"p-256":     `{"keys":[{"kty":"EC","kid":"k","crv":"P-256","x":"AA","y":"AA"}]}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := jwt.NewValidator(jwt.Config{JWKSFile: path}); err == nil {
			t.Errorf("%s: JWKS accepted", name)
		}
	}
	if _, err := jwt.NewValidator(jwt.Config{JWKSFile: filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("a missing JWKS file was accepted")
	}
}
