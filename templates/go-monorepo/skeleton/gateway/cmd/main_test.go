package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// runMainEnv makes the test binary run main() instead of the tests, so the
// tests see the gateway's exit status and stderr without building it.
const runMainEnv = "GATEWAY_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// runGateway runs main() in a child process with env on top of an
// environment without the gateway's variables, and returns its exit status
// and stderr; the child is killed after 20s.
func runGateway(t *testing.T, env ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEWAY_") && !strings.HasPrefix(kv, "LOG_") && !strings.HasPrefix(kv, "OTEL_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, runMainEnv+"=1")
	cmd.Env = append(cmd.Env, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run the gateway: %v", err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// TestBadConfigurationIsOneLine: an invalid variable stops the gateway with
// exit status 2 and one line on stderr naming it, every invalid one at once.
func TestBadConfigurationIsOneLine(t *testing.T) {
	t.Parallel()
	const route = "GATEWAY_ROUTES=order.v1=127.0.0.1:50051"
	for _, tt := range []struct {
		env  []string
		want []string
	}{
		{nil, []string{"config GATEWAY_ROUTES: no route"}},
		{[]string{"GATEWAY_ROUTES=order.v1"}, []string{"config GATEWAY_ROUTES: route \"order.v1\""}},
		{[]string{route, "LOG_LEVEL=verbose"}, []string{"config LOG_LEVEL: \"verbose\""}},
		{[]string{route, "LOG_FORMAT=xml"}, []string{"config LOG_FORMAT: \"xml\""}},
		{[]string{route, "GATEWAY_CALL_TIMEOUT=30"}, []string{"config GATEWAY_CALL_TIMEOUT: \"30\" is not a duration"}},
		{[]string{route, "GATEWAY_CALL_TIMEOUT=0s"}, []string{"config GATEWAY_CALL_TIMEOUT: 0s must be above 0"}},
		{[]string{route, "GATEWAY_HTTP_ADDR=8080"}, []string{"config GATEWAY_HTTP_ADDR: \"8080\""}},
		{[]string{route, "GATEWAY_METRICS_ADDR=:metrics"}, []string{"config GATEWAY_METRICS_ADDR: \":metrics\""}},
		{
			[]string{"GATEWAY_ROUTES=Order=x:1", "LOG_LEVEL=loud", "GATEWAY_CALL_TIMEOUT=-1s", "GATEWAY_HTTP_ADDR=:http-alt\nx"},
			[]string{"config GATEWAY_ROUTES", "config LOG_LEVEL", "config GATEWAY_CALL_TIMEOUT", "config GATEWAY_HTTP_ADDR"},
		},
	} {
		code, stderr := runGateway(t, tt.env...)
		if code != 2 {
			t.Errorf("%q: exit status %d, want 2; stderr:\n%s", tt.env, code, stderr)
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "gateway: ") {
			t.Errorf("%q: stderr is not one line starting gateway: %q", tt.env, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%q: stderr %q does not name %q", tt.env, stderr, w)
			}
		}
	}
}

// TestBusyPortNamesTheVariable: a listen address that is valid but taken
// fails the start (status 1, not a configuration error) naming its variable.
func TestBusyPortNamesTheVariable(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = busy.Close() })
	for _, tt := range []struct {
		env  []string
		want string
	}{
		{[]string{"GATEWAY_HTTP_ADDR=" + busy.Addr().String(), "GATEWAY_METRICS_ADDR=off"}, "listen on GATEWAY_HTTP_ADDR " + busy.Addr().String()},
		{[]string{"GATEWAY_METRICS_ADDR=" + busy.Addr().String()}, "listen on GATEWAY_METRICS_ADDR " + busy.Addr().String()},
	} {
		env := append([]string{"GATEWAY_ROUTES=order.v1=127.0.0.1:50051", "LOG_LEVEL=error"}, tt.env...)
		code, stderr := runGateway(t, env...)
		if code != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit status %d, stderr %q; want 1 and %q", tt.env, code, stderr, tt.want)
		}
	}
}

// TestLoadSettings: valid values and the defaults are taken as they are.
func TestLoadSettings(t *testing.T) {
	t.Setenv("GATEWAY_ROUTES", "order.v1=order-service:50051, inventory.v1=inventory-service:50052")
	t.Setenv("GATEWAY_CALL_TIMEOUT", "5s")
	t.Setenv("GATEWAY_METRICS_ADDR", "off")
	t.Setenv("LOG_LEVEL", "")
	t.Setenv("LOG_FORMAT", "console")
	t.Setenv("GATEWAY_HTTP_ADDR", "")
	s, err := loadSettings()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.routes) != 2 || s.callTimeout != 5*time.Second || s.metricsAddr != "off" ||
		s.logLevel != "info" || s.logFormat != "console" || s.httpAddr != ":8080" {
		t.Errorf("settings = %+v", s)
	}
}
