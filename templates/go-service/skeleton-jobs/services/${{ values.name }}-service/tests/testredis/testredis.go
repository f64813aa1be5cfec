// Package testredis gives the job tests a Redis client and a key prefix of
// their own on the local Redis.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Addr is REDIS_ADDR, or the local development Redis (make infra-up).
func Addr() string {
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		return addr
	}
	return "127.0.0.1:6379"
}

// New connects to Addr and closes the client when the test ends. A Redis that
// does not answer fails the test; GOLDEN_PATH_NO_REDIS=1 skips it instead.
func New(t testing.TB) *redis.Client {
	t.Helper()
	if os.Getenv("GOLDEN_PATH_NO_REDIS") == "1" {
		t.Skip("GOLDEN_PATH_NO_REDIS=1: skipping Redis test")
	}
	c := redis.NewClient(&redis.Options{Addr: Addr()})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		t.Fatalf("redis at %s (start it with make infra-up, set REDIS_ADDR, or GOLDEN_PATH_NO_REDIS=1 to skip): %v", Addr(), err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Prefix returns "<name>-test:<random>" and deletes every key under it when
// the test ends, so parallel tests and repeated runs never share keys.
func Prefix(t testing.TB, c *redis.Client, name string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	prefix := name + "-test:" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		keys, err := c.Keys(ctx, prefix+":*").Result()
		if err != nil {
			t.Errorf("list test keys %s:*: %v", prefix, err)
			return
		}
		if len(keys) > 0 {
			if err := c.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("delete test keys %s:*: %v", prefix, err)
			}
		}
	})
	return prefix
}
