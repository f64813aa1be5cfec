package jwt_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

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
		if _, err := jwt.NewValidator(jwt.Config{Issuer: "idp", Audience: "api", JWKSFile: path}); err == nil {
			t.Errorf("%s: JWKS accepted", name)
		}
	}
	if _, err := jwt.NewValidator(jwt.Config{Issuer: "idp", Audience: "api", JWKSFile: filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("a missing JWKS file was accepted")
	}
}

// TestJWKSRequiresIssuerAndAudience: the identity provider signs tokens for
// every application with the same keys, so without an issuer and audience a
// validator would take tokens meant for others.
func TestJWKSRequiresIssuerAndAudience(t *testing.T) {
	t.Parallel()
	rs, err := jwt.NewRS256Signer("rsa-1", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := rs.WriteJWKS(path); err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]jwt.Config{
		"no issuer":   {Audience: "api", JWKSFile: path},
		"no audience": {Issuer: "idp", JWKSFile: path},
		"neither":     {JWKSFile: path},
	} {
		if _, err := jwt.NewValidator(cfg); !errors.Is(err, jwt.ErrIssuerAudienceRequired) {
			t.Errorf("%s: NewValidator error = %v, want ErrIssuerAudienceRequired", name, err)
		}
	}
}

// TestJWKSChecksIssuerAudienceAndTimes signs tokens with the trusted key and
// varies the registered claims: only our issuer, a token whose audience is
// or lists ours, and times within the leeway pass.
func TestJWKSChecksIssuerAudienceAndTimes(t *testing.T) {
	t.Parallel()
	idp, err := jwt.NewEdDSASigner("ed-1", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	v := jwksValidator(t, idp)
	now := time.Now()
	claims := func(edit func(*gojwt.RegisteredClaims)) jwt.Claims {
		c := jwt.Claims{RegisteredClaims: gojwt.RegisteredClaims{
			Subject: "user-1", Issuer: "idp", Audience: gojwt.ClaimStrings{"api"},
			IssuedAt: gojwt.NewNumericDate(now), NotBefore: gojwt.NewNumericDate(now),
			ExpiresAt: gojwt.NewNumericDate(now.Add(time.Minute)),
		}}
		edit(&c.RegisteredClaims)
		return c
	}
	for _, tt := range []struct {
		name  string
		edit  func(*gojwt.RegisteredClaims)
		valid bool
	}{
		{"ours", func(*gojwt.RegisteredClaims) {}, true},
		{"audience list with ours", func(c *gojwt.RegisteredClaims) { c.Audience = gojwt.ClaimStrings{"billing", "api"} }, true},
		{"expired within the leeway", func(c *gojwt.RegisteredClaims) { c.ExpiresAt = gojwt.NewNumericDate(now.Add(-jwt.Leeway / 2)) }, true},
		{"other audience", func(c *gojwt.RegisteredClaims) { c.Audience = gojwt.ClaimStrings{"billing"} }, false},
		{"audience list without ours", func(c *gojwt.RegisteredClaims) { c.Audience = gojwt.ClaimStrings{"billing", "crm"} }, false},
		{"no audience", func(c *gojwt.RegisteredClaims) { c.Audience = nil }, false},
		{"other issuer", func(c *gojwt.RegisteredClaims) { c.Issuer = "https://other-idp.example" }, false},
		{"no issuer", func(c *gojwt.RegisteredClaims) { c.Issuer = "" }, false},
		{"expired beyond the leeway", func(c *gojwt.RegisteredClaims) { c.ExpiresAt = gojwt.NewNumericDate(now.Add(-2 * jwt.Leeway)) }, false},
		{"no expiry", func(c *gojwt.RegisteredClaims) { c.ExpiresAt = nil }, false},
		{"not yet valid", func(c *gojwt.RegisteredClaims) { c.NotBefore = gojwt.NewNumericDate(now.Add(2 * jwt.Leeway)) }, false},
	} {
		tok, err := idp.Sign(claims(tt.edit))
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Validate(tok)
		if tt.valid && err != nil {
			t.Errorf("%s: refused: %v", tt.name, err)
		}
		if !tt.valid && !errors.Is(err, jwt.ErrInvalidToken) {
			t.Errorf("%s: Validate error = %v, want ErrInvalidToken", tt.name, err)
		}
	}
}
