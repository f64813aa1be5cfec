package saga_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"${{ values.pkgModule }}/internal/testdb"
	"${{ values.pkgModule }}/saga"
)

func TestMonitorTimesOutExpiredRunningSagas(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_saga_test", saga.Schema)
	ctx := context.Background()
	payload := json.RawMessage(`{"order_id":"o-1"}`)

	expired, err := saga.Start(ctx, pool, "checkout", "reserve_stock", payload, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	poisoned, err := saga.Start(ctx, pool, "refund", "charge", payload, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	completed, _ := saga.Start(ctx, pool, "checkout", "reserve_stock", payload, time.Millisecond)
	if err := saga.Complete(ctx, pool, completed); err != nil {
		t.Fatal(err)
	}
	fresh, _ := saga.Start(ctx, pool, "checkout", "reserve_stock", payload, time.Hour)
	time.Sleep(20 * time.Millisecond)

	var mu sync.Mutex
	var seen []uuid.UUID
	m, err := saga.NewMonitor(pool, func(ctx context.Context, in saga.Instance) error {
		mu.Lock()
		seen = append(seen, in.ID)
		mu.Unlock()
		if in.SagaType == "refund" {
			return errors.New("compensation command rejected")
		}
		return nil
	}, saga.MonitorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := m.RunOnce(ctx)
	if n != 1 || err == nil {
		t.Fatalf("RunOnce = %d, %v; want 1 handled and the handler error", n, err)
	}
	want := map[uuid.UUID]string{
		expired: saga.StatusTimedOut, poisoned: saga.StatusRunning,
		completed: saga.StatusCompleted, fresh: saga.StatusRunning,
	}
	for id, st := range want {
		in, err := saga.Get(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if in.Status != st {
			t.Errorf("saga %s status %s, want %s", id, in.Status, st)
		}
	}
	if len(seen) != 2 {
		t.Fatalf("handler saw %v, want the two expired running sagas", seen)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t, "pkg_saga_test", saga.Schema)
	ctx := context.Background()
	id, err := saga.Start(ctx, pool, "checkout", "reserve_stock", json.RawMessage(`{}`), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := saga.Advance(ctx, pool, id, "charge_payment"); err != nil {
		t.Fatal(err)
	}
	if in, _ := saga.Get(ctx, pool, id); in.CurrentStep != "charge_payment" {
		t.Fatalf("step = %s", in.CurrentStep)
	}
	if err := saga.Fail(ctx, pool, id); err != nil {
		t.Fatal(err)
	}
	if err := saga.Complete(ctx, pool, id); !errors.Is(err, saga.ErrNotRunning) {
		t.Fatalf("Complete on compensating saga = %v, want ErrNotRunning", err)
	}
	if _, err := saga.Start(ctx, pool, "checkout", "s", json.RawMessage(`{}`), 0); err == nil {
		t.Fatal("zero timeout accepted")
	}
}
