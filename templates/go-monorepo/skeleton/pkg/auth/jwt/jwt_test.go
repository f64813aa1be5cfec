package jwt_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

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
