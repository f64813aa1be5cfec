// Package circuitbreaker wraps sony/gobreaker v2 for calls to other services:
// after too many failures the breaker opens and calls fail fast with an
// Unavailable domain error until a trial call succeeds.
package circuitbreaker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sony/gobreaker/v2"

	apperrors "${{ values.pkgModule }}/errors"
)

// State is the breaker state (closed, half-open, open).
type State = gobreaker.State

// Breaker states.
const (
	StateClosed   = gobreaker.StateClosed
	StateHalfOpen = gobreaker.StateHalfOpen
	StateOpen     = gobreaker.StateOpen
)

// Config tunes a breaker. Zero values take the defaults in parentheses.
type Config struct {
	// MaxRequests allowed while half-open (1).
	MaxRequests uint32
	// Interval after which closed-state counts reset (60s).
	Interval time.Duration
	// Timeout an open breaker waits before going half-open (30s).
	Timeout time.Duration
	// MinRequests in the interval before the breaker may trip (10).
	MinRequests uint32
	// FailureRatio at or above which it trips (0.5).
	FailureRatio float64
	// ConsecutiveFailures, when above 0, also trips the breaker after that
	// many failures in a row, whatever MinRequests and FailureRatio say.
	ConsecutiveFailures uint32
	// IsSuccessful decides which errors count against the dependency
	// (IsSuccessful of this package when nil); the gRPC client interceptor
	// passes one that reads status codes.
	IsSuccessful func(err error) bool
	// OnStateChange is called on every transition (log or export it).
	OnStateChange func(name string, from, to State)
}

// Breaker guards calls returning T.
type Breaker[T any] struct {
	cb *gobreaker.CircuitBreaker[T]
}

// New returns a breaker named name (used in errors and callbacks).
func New[T any](name string, cfg Config) *Breaker[T] {
	if cfg.MaxRequests == 0 {
		cfg.MaxRequests = 1
	}
	if cfg.Interval == 0 {
		cfg.Interval = 60 * time.Second
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MinRequests == 0 {
		cfg.MinRequests = 10
	}
	if cfg.FailureRatio == 0 {
		cfg.FailureRatio = 0.5
	}
	if cfg.IsSuccessful == nil {
		cfg.IsSuccessful = IsSuccessful
	}
	return &Breaker[T]{cb: gobreaker.NewCircuitBreaker[T](gobreaker.Settings{
		Name:        name,
		MaxRequests: cfg.MaxRequests,
		Interval:    cfg.Interval,
		Timeout:     cfg.Timeout,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			if cfg.ConsecutiveFailures > 0 && c.ConsecutiveFailures >= cfg.ConsecutiveFailures {
				return true
			}
			return c.Requests >= cfg.MinRequests && float64(c.TotalFailures)/float64(c.Requests) >= cfg.FailureRatio
		},
		OnStateChange: cfg.OnStateChange,
		IsSuccessful:  cfg.IsSuccessful,
	})}
}

// IsSuccessful reports whether err says the dependency is healthy: nil, and
// errors caused by the caller (invalid argument, not found, ...) or by its own
// cancellation do not count against the breaker.
func IsSuccessful(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return true
	}
	switch apperrors.CodeOf(err) {
	case apperrors.CodeNotFound, apperrors.CodeInvalidArgument, apperrors.CodeAlreadyExists,
		apperrors.CodeFailedPrecondition, apperrors.CodeUnauthenticated, apperrors.CodePermissionDenied:
		return true
	}
	return false
}

// Execute runs fn through the breaker. When the breaker rejects the call the
// error is an apperrors DomainError with CodeUnavailable wrapping
// gobreaker.ErrOpenState or gobreaker.ErrTooManyRequests.
func (b *Breaker[T]) Execute(ctx context.Context, fn func(ctx context.Context) (T, error)) (T, error) {
	v, err := b.cb.Execute(func() (T, error) { return fn(ctx) })
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return v, apperrors.Wrap(apperrors.CodeUnavailable, fmt.Sprintf("circuit breaker %s rejected the call", b.cb.Name()), err)
	}
	return v, err
}

// State returns the current state.
func (b *Breaker[T]) State() State { return b.cb.State() }

// Name returns the name the breaker was created with.
func (b *Breaker[T]) Name() string { return b.cb.Name() }
