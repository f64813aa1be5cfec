// Package cache implements read-through caching over Redis: a generic Loader
// looks a key up in Redis and, on a miss, loads it from the source of truth
// exactly once per key at a time (singleflight), then stores it with a TTL.
package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// LoadFunc loads the value for key from the source of truth.
type LoadFunc[K comparable, V any] func(ctx context.Context, key K) (V, error)

// Config tunes a Loader. Prefix namespaces the Redis keys (for example
// "order:v1"); TTL is the lifetime of a cached value, spread by up to
// Jitter (a fraction, default 0.1) so entries do not expire together.
type Config struct {
	Prefix string
	TTL    time.Duration
	Jitter float64
	// OnError, when set, receives Redis errors that the loader survived by
	// falling back to the source of truth (log or count them).
	OnError func(err error)
}

// Loader is a read-through cache for values of type V keyed by K. Values are
// stored as JSON; errors from load are returned and never cached.
type Loader[K comparable, V any] struct {
	client redis.UniversalClient
	cfg    Config
	load   LoadFunc[K, V]
	group  singleflight.Group
}

// NewLoader returns a Loader over client.
func NewLoader[K comparable, V any](client redis.UniversalClient, cfg Config, load LoadFunc[K, V]) (*Loader[K, V], error) {
	switch {
	case client == nil:
		return nil, errors.New("cache: redis client is required")
	case load == nil:
		return nil, errors.New("cache: load function is required")
	case cfg.Prefix == "":
		return nil, errors.New("cache: Config.Prefix is required")
	case cfg.TTL <= 0:
		return nil, errors.New("cache: Config.TTL must be positive")
	case cfg.Jitter < 0 || cfg.Jitter >= 1:
		return nil, fmt.Errorf("cache: Config.Jitter %v is outside [0, 1)", cfg.Jitter)
	}
	if cfg.Jitter == 0 {
		cfg.Jitter = 0.1
	}
	return &Loader[K, V]{client: client, cfg: cfg, load: load}, nil
}

// Key returns the Redis key used for key.
func (l *Loader[K, V]) Key(key K) string { return fmt.Sprintf("%s:%v", l.cfg.Prefix, key) }

// Get returns the cached value for key, loading and caching it on a miss.
// Concurrent misses for the same key share one load. When Redis fails the
// value is served from the source of truth without caching.
func (l *Loader[K, V]) Get(ctx context.Context, key K) (V, error) {
	rkey := l.Key(key)
	raw, err := l.client.Get(ctx, rkey).Bytes()
	switch {
	case err == nil:
		var v V
		if err := json.Unmarshal(raw, &v); err == nil {
			return v, nil
		}
		// Undecodable entry (type changed): reload and overwrite it.
	case !errors.Is(err, redis.Nil):
		l.report(fmt.Errorf("cache: get %s: %w", rkey, err))
	}
	res, err, _ := l.group.Do(rkey, func() (any, error) {
		v, err := l.load(ctx, key)
		if err != nil {
			return v, err
		}
		if data, err := json.Marshal(v); err != nil {
			l.report(fmt.Errorf("cache: encode %s: %w", rkey, err))
		} else if err := l.client.Set(ctx, rkey, data, l.ttl()).Err(); err != nil {
			l.report(fmt.Errorf("cache: set %s: %w", rkey, err))
		}
		return v, nil
	})
	if err != nil {
		var zero V
		return zero, fmt.Errorf("cache: load %v: %w", key, err)
	}
	return res.(V), nil
}

// Invalidate removes key from the cache; call it after writing the source of truth.
func (l *Loader[K, V]) Invalidate(ctx context.Context, key K) error {
	if err := l.client.Del(ctx, l.Key(key)).Err(); err != nil {
		return fmt.Errorf("cache: invalidate %s: %w", l.Key(key), err)
	}
	return nil
}

func (l *Loader[K, V]) ttl() time.Duration {
	spread := float64(l.cfg.TTL) * l.cfg.Jitter
	return l.cfg.TTL + time.Duration(rand.Float64()*spread)
}

func (l *Loader[K, V]) report(err error) {
	if l.cfg.OnError != nil {
		l.cfg.OnError(err)
	}
}
