package jwt

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// jwk is the part of a JSON Web Key (RFC 7517, 7518, 8037) the validator uses.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid,omitempty"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
}

// keySet holds the public keys of a JWKS by key id.
type keySet struct {
	byKid map[string]crypto.PublicKey
	only  crypto.PublicKey // the key of a one-key set, for tokens without kid
}

// parseJWKS reads a JSON Web Key Set: RSA keys (at least 2048 bits) and
// Ed25519 (OKP) keys; keys for encryption ("use": "enc") are skipped. from
// (the file's path or the URL) names it in errors.
func parseJWKS(from string, raw []byte) (*keySet, error) {
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("jwt: JWKS %s is not JSON: %w", from, err)
	}
	set := &keySet{byKid: map[string]crypto.PublicKey{}}
	for i, k := range doc.Keys {
		if k.Use == "enc" {
			continue
		}
		pub, err := k.publicKey()
		if err != nil {
			return nil, fmt.Errorf("jwt: JWKS %s keys[%d] (kid %q): %w", from, i, k.Kid, err)
		}
		if _, dup := set.byKid[k.Kid]; dup {
			return nil, fmt.Errorf("jwt: JWKS %s: kid %q appears twice", from, k.Kid)
		}
		set.byKid[k.Kid] = pub
		set.only = pub
	}
	switch len(set.byKid) {
	case 0:
		return nil, fmt.Errorf("jwt: JWKS %s has no RSA or Ed25519 signing key", from)
	case 1:
	default:
		set.only = nil
	}
	return set, nil
}

func (k jwk) publicKey() (crypto.PublicKey, error) {
	switch k.Kty {
	case "RSA":
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		if err != nil {
			return nil, fmt.Errorf("modulus n: %w", err)
		}
		e, err := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("exponent e is not a base64url integer of at most 4 bytes")
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if pub.N.BitLen() < 2048 {
			return nil, fmt.Errorf("RSA key of %d bits, need at least 2048", pub.N.BitLen())
		}
		return pub, nil
	case "OKP":
		if k.Crv != "Ed25519" {
			return nil, fmt.Errorf("curve %q, only Ed25519 is supported", k.Crv)
		}
		x, err := base64.RawURLEncoding.DecodeString(k.X)
		if err != nil || len(x) != ed25519.PublicKeySize {
			return nil, errors.New("x is not a base64url Ed25519 public key")
		}
		return ed25519.PublicKey(x), nil
	}
	return nil, fmt.Errorf("key type %q, want RSA or OKP", k.Kty)
}

// errUnknownKid is wrapped by keySet.key for a token signed by no key of the set.
var errUnknownKid = errors.New("no key in the JWKS")

// kids returns the key ids of the set, sorted.
func (s *keySet) kids() []string {
	kids := make([]string, 0, len(s.byKid))
	for kid := range s.byKid {
		kids = append(kids, kid)
	}
	slices.Sort(kids)
	return kids
}

// key returns the public key that must have signed t: by its kid header, or
// the only key of the set when t has none; the key type must fit t's alg.
func (s *keySet) key(t *gojwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	pub, ok := s.byKid[kid]
	if kid == "" && s.only != nil {
		pub, ok = s.only, true
	}
	if !ok {
		return nil, fmt.Errorf("%w with kid %q", errUnknownKid, kid)
	}
	switch pub.(type) {
	case *rsa.PublicKey:
		if t.Method.Alg() != gojwt.SigningMethodRS256.Alg() {
			return nil, fmt.Errorf("alg %s with an RSA key", t.Method.Alg())
		}
	case ed25519.PublicKey:
		if t.Method.Alg() != gojwt.SigningMethodEdDSA.Alg() {
			return nil, fmt.Errorf("alg %s with an Ed25519 key", t.Method.Alg())
		}
	}
	return pub, nil
}
