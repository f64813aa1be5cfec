package fx

import (
	"context"
	"testing"
	"time"

	"go.uber.org/fx/fxtest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/acme/go-pkg/database"
	"github.com/acme/go-pkg/middleware/grpc/interceptor"

	"github.com/acme/ledger-service/internal/infrastructure/config"
	"github.com/acme/ledger-service/tests/testdb"
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
	pool, err := newPool(lc, cfg)
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
