package cache_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"${{ values.pkgModule }}/cache"
)

type product struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
}

// redisClient connects to REDIS_ADDR (default the local Redis on 6379).
func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("redis at %s (set REDIS_ADDR): %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func prefix(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "pkg-cache-test:" + hex.EncodeToString(b)
}

func TestLoaderSingleflightAndHit(t *testing.T) {
	t.Parallel()
	client := redisClient(t)
	var loads atomic.Int32
	l, err := cache.NewLoader(client, cache.Config{Prefix: prefix(t), TTL: time.Minute},
		func(ctx context.Context, id int) (product, error) {
			loads.Add(1)
			time.Sleep(100 * time.Millisecond) // keep concurrent misses overlapping
			return product{ID: id, Title: "lamp"}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Cleanup(func() { _ = l.Invalidate(context.Background(), 7) })

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := l.Get(ctx, 7)
			if err == nil && p.Title != "lamp" {
				err = errors.New("wrong value " + p.Title)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := loads.Load(); n != 1 {
		t.Fatalf("20 concurrent misses caused %d loads, want 1", n)
	}
	ttl, err := client.TTL(ctx, l.Key(7)).Result()
	if err != nil || ttl <= 0 || ttl > 66*time.Second {
		t.Fatalf("TTL = %v, %v; want within (0, 66s]", ttl, err)
	}
	if _, err := l.Get(ctx, 7); err != nil || loads.Load() != 1 {
		t.Fatalf("hit reloaded: loads=%d err=%v", loads.Load(), err)
	}
	if err := l.Invalidate(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Get(ctx, 7); err != nil || loads.Load() != 2 {
		t.Fatalf("after invalidate: loads=%d err=%v, want 2 loads", loads.Load(), err)
	}
}

func TestLoaderDoesNotCacheErrors(t *testing.T) {
	t.Parallel()
	client := redisClient(t)
	boom := errors.New("db down")
	var loads atomic.Int32
	l, err := cache.NewLoader(client, cache.Config{Prefix: prefix(t), TTL: time.Minute},
		func(ctx context.Context, id string) (product, error) {
			loads.Add(1)
			return product{}, boom
		})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := l.Get(context.Background(), "x"); !errors.Is(err, boom) {
			t.Fatalf("Get error = %v, want wrapped load error", err)
		}
	}
	if loads.Load() != 2 {
		t.Fatalf("loads = %d, want 2 (errors must not be cached)", loads.Load())
	}
}

func TestLoaderFallsBackWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { _ = dead.Close() })
	var reported atomic.Int32
	l, err := cache.NewLoader(dead, cache.Config{Prefix: "p", TTL: time.Minute, OnError: func(error) { reported.Add(1) }},
		func(ctx context.Context, id int) (int, error) { return id * 2, nil })
	if err != nil {
		t.Fatal(err)
	}
	v, err := l.Get(context.Background(), 21)
	if err != nil || v != 42 {
		t.Fatalf("Get = %d, %v; want 42 from the source", v, err)
	}
	if reported.Load() == 0 {
		t.Fatal("redis failure was not reported")
	}
}

func TestNewLoaderValidates(t *testing.T) {
	t.Parallel()
	load := func(context.Context, int) (int, error) { return 0, nil }
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { _ = client.Close() })
	for name, cfg := range map[string]cache.Config{
		"no prefix": {TTL: time.Second}, "no ttl": {Prefix: "p"}, "bad jitter": {Prefix: "p", TTL: time.Second, Jitter: 2},
	} {
		if _, err := cache.NewLoader(client, cfg, load); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := cache.NewLoader[int, int](nil, cache.Config{Prefix: "p", TTL: time.Second}, load); err == nil {
		t.Error("nil client accepted")
	}
}
