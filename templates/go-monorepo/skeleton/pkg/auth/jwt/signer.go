package jwt

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// Signer plays the identity provider in tests and local tooling: it holds a
// private key (RS256 or EdDSA), signs tokens with its key id and publishes the
// public key as a JWKS for validators. Production keys stay with the
// identity provider.
type Signer struct {
	kid       string
	issuer    string
	audiences []string
	method    gojwt.SigningMethod
	key       crypto.Signer
}

// NewRS256Signer returns a Signer with a new 2048-bit RSA key.
func NewRS256Signer(kid, issuer, audience string) (*Signer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("jwt: generate RSA key: %w", err)
	}
	return &Signer{kid: kid, issuer: issuer, audiences: audiences(audience), method: gojwt.SigningMethodRS256, key: key}, nil
}

// NewEdDSASigner returns a Signer with a new Ed25519 key.
func NewEdDSASigner(kid, issuer, audience string) (*Signer, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("jwt: generate Ed25519 key: %w", err)
	}
	return &Signer{kid: kid, issuer: issuer, audiences: audiences(audience), method: gojwt.SigningMethodEdDSA, key: key}, nil
}

func audiences(audience string) []string {
	if audience == "" {
		return nil
	}
	return []string{audience}
}

// As returns a signer with the same key and key id that issues tokens with
// issuer and audience (none, one or a list): the tokens an identity provider
// signs for other applications, or for several at once.
func (s *Signer) As(issuer string, audience ...string) *Signer {
	other := *s
	other.issuer, other.audiences = issuer, audience
	return &other
}

// Issue signs a token for subject with roles, valid for ttl, with the
// signer's issuer and audiences.
func (s *Signer) Issue(subject string, roles []string, ttl time.Duration) (string, error) {
	now := time.Now()
	claims := Claims{
		RegisteredClaims: gojwt.RegisteredClaims{
			Subject:   subject,
			Issuer:    s.issuer,
			IssuedAt:  gojwt.NewNumericDate(now),
			NotBefore: gojwt.NewNumericDate(now),
			ExpiresAt: gojwt.NewNumericDate(now.Add(ttl)),
		},
		Roles: roles,
	}
	if len(s.audiences) > 0 {
		claims.Audience = gojwt.ClaimStrings(s.audiences)
	}
	return s.Sign(claims)
}

// Sign signs claims as given, with the signer's key id: tests use it for
// tokens with odd claims (times out of range, no expiry).
func (s *Signer) Sign(claims Claims) (string, error) {
	t := gojwt.NewWithClaims(s.method, claims)
	t.Header["kid"] = s.kid
	signed, err := t.SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("jwt: sign token: %w", err)
	}
	return signed, nil
}

// JWKS returns the JSON Web Key Set of the public key.
func (s *Signer) JWKS() ([]byte, error) {
	k := jwk{Kid: s.kid, Use: "sig", Alg: s.method.Alg()}
	switch pub := s.key.Public().(type) {
	case *rsa.PublicKey:
		k.Kty = "RSA"
		k.N = base64.RawURLEncoding.EncodeToString(pub.N.Bytes())
		k.E = base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())
	case ed25519.PublicKey:
		k.Kty, k.Crv = "OKP", "Ed25519"
		k.X = base64.RawURLEncoding.EncodeToString(pub)
	}
	return json.Marshal(struct {
		Keys []jwk `json:"keys"`
	}{[]jwk{k}})
}

// WriteJWKS writes JWKS() to path (mode 0644), for a validator's JWKSFile.
func (s *Signer) WriteJWKS(path string) error {
	raw, err := s.JWKS()
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}
