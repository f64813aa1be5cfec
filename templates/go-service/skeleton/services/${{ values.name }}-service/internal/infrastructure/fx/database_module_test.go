package fx

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx/fxtest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/middleware/grpc/interceptor"

	"${{ values.module }}/internal/infrastructure/config"
	"${{ values.module }}/tests/testdb"
)

// TestPoolTimeouts: the service's pool sets DB_STATEMENT_TIMEOUT and
// DB_LOCK_TIMEOUT on its sessions, and a slow query (pg_sleep) is cancelled by
// the server and reaches the client as DeadlineExceeded.
func TestPoolTimeouts(t *testing.T) {
	t.Parallel()
	_, url := testdb.New(t)
	cfg := &config.Config{}
	cfg.Database.RawURL = url
	cfg.Database.StatementTimeout = 200 * time.Millisecond
	cfg.Database.LockTimeout = 1500 * time.Millisecond
	lc := fxtest.NewLifecycle(t)
	pool, err := newPool(lc, cfg, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	lc.RequireStart()
	t.Cleanup(lc.RequireStop)
	ctx := context.Background()
	for setting, want := range map[string]string{"statement_timeout": "200ms", "lock_timeout": "1500ms"} {
		var got string
		if err := pool.QueryRow(ctx, "SHOW "+setting).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %s", setting, got, err, want)
		}
	}
	start := time.Now()
	_, err = pool.Exec(ctx, "SELECT pg_sleep(5)")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("pg_sleep(5) ran %v despite statement_timeout 200ms", elapsed)
	}
	st := status.Convert(interceptor.ToStatus(database.MapError(err)))
	if st.Code() != codes.DeadlineExceeded || st.Message() != "deadline exceeded" {
		t.Fatalf("slow query reached the client as %v %q (cause %v), want DeadlineExceeded", st.Code(), st.Message(), err)
	}
}

// TestPoolStatisticsOnTheRegistry: the pool's statistics are on the registry
// the service's /metrics serves, read back after a query.
func TestPoolStatisticsOnTheRegistry(t *testing.T) {
	t.Parallel()
	_, dbURL := testdb.New(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "3")
	u.RawQuery = q.Encode()
	cfg := &config.Config{}
	cfg.Database.RawURL = u.String()
	reg := prometheus.NewRegistry()
	lc := fxtest.NewLifecycle(t)
	pool, err := newPool(lc, cfg, reg)
	if err != nil {
		t.Fatal(err)
	}
	lc.RequireStart()
	t.Cleanup(lc.RequireStop)
	if _, err := pool.Exec(context.Background(), "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			got[f.GetName()] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	if got["db_pool_max_connections"] != 3 || got["db_pool_total_connections"] < 1 || got["db_pool_idle_connections"] < 1 ||
		got["db_pool_acquired_connections"] != 0 || got["db_pool_acquires_total"] < 2 {
		t.Errorf("pool metrics after a query = %v; want at most 3 connections (pool_max_conns), one idle, none acquired, the ping's and the query's acquires", got)
	}
	if _, ok := got["db_pool_acquire_wait_seconds_total"]; !ok {
		t.Errorf("no db_pool_acquire_wait_seconds_total in %v", got)
	}
}
