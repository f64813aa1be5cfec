package jwt_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"${{ values.pkgModule }}/auth/jwt"
)

// clock is a time the reload tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// rotation is an identity provider whose key set file the validator reads,
// with the old key ("k1") and the key it rotates to ("k2").
type rotation struct {
	path     string
	old, new *jwt.Signer
	v        *jwt.Validator
	clock    *clock
	logs     *observer.ObservedLogs
}

func newRotation(t *testing.T) *rotation {
	t.Helper()
	old, err := jwt.NewEdDSASigner("k1", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	next, err := jwt.NewEdDSASigner("k2", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	r := &rotation{path: filepath.Join(t.TempDir(), "jwks.json"), old: old, new: next, clock: &clock{t: time.Now()}}
	r.write(t, old)
	core, logs := observer.New(zapcore.InfoLevel)
	r.logs = logs
	r.v = newValidator(t, jwt.Config{Issuer: "idp", Audience: "api", JWKSFile: r.path, Logger: zap.New(core)})
	jwt.SetClock(r.v, r.clock.now)
	return r
}

// write replaces the key set file the way a Kubernetes volume does: a new
// file renamed over the old one.
func (r *rotation) write(t *testing.T, signers ...*jwt.Signer) {
	t.Helper()
	var keys []string
	for _, s := range signers {
		raw, err := s.JWKS()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, strings.TrimSuffix(strings.TrimPrefix(string(raw), `{"keys":[`), `]}`))
	}
	r.writeRaw(t, `{"keys":[`+strings.Join(keys, ",")+`]}`)
}

func (r *rotation) writeRaw(t *testing.T, content string) {
	t.Helper()
	tmp := r.path + ".new"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, r.path); err != nil {
		t.Fatal(err)
	}
}

// accepts reports whether the validator takes a fresh token of s.
func (r *rotation) accepts(t *testing.T, s *jwt.Signer) bool {
	t.Helper()
	tok, err := s.Issue("user-1", nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.v.Validate(tok)
	return err == nil
}

// TestJWKSRotationWithoutRestart: after the provider rotates its keys, a
// token with the new kid makes the validator read the file again, and the
// periodic read drops the retired key.
func TestJWKSRotationWithoutRestart(t *testing.T) {
	t.Parallel()
	r := newRotation(t)
	if !r.accepts(t, r.old) || r.accepts(t, r.new) {
		t.Fatal("before the rotation: want the old key only")
	}
	r.write(t, r.old, r.new) // the provider publishes the next key first
	r.clock.advance(jwt.DefaultJWKSMinRefresh)
	if !r.accepts(t, r.new) {
		t.Fatal("a token with the new kid refused after the rotation")
	}
	if !r.accepts(t, r.old) {
		t.Fatal("the old key, still published, refused")
	}
	r.write(t, r.new) // then retires the old one
	r.clock.advance(jwt.DefaultJWKSRefresh)
	if r.accepts(t, r.old) {
		t.Error("the retired key is still trusted after the periodic read")
	}
	if !r.accepts(t, r.new) {
		t.Error("the new key refused after the periodic read")
	}
	if n := r.logs.FilterMessage("JWKS reloaded").Len(); n != 2 {
		t.Errorf("%d reloads logged, want 2", n)
	}
}

// TestJWKSBrokenFileKeepsLastKeys: a file that cannot be used leaves the
// last good key set in place, and its cause is logged once, not per read.
func TestJWKSBrokenFileKeepsLastKeys(t *testing.T) {
	t.Parallel()
	r := newRotation(t)
	for _, broken := range []string{`{"keys":[{"kty":"RSA","kid":"k2","n":"AQAB","e":"AQAB"}`, `{"keys":[]}`} {
		r.writeRaw(t, broken)
		for range 3 {
			r.clock.advance(jwt.DefaultJWKSRefresh)
			if !r.accepts(t, r.old) {
				t.Fatalf("file %s: the last good key is no longer trusted", broken)
			}
			if r.accepts(t, r.new) {
				t.Fatalf("file %s: an unknown key is trusted", broken)
			}
		}
	}
	if err := os.Remove(r.path); err != nil {
		t.Fatal(err)
	}
	r.clock.advance(jwt.DefaultJWKSRefresh)
	if !r.accepts(t, r.old) {
		t.Fatal("a missing file dropped the last good key")
	}
	warnings := r.logs.FilterMessage("JWKS file cannot be used; keeping the last good key set")
	if warnings.Len() != 3 {
		t.Errorf("%d warnings for 3 causes, want each logged once", warnings.Len())
	}
	r.write(t, r.new)
	r.clock.advance(jwt.DefaultJWKSRefresh)
	if !r.accepts(t, r.new) || r.accepts(t, r.old) {
		t.Error("the repaired file was not taken")
	}
}

// TestJWKSReloadIsRateLimited: tokens with unknown kids read the file at most
// once per JWKSMinRefresh, so forged kids cannot make every call read it.
func TestJWKSReloadIsRateLimited(t *testing.T) {
	t.Parallel()
	r := newRotation(t)
	r.write(t, r.new)
	r.clock.advance(jwt.DefaultJWKSMinRefresh - time.Second)
	for range 5 {
		if r.accepts(t, r.new) {
			t.Fatal("the file was read again before JWKSMinRefresh passed")
		}
	}
	r.clock.advance(time.Second)
	if !r.accepts(t, r.new) {
		t.Fatal("the file was not read again once JWKSMinRefresh passed")
	}
	// The read just now starts a new interval.
	r.write(t, r.old)
	r.clock.advance(time.Second)
	if r.accepts(t, r.old) {
		t.Error("a second read within JWKSMinRefresh")
	}
}
