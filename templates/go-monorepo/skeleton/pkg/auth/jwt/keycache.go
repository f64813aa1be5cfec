package jwt

import (
	"bytes"
	"errors"
	"sync"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap"
)

// source is where the identity provider's key set comes from: a file
// (jwks_file.go) or an HTTPS URL (jwks_url.go).
type source interface {
	// fetch reads the key set once, within its own time limit, and returns
	// its content and how long the source says it stays fresh (0: not said).
	fetch() (raw []byte, maxAge time.Duration, err error)
	// name is the path or URL, for errors.
	name() string
	// kind is "file" or "URL", for log messages.
	kind() string
	// field names the source in log lines.
	field() zap.Field
}

// keyCache is the identity provider's key set, fetched again because
// providers rotate keys: when a token comes and the last fetch is older than
// the keys stay fresh (JWKSRefresh, or the URL's Cache-Control max-age), or
// JWKSMinRefresh old for a token whose kid is unknown. Fetches are started by
// tokens rather than by a ticking goroutine: nothing to stop, and an idle
// service needs no keys. The content decides whether the set changed (a JWKS
// is a few kilobytes); a fetch that fails or brings an unusable set keeps the
// last good one.
type keyCache struct {
	src     source
	refresh time.Duration // freshness when the source says nothing
	minGap  time.Duration // least time between fetches for unknown kids
	// background: a periodic fetch runs off the request path, so a slow
	// provider delays no token whose key is known (URLs; a file is read inline).
	background bool
	logger     *zap.Logger

	mu      sync.Mutex
	now     func() time.Time // replaced by tests
	keys    *keySet          // the last good key set
	raw     []byte           // the content keys came from
	fetched time.Time        // when the last fetch began
	fresh   time.Duration    // how long keys count as fresh after fetched
	running chan struct{}    // closed when the fetch under way ends; nil when none
	failure string           // why the last fetch could not be used, logged once
}

// MaxJWKSCacheAge caps a Cache-Control max-age: a key the provider retired
// (perhaps because it leaked) is trusted at most this long after.
const MaxJWKSCacheAge = time.Hour

// openKeyCache fetches the key set once; a source that cannot be used fails
// the start (docs/decisions.md of the template: first fetch).
func openKeyCache(src source, cfg Config, background bool) (*keyCache, error) {
	raw, maxAge, err := src.fetch()
	if err != nil {
		return nil, err
	}
	keys, err := parseJWKS(src.name(), raw)
	if err != nil {
		return nil, err
	}
	c := &keyCache{
		src: src, refresh: cfg.JWKSRefresh, minGap: cfg.JWKSMinRefresh, background: background, logger: cfg.Logger,
		now: time.Now, keys: keys, raw: raw,
	}
	if c.refresh <= 0 {
		c.refresh = DefaultJWKSRefresh
	}
	if c.minGap <= 0 {
		c.minGap = DefaultJWKSMinRefresh
	}
	if c.logger == nil {
		c.logger = zap.NewNop()
	}
	c.fresh = c.freshFor(maxAge)
	c.fetched = c.now()
	return c, nil
}

// key returns the public key that must have signed t, fetching the set again
// first when it is due, and once more (waiting for it) for an unknown kid.
func (c *keyCache) key(t *gojwt.Token) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now().Sub(c.fetched) >= c.fresh {
		c.start()
	}
	pub, err := c.keys.key(t)
	if errors.Is(err, errUnknownKid) && (c.running != nil || c.now().Sub(c.fetched) >= c.minGap) {
		// Perhaps a rotated key: wait for the fetch under way or a new one,
		// at most the source's time limit.
		done := c.start()
		c.mu.Unlock()
		<-done
		c.mu.Lock()
		pub, err = c.keys.key(t)
	}
	return pub, err
}

// start begins a fetch unless one is under way and returns a channel closed
// when it ends. A background fetch runs in its own goroutine, which ends
// within the source's time limit; otherwise start returns after the fetch.
// The caller holds c.mu.
func (c *keyCache) start() <-chan struct{} {
	if c.running != nil {
		return c.running
	}
	done := make(chan struct{})
	c.running, c.fetched = done, c.now()
	if c.background {
		go c.run(done)
		return done
	}
	c.mu.Unlock()
	c.run(done)
	c.mu.Lock()
	return done
}

// run fetches without holding c.mu, so tokens with known keys go on meanwhile.
func (c *keyCache) run(done chan struct{}) {
	raw, maxAge, err := c.src.fetch()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.take(raw, maxAge, err)
	c.running = nil
	close(done)
}

// take keeps the fetched set if it changed and is valid; otherwise it keeps
// the last good set, logging each new cause once, and tries again after
// JWKSRefresh. The caller holds c.mu.
func (c *keyCache) take(raw []byte, maxAge time.Duration, err error) {
	if err == nil && bytes.Equal(raw, c.raw) {
		c.failure, c.fresh = "", c.freshFor(maxAge)
		return
	}
	var keys *keySet
	if err == nil {
		keys, err = parseJWKS(c.src.name(), raw)
	}
	if err != nil {
		c.fresh = c.refresh
		if cause := err.Error(); cause != c.failure {
			c.failure = cause
			c.logger.Warn("JWKS "+c.src.kind()+" cannot be used; keeping the last good key set", c.src.field(), zap.Error(err))
		}
		return
	}
	c.keys, c.raw, c.failure, c.fresh = keys, raw, "", c.freshFor(maxAge)
	c.logger.Info("JWKS reloaded", c.src.field(), zap.Strings("kids", keys.kids()))
}

// freshFor is how long a set the source says stays fresh for maxAge counts
// as fresh: maxAge within [JWKSMinRefresh, MaxJWKSCacheAge], or JWKSRefresh
// when the source says nothing.
func (c *keyCache) freshFor(maxAge time.Duration) time.Duration {
	switch {
	case maxAge <= 0:
		return c.refresh
	case maxAge < c.minGap:
		return c.minGap
	case maxAge > MaxJWKSCacheAge:
		return MaxJWKSCacheAge
	}
	return maxAge
}
