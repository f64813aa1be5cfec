package lock_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"${{ values.pkgModule }}/internal/testredis"
	"${{ values.pkgModule }}/lock"
)

func newLocker(t *testing.T) (*lock.Locker, *redis.Client, string) {
	t.Helper()
	client := testredis.New(t)
	prefix := testredis.Prefix(t, client, "pkg-lock")
	l, err := lock.NewLocker(client, lock.Config{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	return l, client, prefix
}

func TestNewLockerAndAcquireRejectBadInput(t *testing.T) {
	t.Parallel()
	if _, err := lock.NewLocker(nil, lock.Config{}); err == nil {
		t.Fatal("NewLocker accepted a nil client")
	}
	l, _, _ := newLocker(t)
	ctx := context.Background()
	if _, err := l.Acquire(ctx, "", time.Second); err == nil {
		t.Fatal("Acquire accepted an empty key")
	}
	if _, err := l.Acquire(ctx, "k", time.Microsecond); err == nil {
		t.Fatal("Acquire accepted a ttl below one millisecond")
	}
}

func TestAcquireIsExclusiveUntilRelease(t *testing.T) {
	t.Parallel()
	l, client, prefix := newLocker(t)
	ctx := context.Background()

	lk, err := l.Acquire(ctx, "report", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if lk.Key() != prefix+":report" {
		t.Fatalf("Key() = %q, want the prefixed key", lk.Key())
	}
	stored, err := client.Get(ctx, lk.Key()).Result()
	if err != nil || stored != lk.Token() || len(stored) != 32 {
		t.Fatalf("stored value %q, %v; want the 32-hex-digit token %q", stored, err, lk.Token())
	}
	if pttl := client.PTTL(ctx, lk.Key()).Val(); pttl <= 9*time.Second || pttl > 10*time.Second {
		t.Fatalf("PTTL = %v, want about 10s", pttl)
	}
	if _, err := l.Acquire(ctx, "report", time.Second); !errors.Is(err, lock.ErrNotAcquired) {
		t.Fatalf("second Acquire error = %v, want ErrNotAcquired", err)
	}
	if err := lk.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if err := lk.Release(ctx); !errors.Is(err, lock.ErrNotHeld) {
		t.Fatalf("second Release error = %v, want ErrNotHeld", err)
	}
	next, err := l.Acquire(ctx, "report", time.Second)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	if next.Token() == lk.Token() {
		t.Fatal("two acquisitions got the same token")
	}
}

func TestExpiredLockIsFreeAndOldOwnerCannotTouchIt(t *testing.T) {
	t.Parallel()
	l, client, _ := newLocker(t)
	ctx := context.Background()

	crashed, err := l.Acquire(ctx, "nightly", 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	// The owner "crashes": it never releases. The key frees itself after the TTL.
	if _, err := l.Acquire(ctx, "nightly", time.Second); !errors.Is(err, lock.ErrNotAcquired) {
		t.Fatalf("Acquire while held: %v, want ErrNotAcquired", err)
	}
	time.Sleep(300 * time.Millisecond)
	owner, err := l.Acquire(ctx, "nightly", 10*time.Second)
	if err != nil {
		t.Fatalf("Acquire after the TTL: %v", err)
	}

	if err := crashed.Refresh(ctx, time.Minute); !errors.Is(err, lock.ErrNotHeld) {
		t.Fatalf("Refresh by the previous owner: %v, want ErrNotHeld", err)
	}
	if err := crashed.Release(ctx); !errors.Is(err, lock.ErrNotHeld) {
		t.Fatalf("Release by the previous owner: %v, want ErrNotHeld", err)
	}
	if got := client.Get(ctx, owner.Key()).Val(); got != owner.Token() {
		t.Fatalf("key holds %q after non-owner calls, want the owner's token", got)
	}
	if pttl := client.PTTL(ctx, owner.Key()).Val(); pttl <= 9*time.Second {
		t.Fatalf("non-owner Refresh changed the TTL to %v", pttl)
	}
}

func TestRefreshExtendsTheLock(t *testing.T) {
	t.Parallel()
	l, client, _ := newLocker(t)
	ctx := context.Background()
	lk, err := l.Acquire(ctx, "extend", 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if err := lk.Refresh(ctx, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if lk.TTL() != 5*time.Second {
		t.Fatalf("TTL() = %v after Refresh, want 5s", lk.TTL())
	}
	time.Sleep(300 * time.Millisecond)
	if pttl := client.PTTL(ctx, lk.Key()).Val(); pttl <= 4*time.Second {
		t.Fatalf("PTTL = %v, want the refreshed lifetime", pttl)
	}
	if err := lk.Refresh(ctx, 0); err == nil {
		t.Fatal("Refresh accepted a zero ttl")
	}
}

func TestHoldKeepsTheLockAliveWhileFnRuns(t *testing.T) {
	t.Parallel()
	l, client, _ := newLocker(t)
	ctx := context.Background()
	// A TTL whose refreshes (every third of it, each bounded by a third) fit
	// a Redis round trip on a loaded machine.
	const ttl = time.Second
	lk, err := l.Acquire(ctx, "long", ttl)
	if err != nil {
		t.Fatal(err)
	}
	err = lk.Hold(ctx, func(ctx context.Context) error {
		// Three TTLs: without renewal the key would be gone.
		select {
		case <-time.After(3 * ttl):
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if _, err := l.Acquire(ctx, "long", time.Second); !errors.Is(err, lock.ErrNotAcquired) {
			return errors.New("lock was free while held")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := client.Get(ctx, lk.Key()).Val(); got != lk.Token() {
		t.Fatalf("key holds %q after Hold, want the owner's token", got)
	}
	if err := lk.Release(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestHoldCancelsFnWhenTheLockIsLost(t *testing.T) {
	t.Parallel()
	l, client, _ := newLocker(t)
	ctx := context.Background()
	lk, err := l.Acquire(ctx, "lost", 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	var cause error
	start := time.Now()
	err = lk.Hold(ctx, func(ctx context.Context) error {
		// Another owner takes the key over (as after a Redis failover).
		if err := client.Set(ctx, lk.Key(), "someone-else", time.Minute).Err(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			cause = context.Cause(ctx)
			return ctx.Err()
		case <-time.After(5 * time.Second):
			return errors.New("fn was not cancelled")
		}
	})
	if !errors.Is(err, lock.ErrNotHeld) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Hold error = %v, want fn's context.Canceled wrapped in ErrNotHeld", err)
	}
	if !errors.Is(cause, lock.ErrNotHeld) {
		t.Fatalf("context cause = %v, want ErrNotHeld", cause)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("cancellation took %v, want within about a third of the TTL", d)
	}
	if got := client.Get(ctx, lk.Key()).Val(); got != "someone-else" {
		t.Fatalf("the new owner's key was changed to %q", got)
	}
}

func TestWithLockRunsOneHolderAtATime(t *testing.T) {
	t.Parallel()
	l, client, prefix := newLocker(t)
	ctx := context.Background()
	var running, ran, refused atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := l.WithLock(ctx, "batch", 2*time.Second, func(ctx context.Context) error {
				if running.Add(1) > 1 {
					t.Error("two holders ran at once")
				}
				time.Sleep(200 * time.Millisecond)
				running.Add(-1)
				ran.Add(1)
				return nil
			})
			switch {
			case errors.Is(err, lock.ErrNotAcquired):
				refused.Add(1)
			case err != nil:
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ran.Load() != 1 || refused.Load() != 7 {
		t.Fatalf("ran %d, refused %d; want 1 and 7", ran.Load(), refused.Load())
	}
	if n := client.Exists(ctx, prefix+":batch").Val(); n != 0 {
		t.Fatal("WithLock left the key behind")
	}
	sentinel := errors.New("job failed")
	if err := l.WithLock(ctx, "batch", time.Second, func(context.Context) error { return sentinel }); !errors.Is(err, sentinel) {
		t.Fatalf("WithLock error = %v, want fn's error", err)
	}
}

func TestHoldGivesUpWhenRedisIsUnreachableUntilExpiry(t *testing.T) {
	t.Parallel()
	_, cleanupClient, prefix := newLocker(t)
	// A client of its own, closed mid-run to make every refresh fail.
	client := redis.NewClient(cleanupClient.Options())
	l, err := lock.NewLocker(client, lock.Config{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lk, err := l.Acquire(ctx, "unreachable", 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = lk.Hold(ctx, func(ctx context.Context) error {
		if err := client.Close(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
			return errors.New("fn was not cancelled")
		}
	})
	if !errors.Is(err, lock.ErrNotHeld) || !errors.Is(err, redis.ErrClosed) {
		t.Fatalf("Hold error = %v, want ErrNotHeld wrapping the refresh failure", err)
	}
	// Cancelled before the key can expire, not long after.
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Fatalf("cancellation after %v, want before the 300ms TTL ran out", d)
	}
}
