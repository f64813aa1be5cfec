package jwt_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"${{ values.pkgModule }}/auth/jwt"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func newValidator(t *testing.T, cfg jwt.Config) *jwt.Validator {
	t.Helper()
	v, err := jwt.NewValidator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewValidatorRejectsShortSecret(t *testing.T) {
	t.Parallel()
	if _, err := jwt.NewValidator(jwt.Config{Secret: []byte("short")}); err == nil {
		t.Fatal("short secret accepted")
	}
}

func TestIssueValidateRoundTrip(t *testing.T) {
	t.Parallel()
	v := newValidator(t, jwt.Config{Issuer: "golden-path", Audience: "api", Secret: secret})
	tok, err := v.Issue("user-1", []string{"admin"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := v.Validate(tok)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if claims.Subject != "user-1" || !claims.HasRole("admin") || claims.HasRole("root") {
		t.Fatalf("claims = %+v", claims)
	}
}

func TestValidateRejects(t *testing.T) {
	t.Parallel()
	v := newValidator(t, jwt.Config{Issuer: "golden-path", Audience: "api", Secret: secret})
	otherIssuer := newValidator(t, jwt.Config{Issuer: "someone-else", Audience: "api", Secret: secret})
	otherSecret := newValidator(t, jwt.Config{Issuer: "golden-path", Audience: "api", Secret: []byte(strings.Repeat("x", 32))})

	expired, _ := v.Issue("u", nil, -time.Hour)
	wrongIss, _ := otherIssuer.Issue("u", nil, time.Minute)
	wrongSig, _ := otherSecret.Issue("u", nil, time.Minute)
	// alg "none" header with an empty signature.
	none := "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ1IiwiZXhwIjo0MTAyNDQ0ODAwfQ."

	for name, tok := range map[string]string{
		"expired": expired, "wrong issuer": wrongIss, "wrong signature": wrongSig,
		"alg none": none, "garbage": "not-a-token",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := v.Validate(tok); !errors.Is(err, jwt.ErrInvalidToken) {
				t.Fatalf("Validate error = %v, want ErrInvalidToken", err)
			}
		})
	}
}

// TestHS256IssuerAndAudience: with only a secret (local development) a
// token without iss and aud passes, as the services' end-to-end tests mint
// them; once JWT_ISSUER and JWT_AUDIENCE are set they are enforced as with a
// JWKS.
func TestHS256IssuerAndAudience(t *testing.T) {
	t.Parallel()
	sign := func(iss string, aud ...string) string {
		now := time.Now()
		tok, err := gojwt.NewWithClaims(gojwt.SigningMethodHS256, jwt.Claims{RegisteredClaims: gojwt.RegisteredClaims{
			Subject: "u", Issuer: iss, Audience: aud, ExpiresAt: gojwt.NewNumericDate(now.Add(time.Minute)),
		}}).SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	open := newValidator(t, jwt.Config{Secret: secret})
	if _, err := open.Validate(sign("")); err != nil {
		t.Errorf("secret only: a token without iss and aud refused: %v", err)
	}
	strict := newValidator(t, jwt.Config{Issuer: "golden-path", Audience: "api", Secret: secret})
	for _, tt := range []struct {
		name  string
		token string
		valid bool
	}{
		{"ours", sign("golden-path", "api"), true},
		{"audience list with ours", sign("golden-path", "billing", "api"), true},
		{"other audience", sign("golden-path", "billing"), false},
		{"no audience", sign("golden-path"), false},
		{"other issuer", sign("someone-else", "api"), false},
		{"neither", sign(""), false},
	} {
		_, err := strict.Validate(tt.token)
		if tt.valid != (err == nil) {
			t.Errorf("%s: Validate error = %v, want valid %v", tt.name, err, tt.valid)
		}
	}
}

func TestClaimsContext(t *testing.T) {
	t.Parallel()
	if _, ok := jwt.ClaimsFromContext(context.Background()); ok {
		t.Fatal("claims found in empty context")
	}
	c := &jwt.Claims{Roles: []string{"r"}}
	got, ok := jwt.ClaimsFromContext(jwt.ContextWithClaims(context.Background(), c))
	if !ok || got != c {
		t.Fatal("claims lost in context")
	}
}
