package jwt

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"slices"
	"sync"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap"
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

// jwksFile is the identity provider's key set, read again when the file
// changes: providers rotate keys, and a Kubernetes Secret or ConfigMap
// volume replaces the file in place. The file is read when a token comes
// and the last read is JWKSRefresh old, or JWKSMinRefresh old for a token
// whose kid is unknown, rather than by a goroutine: nothing to stop, and
// an idle service needs no keys. The content, not the mtime, decides
// whether it changed (a JWKS is a few kilobytes).
type jwksFile struct {
	path    string
	refresh time.Duration
	minGap  time.Duration
	logger  *zap.Logger

	mu      sync.Mutex
	now     func() time.Time // replaced by tests
	keys    *keySet          // the last good key set
	raw     []byte           // the content keys came from
	read    time.Time        // when the file was last read
	failure string           // why the last read could not be used, logged once
}

// openJWKS reads cfg.JWKSFile; a file that cannot be used fails the start.
func openJWKS(cfg Config) (*jwksFile, error) {
	raw, err := os.ReadFile(cfg.JWKSFile)
	if err != nil {
		return nil, fmt.Errorf("jwt: read JWKS: %w", err)
	}
	keys, err := parseJWKS(cfg.JWKSFile, raw)
	if err != nil {
		return nil, err
	}
	f := &jwksFile{
		path: cfg.JWKSFile, refresh: cfg.JWKSRefresh, minGap: cfg.JWKSMinRefresh, logger: cfg.Logger,
		now: time.Now, keys: keys, raw: raw,
	}
	if f.refresh <= 0 {
		f.refresh = DefaultJWKSRefresh
	}
	if f.minGap <= 0 {
		f.minGap = DefaultJWKSMinRefresh
	}
	if f.logger == nil {
		f.logger = zap.NewNop()
	}
	f.read = f.now()
	return f, nil
}

// key returns the public key that must have signed t, reading the file
// again first when it is due, and once more for an unknown kid.
func (f *jwksFile) key(t *gojwt.Token) (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.now().Sub(f.read) >= f.refresh {
		f.reload()
	}
	pub, err := f.keys.key(t)
	if errors.Is(err, errUnknownKid) && f.now().Sub(f.read) >= f.minGap {
		f.reload()
		pub, err = f.keys.key(t)
	}
	return pub, err
}

// reload reads the file and takes its keys if it changed and is valid;
// otherwise it keeps the last good key set, logging each new cause once.
// The caller holds f.mu.
func (f *jwksFile) reload() {
	f.read = f.now()
	raw, err := os.ReadFile(f.path)
	if err == nil && bytes.Equal(raw, f.raw) {
		f.failure = ""
		return
	}
	var keys *keySet
	if err != nil {
		err = fmt.Errorf("jwt: read JWKS: %w", err)
	} else {
		keys, err = parseJWKS(f.path, raw)
	}
	if err != nil {
		if cause := err.Error(); cause != f.failure {
			f.failure = cause
			f.logger.Warn("JWKS file cannot be used; keeping the last good key set", zap.String("path", f.path), zap.Error(err))
		}
		return
	}
	f.keys, f.raw, f.failure = keys, raw, ""
	f.logger.Info("JWKS reloaded", zap.String("path", f.path), zap.Strings("kids", keys.kids()))
}

// parseJWKS reads a JSON Web Key Set: RSA keys (at least 2048 bits) and
// Ed25519 (OKP) keys; keys for encryption ("use": "enc") are skipped.
func parseJWKS(path string, raw []byte) (*keySet, error) {
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("jwt: JWKS %s is not JSON: %w", path, err)
	}
	set := &keySet{byKid: map[string]crypto.PublicKey{}}
	for i, k := range doc.Keys {
		if k.Use == "enc" {
			continue
		}
		pub, err := k.publicKey()
		if err != nil {
			return nil, fmt.Errorf("jwt: JWKS %s keys[%d] (kid %q): %w", path, i, k.Kid, err)
		}
		if _, dup := set.byKid[k.Kid]; dup {
			return nil, fmt.Errorf("jwt: JWKS %s: kid %q appears twice", path, k.Kid)
		}
		set.byKid[k.Kid] = pub
		set.only = pub
	}
	switch len(set.byKid) {
	case 0:
		return nil, fmt.Errorf("jwt: JWKS %s has no RSA or Ed25519 signing key", path)
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
