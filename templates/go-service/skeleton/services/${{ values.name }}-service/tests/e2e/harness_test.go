package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	"${{ values.pkgModule }}/auth/jwt"

	"${{ values.module }}/tests/testport"
)

const jwtSecret = "e2e-test-secret-of-at-least-32-bytes"

// syncBuffer collects the process output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freePort is a port for the service to listen on (testport.Free), as the
// environment takes it.
func freePort(t *testing.T) string {
	t.Helper()
	return strconv.Itoa(testport.Free(t))
}

// buildBinary builds the service (./cmd) into the test's temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "${{ values.serviceName }}")
	build := exec.Command("go", "build", "-o", bin, "./cmd")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// service is the binary running under a test, with a gRPC connection to it.
type service struct {
	t       *testing.T
	cmd     *exec.Cmd
	port    string
	logs    *syncBuffer
	conn    *grpc.ClientConn
	health  healthpb.HealthClient
	done    chan struct{} // closed when the process has exited
	exitErr error         // its exit status, once done is closed
}

// startService builds the binary and runs it on a free gRPC port with
// JWT_SECRET, METRICS_PORT=0 and no OTLP endpoint, then env (a later value of
// a variable wins), and returns once its health reports SERVING; the test
// fails when the process exits first or is not SERVING within 30s. The
// process is killed when the test ends, if it still runs.
func startService(t *testing.T, env ...string) *service {
	t.Helper()
	bin := buildBinary(t)
	s := &service{t: t, port: freePort(t), logs: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin)
	s.cmd.Env = append(os.Environ(), "GRPC_PORT="+s.port, "JWT_SECRET="+jwtSecret, "METRICS_PORT=0", "OTEL_EXPORTER_OTLP_ENDPOINT=")
	s.cmd.Env = append(s.cmd.Env, env...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.exitErr = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	conn, err := grpc.NewClient("127.0.0.1:"+s.port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	s.conn, s.health = conn, healthpb.NewHealthClient(conn)

	// Health is public: poll it until the server reports SERVING.
	for deadline := time.Now().Add(30 * time.Second); s.healthStatus() != healthpb.HealthCheckResponse_SERVING; time.Sleep(100 * time.Millisecond) {
		select {
		case <-s.done:
			t.Fatalf("service exited before serving: %v\n%s", s.exitErr, s.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no SERVING health status after 30s\n%s", s.logs)
		}
	}
	return s
}

// healthStatus is the server's health (UNKNOWN when the check fails).
func (s *service) healthStatus() healthpb.HealthCheckResponse_ServingStatus {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	resp, err := s.health.Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return healthpb.HealthCheckResponse_UNKNOWN
	}
	return resp.GetStatus()
}

// sigterm sends SIGTERM and returns when it was sent.
func (s *service) sigterm() time.Time {
	s.t.Helper()
	at := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	return at
}

// waitExit returns the process's exit error (nil for status 0); the test
// fails when it still runs after timeout.
func (s *service) waitExit(timeout time.Duration) error {
	s.t.Helper()
	select {
	case <-s.done:
		return s.exitErr
	case <-time.After(timeout):
		s.t.Fatalf("still running %v after SIGTERM\n%s", timeout, s.logs)
		return nil
	}
}

// asRole returns a context carrying a token with role, ending after timeout
// or with the test.
func asRole(t *testing.T, role string, timeout time.Duration) context.Context {
	t.Helper()
	validator, err := jwt.NewValidator(jwt.Config{Secret: []byte(jwtSecret)})
	if err != nil {
		t.Fatal(err)
	}
	token, err := validator.Issue("e2e-test", []string{role}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token), timeout)
	t.Cleanup(cancel)
	return ctx
}
