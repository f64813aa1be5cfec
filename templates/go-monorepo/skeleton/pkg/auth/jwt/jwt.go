// Package jwt validates JSON Web Tokens with github.com/golang-jwt/jwt/v5:
// signed with the identity provider's private keys (RS256 or EdDSA, public
// keys from a JWKS file or the provider's JWKS URL), or with a shared HS256
// secret for local development and tests (which Issue signs). A validator
// with a JWKS refuses HS256, so a service holding a shared secret cannot mint
// tokens for the others, and requires the issuer and audience, so a token
// the identity provider signed for another application is refused.
package jwt

import (
	"context"
	"errors"
	"fmt"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap"
)

// Config is the validator's trust configuration. With JWKSFile (the path of
// a JSON Web Key Set holding RSA or Ed25519 public keys) or JWKSURL (where
// the identity provider publishes that set) tokens must be RS256 or EdDSA,
// signed by one of those keys, and Issuer and Audience are required: the
// identity provider signs tokens for other applications with the same keys.
// Without either, HS256 with Secret (at least 32 bytes), for local
// development and tests; Issuer and Audience are then checked when set.
type Config struct {
	// Issuer must equal the token's iss claim.
	Issuer string
	// Audience must be one of the token's aud claim (a string or a list).
	Audience string
	Secret   []byte
	JWKSFile string
	// JWKSURL is the identity provider's JWKS endpoint: https, or http to a
	// loopback host (CheckJWKSURL). Set JWKSFile or JWKSURL, not both.
	JWKSURL string
	// JWKSTimeout bounds one fetch of JWKSURL, body included
	// (DefaultJWKSTimeout when not above 0).
	JWKSTimeout time.Duration
	// JWKSRefresh is how often the JWKS is read again to pick up rotated
	// keys (DefaultJWKSRefresh when not above 0). A JWKSURL response's
	// Cache-Control max-age replaces it, within [JWKSMinRefresh, MaxJWKSCacheAge].
	JWKSRefresh time.Duration
	// JWKSMinRefresh is the least time between two reads of the JWKS
	// caused by tokens with an unknown key id (DefaultJWKSMinRefresh when
	// not above 0), so a flood of forged kids cannot make it read on every call.
	JWKSMinRefresh time.Duration
	// Logger reports reloaded key sets and a JWKS that cannot be used;
	// nil logs nothing.
	Logger *zap.Logger
}

// Defaults of Config.JWKSRefresh and Config.JWKSMinRefresh.
const (
	DefaultJWKSRefresh    = 30 * time.Second
	DefaultJWKSMinRefresh = 10 * time.Second
)

// Claims are the registered claims plus the roles the services authorise on.
type Claims struct {
	gojwt.RegisteredClaims
	Roles []string `json:"roles,omitempty"`
}

// Validator checks signature, algorithm, expiry (required), not-before,
// issuer and audience.
type Validator struct {
	cfg    Config
	jwks   *keyCache
	parser *gojwt.Parser
}

// ErrInvalidToken is returned (wrapped) for every token that fails validation.
var ErrInvalidToken = errors.New("invalid token")

// MinSecretLength is the shortest HS256 secret NewValidator accepts.
const MinSecretLength = 32

// Leeway is the clock skew allowed between the token's issuer and this
// service when checking exp and nbf.
const Leeway = 30 * time.Second

// ErrIssuerAudienceRequired is returned by NewValidator for a JWKS without
// Issuer or Audience.
var ErrIssuerAudienceRequired = errors.New("jwt: a validator with a JWKS needs Issuer and Audience, " +
	"or it accepts every token the identity provider signed for other applications")

// NewValidator returns a Validator for cfg. With a JWKS it reads the key set
// once: a file or URL that cannot be used (unreachable, not a key set) fails,
// so a service does not start without the keys to check tokens.
func NewValidator(cfg Config) (*Validator, error) {
	methods := []string{gojwt.SigningMethodHS256.Alg()}
	var jwks *keyCache
	if cfg.JWKSFile != "" || cfg.JWKSURL != "" {
		if cfg.JWKSFile != "" && cfg.JWKSURL != "" {
			return nil, ErrJWKSFileAndURL
		}
		if cfg.Issuer == "" || cfg.Audience == "" {
			return nil, ErrIssuerAudienceRequired
		}
		var err error
		if jwks, err = openJWKS(cfg); err != nil {
			return nil, err
		}
		methods = []string{gojwt.SigningMethodRS256.Alg(), gojwt.SigningMethodEdDSA.Alg()}
	} else if len(cfg.Secret) < MinSecretLength {
		return nil, fmt.Errorf("jwt: secret is %d bytes, need at least %d", len(cfg.Secret), MinSecretLength)
	}
	opts := []gojwt.ParserOption{
		gojwt.WithValidMethods(methods),
		gojwt.WithExpirationRequired(),
		gojwt.WithLeeway(Leeway),
	}
	if cfg.Issuer != "" {
		opts = append(opts, gojwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, gojwt.WithAudience(cfg.Audience))
	}
	return &Validator{cfg: cfg, jwks: jwks, parser: gojwt.NewParser(opts...)}, nil
}

// openJWKS reads the key set of cfg.JWKSFile or cfg.JWKSURL. A URL is
// fetched again in the background, a file inline (a local read is quick).
func openJWKS(cfg Config) (*keyCache, error) {
	if cfg.JWKSURL == "" {
		return openKeyCache(fileSource{path: cfg.JWKSFile}, cfg, false)
	}
	src, err := newURLSource(cfg.JWKSURL, cfg.JWKSTimeout)
	if err != nil {
		return nil, err
	}
	return openKeyCache(src, cfg, true)
}

// Asymmetric reports whether the validator takes RS256/EdDSA tokens (a JWKS)
// rather than HS256 ones.
func (v *Validator) Asymmetric() bool { return v.jwks != nil }

// Validate parses token and returns its claims, or an error wrapping ErrInvalidToken.
func (v *Validator) Validate(token string) (*Claims, error) {
	claims := &Claims{}
	_, err := v.parser.ParseWithClaims(token, claims, func(t *gojwt.Token) (any, error) {
		if v.jwks != nil {
			return v.jwks.key(t)
		}
		return v.cfg.Secret, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return claims, nil
}

// Issue signs a token for subject with roles, valid for ttl, using the
// validator's issuer, audience and secret. Meant for tests and local tooling;
// production tokens come from the identity provider. A validator with a JWKS
// holds no private key and cannot issue.
func (v *Validator) Issue(subject string, roles []string, ttl time.Duration) (string, error) {
	if v.jwks != nil {
		return "", errors.New("jwt: a validator with a JWKS cannot issue tokens; the identity provider signs them")
	}
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
