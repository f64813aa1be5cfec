{%- macro pb(s) -%}{%- for p in s.split('_') -%}${{ p | capitalize }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set UA = values.aggSnake | upper -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% if f.optional %}?{% endif %}{% endfor %},{% endset -%}
{%- set hasMoney = ',money' in sig -%}
{%- set fromInitial = [] %}{% for t in values.transitions %}{% if t.from == values.states[0] %}{% set _ = fromInitial.push(t) %}{% endif %}{% endfor -%}
{%- set sm = values.hasStateMachine and (values.transitions | length) -%}
{%- macro sample(f) -%}
{%- if f.type == 'enum' -%}${{ PB }}.${{ A }}${{ pb(f.name) }}_${{ UA }}_${{ f.name | upper }}_${{ f.values[0] | upper }}
{%- elif f.type == 'money' -%}&commonv1.Money{CurrencyCode: "USD", Units: 12, Nanos: 500_000_000}
{%- elif f.type == 'timestamp' -%}timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
{%- elif f.type == 'uuid' -%}${{ 'proto.String(uuid.NewString())' if f.optional else 'uuid.NewString()' }}
{%- elif f.type == 'string' -%}${{ ('proto.String("sample")') if f.optional else '"sample"' }}
{%- elif f.type == 'int' -%}${{ 'proto.Int64(42)' if f.optional else '42' }}
{%- else -%}${{ 'proto.Bool(true)' if f.optional else 'true' }}
{%- endif -%}
{%- endmacro -%}
{%- macro t(n) -%}${{ pb(n) }}${{ A }}{%- endmacro -%}
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
{%- if ',timestamp' in sig %}
	"google.golang.org/protobuf/types/known/timestamppb"
{%- endif %}

{% if hasMoney and values.protoPkg > 'common' %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% endif %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% if hasMoney and values.protoPkg < 'common' %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% endif %}
	"${{ values.module }}/tests/testdb"
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

	client := ${{ PB }}.New${{ A }}ServiceClient(svc.conn)
	if _, err := client.Get${{ A }}(context.Background(), &${{ PB }}.Get${{ A }}Request{Id: uuid.NewString()}); status.Code(err) != codes.Unauthenticated {
		t.Errorf("call without a token: %v, want Unauthenticated", err)
	}

	ctx := asRole(t, "admin", 10*time.Second)

	req := &${{ PB }}.Create${{ A }}Request{}
{%- for f in values.fields %}
	req.${{ pb(f.name) }} = ${{ sample(f) }}
{%- endfor %}
	created, err := client.Create${{ A }}(ctx, req)
	if err != nil {
		t.Fatalf("Create${{ A }}: %v\n%s", err, logs)
	}
	got, err := client.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: created.Get${{ A }}().GetId()})
	if err != nil {
		t.Fatalf("Get${{ A }}: %v", err)
	}
	if !proto.Equal(got.Get${{ A }}(), created.Get${{ A }}()) {
		t.Errorf("Get${{ A }} = %v, want %v", got.Get${{ A }}(), created.Get${{ A }}())
	}
	if _, err := client.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: uuid.NewString()}); status.Code(err) != codes.NotFound {
		t.Errorf("Get${{ A }} of a missing id: %v, want NotFound", err)
	}
	if _, err := client.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: "not-a-uuid"}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("Get${{ A }} with a malformed id: %v, want InvalidArgument", err)
	}
{%- if sm %}
{%- set bad = fromInitial[0].name if (fromInitial | length) else values.transitions[0].name %}
{%- if fromInitial | length %}
	if _, err := client.${{ t(bad) }}(ctx, &${{ PB }}.${{ t(bad) }}Request{Id: created.Get${{ A }}().GetId()}); err != nil {
		t.Fatalf("${{ t(bad) }}: %v", err)
	}
{%- endif %}
	if _, err := client.${{ t(bad) }}(ctx, &${{ PB }}.${{ t(bad) }}Request{Id: created.Get${{ A }}().GetId()}); status.Code(err) != codes.FailedPrecondition {
		t.Errorf("${{ t(bad) }} from the wrong status: %v, want FailedPrecondition", err)
	}
{%- endif %}
	list, err := client.List${{ values.aggPlural }}(ctx, &${{ PB }}.List${{ values.aggPlural }}Request{})
	if err != nil || len(list.Get${{ pb(values.table) }}()) != 1 {
		t.Errorf("List${{ values.aggPlural }} = %v, %v; want the one created", list, err)
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
		`grpc_server_handled_total{grpc_code="OK",grpc_method="/${{ values.protoPkg }}.v1.${{ A }}Service/Create${{ A }}"} 1`,
		`grpc_server_handling_seconds_bucket{grpc_method="/${{ values.protoPkg }}.v1.${{ A }}Service/Get${{ A }}"`,
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
