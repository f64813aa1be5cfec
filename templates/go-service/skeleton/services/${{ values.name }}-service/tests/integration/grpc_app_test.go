{%- set A = values.aggregate -%}
{%- set PB = values.protoPkg + 'v1' -%}
package integration

import (
	"context"
	"maps"
{%- if values.stage == 'async' %}
	"os"
{%- endif %}
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"${{ values.pkgModule }}/auth/jwt"
	"${{ values.pkgModule }}/logger"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"

	"${{ values.module }}/internal/infrastructure/config"
	appfx "${{ values.module }}/internal/infrastructure/fx"
	"${{ values.module }}/tests/testdb"
	"${{ values.module }}/tests/testport"
)

const testJWTSecret = "integration-test-secret-of-32-bytes-or-more"

// grpcApp is the whole application (appfx.Module) on a fresh database with
// an observed logger, and an admin's client of it.
type grpcApp struct {
	pool   *pgxpool.Pool
	dbURL  string
	conn   *grpc.ClientConn
	client ${{ PB }}.${{ A }}ServiceClient
	ctx    context.Context // carries the admin's token (JWT_SECRET)
	logs   *observer.ObservedLogs
}

// startGRPCApp starts the application on a fresh database and a free port,
// configured as a test wants it: a shared JWT secret, no metrics listener, no
// OTLP endpoint, no drain delay, then env (which wins); opts are added
// (fx.Populate). It stops the application when the test ends.
func startGRPCApp(t *testing.T, env map[string]string, opts ...fx.Option) *grpcApp {
	t.Helper()
	pool, dbURL := testdb.New(t)
	port := strconv.Itoa(testport.Free(t))
	vars := map[string]string{
		"DATABASE_URL": dbURL, "GRPC_PORT": port, "JWT_SECRET": testJWTSecret, "JWT_ISSUER": "", "JWT_AUDIENCE": "",
		"METRICS_PORT": "0", "OTEL_EXPORTER_OTLP_ENDPOINT": "", "SHUTDOWN_DRAIN_DELAY": "0s",
	}
{%- if values.stage == 'async' %}
	if u := os.Getenv("TEST_RABBITMQ_URL"); u != "" {
		vars["RABBITMQ_URL"] = u
	}
{%- endif %}
	maps.Copy(vars, env)
	setEnv(t, vars)
	core, logs := observer.New(zapcore.DebugLevel)
	app := fxtest.New(t, appfx.Module,
		fx.Decorate(func(*zap.Logger) *zap.Logger { return logger.NewWithCore(core, config.ServiceName) }),
		fx.Options(opts...))
	app.RequireStart()
	t.Cleanup(app.RequireStop)

	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	validator, err := jwt.NewValidator(jwt.Config{Secret: []byte(testJWTSecret)})
	if err != nil {
		t.Fatal(err)
	}
	token, err := validator.Issue("integration-test", []string{"admin"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token), 20*time.Second)
	t.Cleanup(cancel)
	return &grpcApp{pool: pool, dbURL: dbURL, conn: conn, client: ${{ PB }}.New${{ A }}ServiceClient(conn), ctx: ctx, logs: logs}
}

// setEnv sets the variables for the test (which therefore does not run in
// parallel).
func setEnv(t *testing.T, vars map[string]string) {
	t.Helper()
	for key, value := range vars {
		t.Setenv(key, value)
	}
}
