package integration

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/mq/rabbitmq"

	"${{ values.module }}/tests/testdb"
)

// TestHealthFollowsTheDatabase runs the whole service and makes its database
// unreachable (connections refused and the open ones terminated): health goes
// NOT_SERVING, and SERVING again once the database accepts connections.
func TestHealthFollowsTheDatabase(t *testing.T) {
	_, dbURL := testdb.New(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	adminURL := os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		adminURL = testdb.DefaultAdminURL
	}
	ctx := context.Background()
	admin, err := database.NewPool(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	suffix := uuid.NewString()[:8]
	queue := "${{ values.serviceName }}-health-test-" + suffix + ".commands"
	exchange := "${{ values.name }}-health-test-" + suffix + ".events"
	conn := dialRabbit(t)
	t.Cleanup(func() { // after the service stopped (cleanups run last first)
		ch, err := conn.Channel(context.Background())
		if err != nil {
			return
		}
		defer ch.Close()
		for _, q := range []string{queue, rabbitmq.RetryQueue(queue), rabbitmq.DeadLetterQueue(queue)} {
			_, _ = ch.QueueDelete(q, false, false, false)
		}
		_ = ch.ExchangeDelete(exchange, false, false)
	})
	_, waitHealth := startService(t, dbURL, exchange, queue)
	waitHealth(healthpb.HealthCheckResponse_SERVING, 10*time.Second)

	ident := pgx.Identifier{name}.Sanitize()
	allow := func(on bool) {
		t.Helper()
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+ident+" WITH ALLOW_CONNECTIONS "+map[bool]string{true: "true", false: "false"}[on]); err != nil {
			t.Fatal(err)
		}
	}
	allow(false)
	t.Cleanup(func() { allow(true) })
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name); err != nil {
		t.Fatal(err)
	}
	down := waitHealth(healthpb.HealthCheckResponse_NOT_SERVING, 10*time.Second)
	allow(true)
	up := waitHealth(healthpb.HealthCheckResponse_SERVING, 10*time.Second)
	t.Logf("NOT_SERVING %s after the database went away, SERVING %s after it came back", down.Round(time.Millisecond), up.Round(time.Millisecond))
}
