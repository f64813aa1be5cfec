package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"${{ values.pkgModule }}/database"
)

// gather reads the pool metrics of reg by name.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			switch {
			case m.GetGauge() != nil:
				got[f.GetName()] = m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				got[f.GetName()] = m.GetCounter().GetValue()
			}
		}
	}
	return got
}

// TestPoolMetricsFollowThePool holds the only connection of a one-connection
// pool while a second acquire waits for it: the scrape sees the connection
// acquired, then idle, and the wait counted.
func TestPoolMetricsFollowThePool(t *testing.T) {
	t.Parallel()
	cfg := testPool(t).Config()
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	reg := prometheus.NewRegistry()
	if err := database.RegisterPoolMetrics(reg, pool); err != nil {
		t.Fatal(err)
	}
	if err := database.RegisterPoolMetrics(reg, pool); err == nil {
		t.Error("a second registration on the same registry was accepted")
	}

	held, err := pool.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := gather(t, reg)
	if got["db_pool_acquired_connections"] != 1 || got["db_pool_idle_connections"] != 0 ||
		got["db_pool_total_connections"] != 1 || got["db_pool_max_connections"] != 1 {
		t.Fatalf("while the connection is held: %v, want 1 acquired, 0 idle, 1 in all, at most 1", got)
	}

	const wait = 300 * time.Millisecond
	acquired := make(chan error, 1)
	go func() {
		c, err := pool.Acquire(context.Background())
		if err == nil {
			c.Release()
		}
		acquired <- err
	}()
	time.Sleep(wait)
	held.Release()
	if err := <-acquired; err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := pool.Acquire(canceled); err == nil {
		t.Fatal("an acquire with a canceled context succeeded")
	}

	got = gather(t, reg)
	if got["db_pool_acquired_connections"] != 0 || got["db_pool_idle_connections"] != 1 || got["db_pool_total_connections"] != 1 {
		t.Errorf("once released: %v, want 0 acquired, 1 idle, 1 in all", got)
	}
	if got["db_pool_acquires_total"] < 2 || got["db_pool_empty_acquires_total"] < 1 || got["db_pool_canceled_acquires_total"] != 1 {
		t.Errorf("counters: %v, want at least 2 acquires, 1 of them empty, and the canceled one", got)
	}
	if w := got["db_pool_acquire_wait_seconds_total"]; w < (wait-50*time.Millisecond).Seconds() || w > 5 {
		t.Errorf("db_pool_acquire_wait_seconds_total = %v, want about the %v the second acquire waited", w, wait)
	}
}
