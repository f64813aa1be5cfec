package circuitbreaker_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sony/gobreaker/v2"

	"${{ values.pkgModule }}/circuitbreaker"
	apperrors "${{ values.pkgModule }}/errors"
)

var errDown = errors.New("connection refused")

func fail(context.Context) (int, error) { return 0, errDown }
func ok(context.Context) (int, error)   { return 1, nil }

func TestTripsOpensAndRecovers(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var transitions []string
	b := circuitbreaker.New[int]("inventory", circuitbreaker.Config{
		MinRequests: 4, FailureRatio: 0.5, Timeout: 50 * time.Millisecond,
		OnStateChange: func(_ string, from, to circuitbreaker.State) {
			mu.Lock()
			transitions = append(transitions, from.String()+"->"+to.String())
			mu.Unlock()
		},
	})
	ctx := context.Background()
	for range 4 {
		if _, err := b.Execute(ctx, fail); !errors.Is(err, errDown) {
			t.Fatalf("closed breaker changed the error: %v", err)
		}
	}
	if b.State() != circuitbreaker.StateOpen {
		t.Fatalf("state = %v after 4/4 failures, want open", b.State())
	}
	_, err := b.Execute(ctx, ok)
	if apperrors.CodeOf(err) != apperrors.CodeUnavailable || !errors.Is(err, gobreaker.ErrOpenState) {
		t.Fatalf("open breaker error = %v, want Unavailable wrapping ErrOpenState", err)
	}
	time.Sleep(60 * time.Millisecond)
	if v, err := b.Execute(ctx, ok); err != nil || v != 1 {
		t.Fatalf("half-open trial = %d, %v", v, err)
	}
	if b.State() != circuitbreaker.StateClosed {
		t.Fatalf("state = %v after successful trial, want closed", b.State())
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"closed->open", "open->half-open", "half-open->closed"}
	if len(transitions) != 3 || transitions[0] != want[0] || transitions[1] != want[1] || transitions[2] != want[2] {
		t.Fatalf("transitions = %v, want %v", transitions, want)
	}
}

func TestCallerErrorsDoNotTrip(t *testing.T) {
	t.Parallel()
	b := circuitbreaker.New[int]("catalog", circuitbreaker.Config{MinRequests: 2})
	notFound := func(context.Context) (int, error) { return 0, apperrors.New(apperrors.CodeNotFound, "no such product") }
	for range 5 {
		if _, err := b.Execute(context.Background(), notFound); apperrors.CodeOf(err) != apperrors.CodeNotFound {
			t.Fatalf("err = %v", err)
		}
	}
	if b.State() != circuitbreaker.StateClosed {
		t.Fatalf("NotFound errors tripped the breaker")
	}
}

func TestIsSuccessful(t *testing.T) {
	t.Parallel()
	if !circuitbreaker.IsSuccessful(nil) || !circuitbreaker.IsSuccessful(context.Canceled) {
		t.Error("nil/canceled counted as failure")
	}
	if circuitbreaker.IsSuccessful(errDown) || circuitbreaker.IsSuccessful(apperrors.New(apperrors.CodeUnavailable, "x")) {
		t.Error("infrastructure failure counted as success")
	}
}

func TestConsecutiveFailuresTrip(t *testing.T) {
	t.Parallel()
	b := circuitbreaker.New[int]("pricing", circuitbreaker.Config{
		MinRequests: 100, ConsecutiveFailures: 3, Timeout: time.Minute,
	})
	ctx := context.Background()
	for range 5 {
		if _, err := b.Execute(ctx, ok); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if b.State() != circuitbreaker.StateClosed {
			t.Fatalf("state = %v after %d failures in a row, want closed", b.State(), i)
		}
		_, _ = b.Execute(ctx, fail)
	}
	if b.State() != circuitbreaker.StateOpen {
		t.Fatalf("state = %v after 3 failures in a row, want open", b.State())
	}
}

func TestCustomIsSuccessful(t *testing.T) {
	t.Parallel()
	b := circuitbreaker.New[int]("search", circuitbreaker.Config{
		ConsecutiveFailures: 1,
		IsSuccessful:        func(err error) bool { return err == nil || errors.Is(err, errDown) },
	})
	_, _ = b.Execute(context.Background(), fail)
	if b.State() != circuitbreaker.StateClosed || b.Name() != "search" {
		t.Fatalf("state = %v, name %q: an error IsSuccessful accepts tripped the breaker", b.State(), b.Name())
	}
}
