package jwt_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"${{ values.pkgModule }}/auth/jwt"
)

// fetchTimeout is the JWKSTimeout of these tests: short, so the slow
// responses below run past it quickly.
const fetchTimeout = 300 * time.Millisecond

// response is what the provider answers a JWKS request with.
type response struct {
	status       int // 0: 200
	contentType  string
	cacheControl string
	body         string
	delay        time.Duration // before the headers, cut short when the client gives up
	endless      bool          // the body never ends
	location     string        // a redirect
}

// provider is an identity provider's JWKS endpoint on loopback, whose
// answer the tests change and whose requests they count.
type provider struct {
	srv  *httptest.Server
	mu   sync.Mutex
	resp response
	hits int
}

func newProvider(t *testing.T, resp response) *provider {
	t.Helper()
	p := &provider{resp: resp}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		resp := p.resp
		p.hits++
		p.mu.Unlock()
		select {
		case <-time.After(resp.delay):
		case <-r.Context().Done():
			return
		}
		if resp.location != "" {
			http.Redirect(w, r, resp.location, http.StatusFound)
			return
		}
		if resp.contentType == "" {
			resp.contentType = "application/json; charset=utf-8"
		}
		w.Header().Set("Content-Type", resp.contentType)
		if resp.cacheControl != "" {
			w.Header().Set("Cache-Control", resp.cacheControl)
		}
		if resp.status != 0 {
			w.WriteHeader(resp.status)
		}
		_, _ = w.Write([]byte(resp.body))
		pad := bytes.Repeat([]byte(" "), 32<<10) // big writes: the limit, not the timeout, must end it
		for resp.endless && r.Context().Err() == nil {
			if _, err := w.Write(pad); err != nil {
				return
			}
		}
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) url() string { return p.srv.URL + "/.well-known/jwks.json" }

func (p *provider) answer(resp response) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resp = resp
}

func (p *provider) requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits
}

// jwksJSON is the key set publishing the signers' public keys.
func jwksJSON(t *testing.T, signers ...*jwt.Signer) string {
	t.Helper()
	var keys []string
	for _, s := range signers {
		raw, err := s.JWKS()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, strings.TrimSuffix(strings.TrimPrefix(string(raw), `{"keys":[`), `]}`))
	}
	return `{"keys":[` + strings.Join(keys, ",") + `]}`
}

// urlRotation is a validator trusting a provider's JWKS URL, which
// publishes the old key ("k1") and later the key it rotates to ("k2").
type urlRotation struct {
	p        *provider
	old, new *jwt.Signer
	v        *jwt.Validator
	clock    *clock
	logs     *observer.ObservedLogs
}

