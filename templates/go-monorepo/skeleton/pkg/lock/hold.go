package lock

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// releaseTimeout bounds the Release issued by WithLock after fn returned,
// which runs even when the caller's context is already cancelled.
const releaseTimeout = 5 * time.Second

// Hold runs fn while keeping lk alive: each time a third of the TTL has passed
// since the last successful Acquire or Refresh, it refreshes the lock to the
// same TTL. When a refresh reports the lock lost (ErrNotHeld), or refreshes
// keep failing until the key may have expired, fn's context is cancelled with
// a cause wrapping ErrNotHeld (read it with context.Cause). Hold waits for fn
// and returns fn's error, wrapped in that cause when the lock was lost. It
// does not release the lock.
func (lk *Lock) Hold(ctx context.Context, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	stopped := make(chan struct{})
	var lost error
	go func() {
		defer close(stopped)
		if lost = lk.keepAlive(ctx, done); lost != nil {
			cancel(lost)
		}
	}()
	err := fn(ctx)
	close(done)
	<-stopped
	switch {
	case lost == nil:
		return err
	case err == nil:
		return lost
	default:
		return fmt.Errorf("%w: %w", lost, err)
	}
}

// keepAlive refreshes lk until done is closed and returns nil, or returns the
// reason the lock is lost. Refreshes continue after ctx is cancelled: fn may
// still be winding down and must stay protected until it returns.
func (lk *Lock) keepAlive(ctx context.Context, done <-chan struct{}) error {
	rctx := context.WithoutCancel(ctx)
	for {
		ttl, validUntil := lk.state()
		timer := time.NewTimer(time.Until(validUntil.Add(-2 * ttl / 3)))
		select {
		case <-done:
			timer.Stop()
			return nil
		case <-timer.C:
		}
		attempt, cancel := context.WithTimeout(rctx, ttl/3)
		err := lk.Refresh(attempt, ttl)
		cancel()
		switch {
		case err == nil:
		case errors.Is(err, ErrNotHeld):
			return err
		case time.Now().Add(ttl / 3).After(validUntil):
			return fmt.Errorf("lock: %q may have expired: %w: %w", lk.key, ErrNotHeld, err)
		default:
			// Transient failure with time left before the key can expire:
			// retry after a short pause instead of the full interval.
			select {
			case <-done:
				return nil
			case <-time.After(min(ttl/10, time.Second)):
			}
		}
	}
}

// WithLock acquires key for ttl, runs fn under Hold and then releases the
// lock. It returns ErrNotAcquired (wrapped) without running fn when another
// owner holds the key.
func (l *Locker) WithLock(ctx context.Context, key string, ttl time.Duration, fn func(ctx context.Context) error) error {
	lk, err := l.Acquire(ctx, key, ttl)
	if err != nil {
		return err
	}
	err = lk.Hold(ctx, fn)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if rerr := lk.Release(rctx); rerr != nil && !errors.Is(err, ErrNotHeld) {
		return errors.Join(err, rerr)
	}
	return err
}
