// Package jwt validates (and, for tests and local development, issues) HS256
// JSON Web Tokens with github.com/golang-jwt/jwt/v5.
package jwt

import (
	"context"
	"errors"
	"fmt"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// Config is the validator's trust configuration. Secret must be at least 32
// bytes; Issuer and Audience, when set, are required to match.
type Config struct {
	Issuer   string
	Audience string
	Secret   []byte
}

// Claims are the registered claims plus the roles the services authorise on.
type Claims struct {
	gojwt.RegisteredClaims
	Roles []string `json:"roles,omitempty"`
}

// Validator checks signature, algorithm, expiry, issuer and audience.
type Validator struct {
	cfg    Config
	parser *gojwt.Parser
}

// ErrInvalidToken is returned (wrapped) for every token that fails validation.
var ErrInvalidToken = errors.New("invalid token")

// MinSecretLength is the shortest HS256 secret NewValidator accepts.
const MinSecretLength = 32

// NewValidator returns a Validator for cfg.
func NewValidator(cfg Config) (*Validator, error) {
	if len(cfg.Secret) < MinSecretLength {
		return nil, fmt.Errorf("jwt: secret is %d bytes, need at least %d", len(cfg.Secret), MinSecretLength)
	}
	opts := []gojwt.ParserOption{
		gojwt.WithValidMethods([]string{gojwt.SigningMethodHS256.Alg()}),
		gojwt.WithExpirationRequired(),
		gojwt.WithLeeway(30 * time.Second),
	}
	if cfg.Issuer != "" {
		opts = append(opts, gojwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, gojwt.WithAudience(cfg.Audience))
	}
	return &Validator{cfg: cfg, parser: gojwt.NewParser(opts...)}, nil
}

// Validate parses token and returns its claims, or an error wrapping ErrInvalidToken.
func (v *Validator) Validate(token string) (*Claims, error) {
	claims := &Claims{}
	_, err := v.parser.ParseWithClaims(token, claims, func(*gojwt.Token) (any, error) {
		return v.cfg.Secret, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return claims, nil
}

// Issue signs a token for subject with roles, valid for ttl, using the
// validator's issuer, audience and secret. Meant for tests and local tooling;
// production tokens come from the identity provider.
func (v *Validator) Issue(subject string, roles []string, ttl time.Duration) (string, error) {
	now := time.Now()
	claims := Claims{
		RegisteredClaims: gojwt.RegisteredClaims{
			Subject:   subject,
			Issuer:    v.cfg.Issuer,
			IssuedAt:  gojwt.NewNumericDate(now),
			NotBefore: gojwt.NewNumericDate(now),
			ExpiresAt: gojwt.NewNumericDate(now.Add(ttl)),
		},
		Roles: roles,
	}
	if v.cfg.Audience != "" {
		claims.Audience = gojwt.ClaimStrings{v.cfg.Audience}
	}
	signed, err := gojwt.NewWithClaims(gojwt.SigningMethodHS256, claims).SignedString(v.cfg.Secret)
	if err != nil {
		return "", fmt.Errorf("jwt: sign token: %w", err)
	}
	return signed, nil
}

// HasRole reports whether the claims grant role.
func (c *Claims) HasRole(role string) bool {
	for _, r := range c.Roles {
		if r == role {
			return true
		}
	}
	return false
}

type claimsKey struct{}

// ContextWithClaims returns a copy of ctx carrying claims.
func ContextWithClaims(ctx context.Context, claims *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, claims)
}

// ClaimsFromContext returns the claims stored by the auth interceptor.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok
}