func newURLRotation(t *testing.T, first response) *urlRotation {
	t.Helper()
	old, err := jwt.NewEdDSASigner("k1", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	next, err := jwt.NewEdDSASigner("k2", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	r := &urlRotation{old: old, new: next, clock: &clock{t: time.Now()}}
	first.body = jwksJSON(t, old)
	r.p = newProvider(t, first)
	core, logs := observer.New(zapcore.InfoLevel)
	r.logs = logs
	r.v = newValidator(t, jwt.Config{
		Issuer: "idp", Audience: "api", JWKSURL: r.p.url(), JWKSTimeout: fetchTimeout, Logger: zap.New(core),
	})
	jwt.SetClock(r.v, r.clock.now)
	t.Cleanup(func() { jwt.WaitForJWKSFetch(r.v) })
	return r
}

// accepts reports whether the validator takes a fresh token of s.
func (r *urlRotation) accepts(t *testing.T, s *jwt.Signer) bool {
	t.Helper()
	tok, err := s.Issue("user-1", nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.v.Validate(tok)
	return err == nil
}

// tick moves the clock by d, lets a token start the fetch that is due (in
// the background) and waits for it.
func (r *urlRotation) tick(t *testing.T, d time.Duration) {
	t.Helper()
	r.clock.advance(d)
	r.accepts(t, r.old)
	jwt.WaitForJWKSFetch(r.v)
}

// TestJWKSURLRotationWithoutRestart: after the provider rotates its keys, a
// token with the new kid makes the validator fetch the URL again, and the
// periodic fetch drops the retired key.
func TestJWKSURLRotationWithoutRestart(t *testing.T) {
	t.Parallel()
	r := newURLRotation(t, response{})
	if !r.accepts(t, r.old) || r.accepts(t, r.new) {
		t.Fatal("before the rotation: want the old key only")
	}
	r.p.answer(response{body: jwksJSON(t, r.old, r.new), contentType: "application/jwk-set+json"})
	r.clock.advance(jwt.DefaultJWKSMinRefresh)
	if !r.accepts(t, r.new) {
		t.Fatal("a token with the new kid refused after the rotation")
	}
	if !r.accepts(t, r.old) {
		t.Fatal("the old key, still published, refused")
	}
	r.p.answer(response{body: jwksJSON(t, r.new)})
	r.tick(t, jwt.DefaultJWKSRefresh)
	if r.accepts(t, r.old) {
		t.Error("the retired key is still trusted after the periodic fetch")
	}
	if !r.accepts(t, r.new) {
		t.Error("the new key refused after the periodic fetch")
	}
	reloads := r.logs.FilterMessage("JWKS reloaded").FilterField(zap.String("url", r.p.url()))
	if reloads.Len() != 2 {
		t.Errorf("%d reloads of %s logged, want 2", reloads.Len(), r.p.url())
	}
	if n := r.p.requests(); n != 3 {
		t.Errorf("%d requests, want 3 (start, new kid, periodic)", n)
	}
}

// TestJWKSURLBadResponseKeepsLastKeys: every answer below carries the new
// key, yet none may be taken; the last good key set stays, and each cause is
// logged once with the URL. Then a good answer is taken again.
func TestJWKSURLBadResponseKeepsLastKeys(t *testing.T) {
	t.Parallel()
	r := newURLRotation(t, response{})
	both := jwksJSON(t, r.old, r.new)
	for _, tt := range []struct {
		name  string
		resp  response
		cause string
	}{
		{"endless", response{body: both, endless: true}, "larger than"},
		{"server error", response{status: http.StatusInternalServerError, body: both}, "status 500 Internal Server Error"},
		{"not found", response{status: http.StatusNotFound, body: both}, "status 404 Not Found"},
		{"an HTML page", response{contentType: "text/html", body: both}, `content type "text/html"`},
		{"not JSON", response{body: both[:len(both)/2]}, "is not JSON"},
		{"no keys", response{body: `{"keys":[]}`}, "has no RSA or Ed25519 signing key"},
		{"oversized", response{body: both + strings.Repeat(" ", jwt.MaxJWKSBytes)}, "larger than"},
		{"slow", response{body: both, delay: 3 * fetchTimeout}, "no complete answer within 300ms"},
	} {
		r.logs.TakeAll() // each case counts its own warnings
		r.p.answer(tt.resp)
		for range 2 {
			began := time.Now()
			r.tick(t, jwt.DefaultJWKSRefresh)
			if took := time.Since(began); took > 2*fetchTimeout {
				t.Errorf("%s: the fetch took %s, JWKSTimeout is %s", tt.name, took, fetchTimeout)
			}
			if !r.accepts(t, r.old) {
				t.Fatalf("%s: the last good key is no longer trusted", tt.name)
			}
			if r.accepts(t, r.new) {
				t.Fatalf("%s: a key from a response that must be refused is trusted", tt.name)
			}
		}
		warnings := r.logs.FilterMessage("JWKS URL cannot be used; keeping the last good key set").
			FilterField(zap.String("url", r.p.url())).
			Filter(func(e observer.LoggedEntry) bool {
				err, _ := e.ContextMap()["error"].(string)
				return strings.Contains(err, tt.cause)
			})
		if warnings.Len() != 1 || r.logs.Len() != 1 {
			t.Errorf("%s: %d warnings naming %s and %q, want 1 and no other; logs: %v", tt.name, warnings.Len(), r.p.url(), tt.cause, r.logs.All())
		}
	}
	r.p.answer(response{body: jwksJSON(t, r.new)})
	r.tick(t, jwt.DefaultJWKSRefresh)
	if !r.accepts(t, r.new) || r.accepts(t, r.old) {
		t.Error("the repaired answer was not taken")
	}
}

// TestJWKSURLSlowFetchDelaysNoToken: the periodic fetch runs off the request
// path, so while the provider hangs, tokens whose key is known pass at once.
func TestJWKSURLSlowFetchDelaysNoToken(t *testing.T) {
	t.Parallel()
	r := newURLRotation(t, response{})
	r.p.answer(response{body: jwksJSON(t, r.old), delay: time.Minute})
	r.clock.advance(jwt.DefaultJWKSRefresh)
	began := time.Now()
	if !r.accepts(t, r.old) {
		t.Fatal("the old key refused while the provider hangs")
	}
	if took := time.Since(began); took >= fetchTimeout/2 {
		t.Errorf("a token with a known key waited %s for the fetch", took)
	}
	jwt.WaitForJWKSFetch(r.v)
	if n := r.p.requests(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestJWKSURLReloadIsRateLimited: tokens with unknown kids fetch the URL at
// most once per JWKSMinRefresh, so forged kids cannot flood the provider.
func TestJWKSURLReloadIsRateLimited(t *testing.T) {
	t.Parallel()
	r := newURLRotation(t, response{})
	r.p.answer(response{body: jwksJSON(t, r.new)})
	r.clock.advance(jwt.DefaultJWKSMinRefresh - time.Second)
	for range 5 {
		if r.accepts(t, r.new) {
			t.Fatal("the URL was fetched again before JWKSMinRefresh passed")
		}
	}
	if n := r.p.requests(); n != 1 {
		t.Fatalf("%d requests before JWKSMinRefresh passed, want 1", n)
	}
	r.clock.advance(time.Second)
	if !r.accepts(t, r.new) {
		t.Fatal("the URL was not fetched again once JWKSMinRefresh passed")
	}
	// The fetch just now starts a new interval.
	r.p.answer(response{body: jwksJSON(t, r.old)})
	r.clock.advance(time.Second)
	for range 5 {
		if r.accepts(t, r.old) {
			t.Fatal("a second fetch within JWKSMinRefresh")
		}
	}
	if n := r.p.requests(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestJWKSURLHonoursMaxAge: a simple Cache-Control max-age replaces
// JWKSRefresh, within [JWKSMinRefresh, MaxJWKSCacheAge]; no-cache, or a
// header that is not simple, leaves JWKSRefresh.
func TestJWKSURLHonoursMaxAge(t *testing.T) {
	t.Parallel()
	for header, fresh := range map[string]time.Duration{
		"":                       jwt.DefaultJWKSRefresh,
		"public, max-age=120":    2 * time.Minute,
		"max-age=2":              jwt.DefaultJWKSMinRefresh,
		"max-age=86400":          jwt.MaxJWKSCacheAge,
		"no-cache, max-age=120":  jwt.DefaultJWKSRefresh,
		"max-age=two-minutes":    jwt.DefaultJWKSRefresh,
		"max-age=99999999999999": jwt.MaxJWKSCacheAge,
	} {
		r := newURLRotation(t, response{cacheControl: header})
		r.tick(t, fresh-time.Second)
		if n := r.p.requests(); n != 1 {
			t.Errorf("Cache-Control %q: fetched again after %s, want after %s", header, fresh-time.Second, fresh)
		}
		r.tick(t, time.Second)
		if n := r.p.requests(); n != 2 {
			t.Errorf("Cache-Control %q: not fetched again after %s", header, fresh)
		}
	}
}

// TestJWKSURLMustBeHTTPS: the keys decide whose tokens pass, so they come
// over https; plain http only from a loopback host, redirects included.
func TestJWKSURLMustBeHTTPS(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{
		"https://login.example.com/.well-known/jwks.json",
		"https://login.example.com:8443/realms/shop/protocol/openid-connect/certs",
		"http://127.0.0.1:8080/keys",
		"http://localhost:5556/dex/keys",
		"http://[::1]/keys",
	} {
		if err := jwt.CheckJWKSURL(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"http://login.example.com/.well-known/jwks.json",
		"http://10.0.0.7/keys",
		"ftp://login.example.com/jwks.json",
		"login.example.com/jwks.json",
		"https:///jwks.json",
		"https://user:hunter2@login.example.com/jwks.json",
		"://",
	} {
		err := jwt.CheckJWKSURL(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows the password: %v", err)
		}
		if _, err := jwt.NewValidator(jwt.Config{Issuer: "idp", Audience: "api", JWKSURL: bad}); err == nil {
			t.Errorf("NewValidator took %s", bad)
		}
	}
	redirect := newProvider(t, response{location: "http://login.example.com/.well-known/jwks.json"})
	_, err := jwt.NewValidator(jwt.Config{Issuer: "idp", Audience: "api", JWKSURL: redirect.url(), JWKSTimeout: fetchTimeout})
	if err == nil || !strings.Contains(err.Error(), "plain http is allowed for a loopback host only") {
		t.Errorf("a redirect to plain http: NewValidator error = %v", err)
	}
}

// TestJWKSURLFirstFetchFailsTheStart: without keys a service could only
// refuse every token, so a first fetch that fails fails NewValidator, naming
// the URL and the cause, within JWKSTimeout.
func TestJWKSURLFirstFetchFailsTheStart(t *testing.T) {
	t.Parallel()
	idp, err := jwt.NewEdDSASigner("k1", "idp", "api")
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		resp  response
		cause string
	}{
		"unavailable": {response{status: http.StatusServiceUnavailable}, "status 503 Service Unavailable"},
		"slow":        {response{body: jwksJSON(t, idp), delay: 3 * fetchTimeout}, "no complete answer within 300ms"},
	} {
		p := newProvider(t, tt.resp)
		began := time.Now()
		_, err := jwt.NewValidator(jwt.Config{Issuer: "idp", Audience: "api", JWKSURL: p.url(), JWKSTimeout: fetchTimeout})
		if err == nil || !strings.Contains(err.Error(), p.srv.URL) || !strings.Contains(err.Error(), tt.cause) {
			t.Errorf("%s: NewValidator error = %v, want the URL and %q", name, err, tt.cause)
		}
		if took := time.Since(began); took > 2*fetchTimeout {
			t.Errorf("%s: NewValidator took %s, JWKSTimeout is %s", name, took, fetchTimeout)
		}
	}
	p := newProvider(t, response{body: jwksJSON(t, idp)})
	if _, err := jwt.NewValidator(jwt.Config{Audience: "api", JWKSURL: p.url()}); !errors.Is(err, jwt.ErrIssuerAudienceRequired) {
		t.Errorf("a JWKS URL without issuer: %v, want ErrIssuerAudienceRequired", err)
	}
	if _, err := jwt.NewValidator(jwt.Config{Issuer: "idp", Audience: "api", JWKSURL: p.url(), JWKSFile: "/etc/idp/jwks.json"}); !errors.Is(err, jwt.ErrJWKSFileAndURL) {
		t.Errorf("both a JWKS file and URL: %v, want ErrJWKSFileAndURL", err)
	}
	if n := p.requests(); n != 0 {
		t.Errorf("%d requests for refused configurations", n)
	}
}
