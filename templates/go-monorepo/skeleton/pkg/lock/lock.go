// Package lock implements a distributed mutual-exclusion lock on Redis.
//
// Acquire stores a random token under the key with SET NX and the TTL, so one
// owner holds a key at a time and a crashed owner's lock expires after its
// TTL. Release and Refresh run Lua scripts that compare the token before
// deleting or extending the key, so an owner whose lock expired can never
// remove or extend the lock of the next owner. Hold keeps a lock alive while a
// function runs and cancels the function's context when the lock is lost.
//
// The lock assumes a single Redis primary (or a client that routes the key to
// one primary): it gives mutual exclusion for efficiency, such as one replica
// running each scheduled job, not the fencing guarantees a correctness-critical
// section would need across failovers.
package lock

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Config tunes a Locker. Prefix, when set, namespaces every key as
// "<Prefix>:<key>"; set it to the service name when services share one Redis.
type Config struct {
	Prefix string
}

// Locker acquires locks on one Redis client.
type Locker struct {
	client redis.UniversalClient
	prefix string
}

// NewLocker returns a Locker over client.
func NewLocker(client redis.UniversalClient, cfg Config) (*Locker, error) {
	if client == nil {
		return nil, errors.New("lock: redis client is required")
	}
	prefix := ""
	if cfg.Prefix != "" {
		prefix = cfg.Prefix + ":"
	}
	return &Locker{client: client, prefix: prefix}, nil
}

// Acquire takes the lock on key for ttl. It returns ErrNotAcquired, without
// waiting, when another owner holds the key.
func (l *Locker) Acquire(ctx context.Context, key string, ttl time.Duration) (*Lock, error) {
	if key == "" {
		return nil, errors.New("lock: key is required")
	}
	if ttl < time.Millisecond {
		return nil, fmt.Errorf("lock: ttl %v of %q is below one millisecond", ttl, key)
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	full := l.prefix + key
	start := time.Now()
	ok, err := l.client.SetArgs(ctx, full, token, redis.SetArgs{Mode: "NX", TTL: ttl}).Result()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, fmt.Errorf("lock: acquire %q: %w", full, ErrNotAcquired)
	case err != nil:
		return nil, fmt.Errorf("lock: acquire %q: %w", full, err)
	case ok != "OK":
		return nil, fmt.Errorf("lock: acquire %q: unexpected reply %q", full, ok)
	}
	return &Lock{client: l.client, key: full, token: token, ttl: ttl, validUntil: start.Add(ttl)}, nil
}

func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("lock: generate token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Lock is one acquired lock. Its methods are safe for concurrent use.
type Lock struct {
	client redis.UniversalClient
	key    string
	token  string

	mu         sync.Mutex
	ttl        time.Duration
	validUntil time.Time // the earliest moment the key may expire
}

// Key returns the Redis key of the lock, prefix included.
func (lk *Lock) Key() string { return lk.key }

// Token returns the random value identifying this owner.
func (lk *Lock) Token() string { return lk.token }

// TTL returns the lifetime set by the last successful Acquire or Refresh.
func (lk *Lock) TTL() time.Duration {
	lk.mu.Lock()
	defer lk.mu.Unlock()
	return lk.ttl
}

func (lk *Lock) state() (time.Duration, time.Time) {
	lk.mu.Lock()
	defer lk.mu.Unlock()
	return lk.ttl, lk.validUntil
}

// Release deletes the lock if this owner still holds it, and returns
// ErrNotHeld otherwise.
func (lk *Lock) Release(ctx context.Context) error {
	n, err := releaseScript.Run(ctx, lk.client, []string{lk.key}, lk.token).Int()
	if err != nil {
		return fmt.Errorf("lock: release %q: %w", lk.key, err)
	}
	if n == 0 {
		return fmt.Errorf("lock: release %q: %w", lk.key, ErrNotHeld)
	}
	return nil
}

// Refresh resets the lock's lifetime to ttl if this owner still holds it, and
// returns ErrNotHeld otherwise.
func (lk *Lock) Refresh(ctx context.Context, ttl time.Duration) error {
	if ttl < time.Millisecond {
		return fmt.Errorf("lock: refresh %q: ttl %v is below one millisecond", lk.key, ttl)
	}
	start := time.Now()
	n, err := refreshScript.Run(ctx, lk.client, []string{lk.key}, lk.token, ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("lock: refresh %q: %w", lk.key, err)
	}
	if n == 0 {
		return fmt.Errorf("lock: refresh %q: %w", lk.key, ErrNotHeld)
	}
	lk.mu.Lock()
	lk.ttl, lk.validUntil = ttl, start.Add(ttl)
	lk.mu.Unlock()
	return nil
}
