// Package e2e builds the service binary, runs it against a fresh database
// with its configuration in environment variables, talks to it through a
// real gRPC client and stops it with SIGTERM.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/acme/go-pkg/proto/common/v1"
	ledgerv1 "github.com/acme/go-pkg/proto/ledger/v1"

	"github.com/acme/ledger-service/tests/testdb"
)

// An invalid variable stops the binary before anything starts: exit status 2
// and one line on stderr naming the variable, not Fx's event log (LOG_LEVEL
// is the case where Fx's own logger cannot be built).
func TestBadConfigurationIsOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	for _, tt := range []struct {
		env  []string
		want string
	}{
		{[]string{"RATE_LIMIT_RPS=5", "RATE_LIMIT_BURST=0"}, "config RATE_LIMIT_BURST: 0 must be at least 1 when RATE_LIMIT_RPS is set"},
		{[]string{"GRPC_PORT=fifty"}, `config GRPC_PORT: "fifty" is not an integer`},
		{[]string{"LOG_LEVEL=verbose"}, `config LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
		{[]string{"JWT_JWKS_FILE=jwks.json", "JWT_ISSUER=https://idp.example", "JWT_AUDIENCE="}, "config JWT_AUDIENCE: required with JWT_JWKS_FILE"},
	} {
		t.Run(strings.Join(tt.env, ","), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			cmd := exec.CommandContext(ctx, bin)
			// Valid otherwise; the database is never reached.
			cmd.Env = append(os.Environ(), "DATABASE_URL=postgres://nobody@127.0.0.1:1/none", "JWT_SECRET="+jwtSecret,
				"GRPC_PORT="+freePort(t), "METRICS_PORT=0", "LOG_LEVEL=info", "RATE_LIMIT_RPS=0")
			cmd.Env = append(cmd.Env, tt.env...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("run = %v, want exit status 2\nstderr:\n%s", err, stderr.String())
			}
			if exit.ExitCode() != 2 {
				t.Errorf("exit status %d, want 2", exit.ExitCode())
			}
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tt.want) {
				t.Errorf("stderr has %d lines, want one naming %q; first lines:\n%s", len(lines), tt.want, strings.Join(lines[:min(len(lines), 3)], "\n"))
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

func TestBinaryBootsServesAndStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	_, dbURL := testdb.New(t)
	metricsPort := freePort(t)
	// As configs/local.env has it without `make observability-up`: an OTLP
	// endpoint where no collector listens. The service must start, serve and
	// stop all the same. TEST_OTLP_ENDPOINT runs it against a real collector
	// instead (the template's suite does, and reads what the collector got).
	collector := os.Getenv("TEST_OTLP_ENDPOINT")
	if collector == "" {
		collector = "127.0.0.1:" + freePort(t)
	}
	svc := startService(t, "DATABASE_URL="+dbURL, "METRICS_PORT="+metricsPort,
		"OTEL_EXPORTER_OTLP_ENDPOINT="+collector, "SHUTDOWN_DRAIN_DELAY=100ms", "LOG_FORMAT=json")
	logs := svc.logs

	client := ledgerv1.NewAccountServiceClient(svc.conn)
	if _, err := client.GetAccount(context.Background(), &ledgerv1.GetAccountRequest{Id: uuid.NewString()}); status.Code(err) != codes.Unauthenticated {
		t.Errorf("call without a token: %v, want Unauthenticated", err)
	}

	ctx := asRole(t, "admin", 10*time.Second)

	req := &ledgerv1.CreateAccountRequest{}
	req.OwnerId = uuid.NewString()
	req.DisplayName = "sample"
	req.Balance = &commonv1.Money{CurrencyCode: "USD", Units: 12, Nanos: 500_000_000}
	req.OpenedAt = timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	req.Tier = ledgerv1.AccountTier_ACCOUNT_TIER_BASIC
	req.Note = proto.String("sample")
	created, err := client.CreateAccount(ctx, req)
	if err != nil {
		t.Fatalf("CreateAccount: %v\n%s", err, logs)
	}
	got, err := client.GetAccount(ctx, &ledgerv1.GetAccountRequest{Id: created.GetAccount().GetId()})
	if err != nil {
		t.Fatalf("GetAccount: %v", err)
	}
	if !proto.Equal(got.GetAccount(), created.GetAccount()) {
		t.Errorf("GetAccount = %v, want %v", got.GetAccount(), created.GetAccount())
	}
	if _, err := client.GetAccount(ctx, &ledgerv1.GetAccountRequest{Id: uuid.NewString()}); status.Code(err) != codes.NotFound {
		t.Errorf("GetAccount of a missing id: %v, want NotFound", err)
	}
	if _, err := client.GetAccount(ctx, &ledgerv1.GetAccountRequest{Id: "not-a-uuid"}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("GetAccount with a malformed id: %v, want InvalidArgument", err)
	}
	if _, err := client.FreezeAccount(ctx, &ledgerv1.FreezeAccountRequest{Id: created.GetAccount().GetId()}); err != nil {
		t.Fatalf("FreezeAccount: %v", err)
	}
	if _, err := client.FreezeAccount(ctx, &ledgerv1.FreezeAccountRequest{Id: created.GetAccount().GetId()}); status.Code(err) != codes.FailedPrecondition {
		t.Errorf("FreezeAccount from the wrong status: %v, want FailedPrecondition", err)
	}
	list, err := client.ListAccounts(ctx, &ledgerv1.ListAccountsRequest{})
	if err != nil || len(list.GetAccounts()) != 1 {
		t.Errorf("ListAccounts = %v, %v; want the one created", list, err)
	}

	// The /metrics listener the local Prometheus scrapes has the RPCs just made
	// and the database pool's statistics.
	res, err := http.Get("http://127.0.0.1:" + metricsPort + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	for _, want := range []string{
		`grpc_server_handled_total{grpc_code="OK",grpc_method="/ledger.v1.AccountService/CreateAccount"} 1`,
		`grpc_server_handling_seconds_bucket{grpc_method="/ledger.v1.AccountService/GetAccount"`,
		"\ndb_pool_acquired_connections ", "\ndb_pool_idle_connections ", "\ndb_pool_total_connections ", "\ndb_pool_acquire_wait_seconds_total ",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics has no %s:\n%s", strings.TrimSpace(want), body)
		}
	}

	stopping := svc.sigterm()
	if err := svc.waitExit(20 * time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, logs)
	}
	// Drain delay plus at most a second for each flush (spans, log records)
	// to the missing collector.
	if d := time.Since(stopping); d > 5*time.Second {
		t.Errorf("stop took %v with no collector listening, want under 5s\n%s", d, logs)
	}
	if out := logs.String(); !strings.Contains(out, "gRPC server stopped") {
		t.Errorf("no graceful stop in the logs:\n%s", out)
	}
	// Every line is a JSON log entry, the OpenTelemetry SDK's reports about
	// the endpoint and the missing collector included: log pipelines parse
	// each line.
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("a line of the service's output is not a JSON log entry: %s", line)
		}
	}
}
