package integration

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/logger"

	"${{ values.module }}/internal/infrastructure/server"
	"${{ values.module }}/tests/testdb"
)

// TestReadinessFollowsTheDatabaseLivenessDoesNot runs the whole application
// (appfx.Module) and makes its database unreachable (connections refused and
// the open ones terminated): readiness (the health status "") goes
// NOT_SERVING after HEALTH_FAILURE_THRESHOLD failed pings and SERVING again
// once the database is back, while liveness stays SERVING throughout, so the
// kubelet never restarts the pod for the outage. Each transition is logged
// once, with its cause, not on every check.
func TestReadinessFollowsTheDatabaseLivenessDoesNot(t *testing.T) {
	const interval = 100 * time.Millisecond
	a := startGRPCApp(t, map[string]string{
		"HEALTH_CHECK_INTERVAL": interval.String(), "HEALTH_CHECK_TIMEOUT": "500ms", "HEALTH_FAILURE_THRESHOLD": "2",
	})
	logs := a.logs
	u, err := url.Parse(a.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	dbName := strings.TrimPrefix(u.Path, "/")
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

	health := healthpb.NewHealthClient(a.conn)
	status := func(service string) healthpb.HealthCheckResponse_ServingStatus {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		resp, err := health.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			t.Fatalf("health check of %q: %v", service, err)
		}
		return resp.GetStatus()
	}
	// waitReadiness polls until readiness is want, checking liveness on the way.
	waitReadiness := func(want healthpb.HealthCheckResponse_ServingStatus) time.Duration {
		t.Helper()
		start := time.Now()
		for status(server.ReadinessService) != want {
			if got := status(server.LivenessService); got != healthpb.HealthCheckResponse_SERVING {
				t.Fatalf("liveness %v while readiness is on its way to %v: a dependency outage would restart the pod", got, want)
			}
			if time.Since(start) > 10*time.Second {
				t.Fatalf("readiness not %v within 10s; logs: %v", want, logs.All())
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Since(start)
	}
	waitReadiness(healthpb.HealthCheckResponse_SERVING)

	ident := pgx.Identifier{dbName}.Sanitize()
	allow := func(on bool) {
		t.Helper()
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+ident+" WITH ALLOW_CONNECTIONS "+strconv.FormatBool(on)); err != nil {
			t.Fatal(err)
		}
	}
	allow(false)
	t.Cleanup(func() { allow(true) })
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", dbName); err != nil {
		t.Fatal(err)
	}
	down := waitReadiness(healthpb.HealthCheckResponse_NOT_SERVING)
	// Ten more rounds of failed pings: still one log line, liveness untouched.
	for end := time.Now().Add(10 * interval); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if got := status(server.LivenessService); got != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("liveness %v during the database outage: the kubelet would restart the pod", got)
		}
	}
	allow(true)
	up := waitReadiness(healthpb.HealthCheckResponse_SERVING)
	t.Logf("readiness NOT_SERVING %s after the database went away, SERVING %s after it came back", down.Round(time.Millisecond), up.Round(time.Millisecond))

	unreachable := logs.FilterMessage("dependencies unreachable: readiness NOT_SERVING").All()
	if len(unreachable) != 1 || !strings.Contains(fmt.Sprint(unreachable[0].ContextMap()[logger.KeyError]), "database: ") {
		t.Errorf("want one NOT_SERVING log line naming the database, got %d: %v", len(unreachable), unreachable)
	}
	if n := logs.FilterMessage("dependencies reachable again: readiness SERVING").Len(); n != 1 {
		t.Errorf("want one SERVING-again log line, got %d", n)
	}
}
