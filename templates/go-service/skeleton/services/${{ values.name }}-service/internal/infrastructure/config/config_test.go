{%- set rt = values.rpcTimeout or '30s' -%}
{%- set rtUnit = 'ms' if rt.endsWith('ms') else rt.slice(-1) -%}
{%- set rtGo = rt.slice(0, rt.length - rtUnit.length) + '*time.' + {'ms': 'Millisecond', 's': 'Second', 'm': 'Minute', 'h': 'Hour'}[rtUnit] -%}
{%- set audience = (values.system.split('/') | last).split(':') | last -%}
package config_test

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.module }}/internal/infrastructure/config"
)

func TestLoadDefaults(t *testing.T) {
	t.Setenv("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes")
	t.Setenv("DB_PASSWORD", "pw")
	t.Setenv("DATABASE_URL", "")
	t.Setenv("GRPC_PORT", "")
	for _, key := range []string{"RPC_DEFAULT_TIMEOUT", "SHUTDOWN_TIMEOUT", "SHUTDOWN_DRAIN_DELAY", "DB_STATEMENT_TIMEOUT", "DB_LOCK_TIMEOUT",
		"HEALTH_CHECK_INTERVAL", "HEALTH_CHECK_TIMEOUT", "HEALTH_FAILURE_THRESHOLD", "DB_MAX_CONNS", "DB_MIN_CONNS", "DB_MAX_CONN_LIFETIME", "DB_MAX_CONN_IDLE_TIME"} {
		t.Setenv(key, "")
	}
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.GRPCPort != ${{ values.grpcPort }} {
		t.Errorf("GRPCPort = %d, want ${{ values.grpcPort }}", cfg.Server.GRPCPort)
	}
	if cfg.Server.RPCDefaultTimeout != ${{ rtGo }} || cfg.Server.ShutdownTimeout != 15*time.Second || cfg.Server.DrainDelay != 5*time.Second {
		t.Errorf("server timeouts = %+v, want RPC ${{ rt }}, shutdown 15s, drain 5s", cfg.Server)
	}
	if cfg.Database.StatementTimeout != 10*time.Second || cfg.Database.LockTimeout != 3*time.Second {
		t.Errorf("database timeouts = %s, %s; want 10s, 3s", cfg.Database.StatementTimeout, cfg.Database.LockTimeout)
	}
	if want := (config.HealthConfig{Interval: 2 * time.Second, Timeout: time.Second, FailureThreshold: 2}); cfg.Health != want {
		t.Errorf("Health = %+v, want %+v", cfg.Health, want)
	}
	if got, want := cfg.Database.URL(), "postgres://${{ values.dbIdent }}_svc:pw@localhost:5432/${{ values.dbIdent }}_db?pool_max_conn_idle_time=5m0s&pool_max_conn_lifetime=30m0s&pool_max_conn_lifetime_jitter=3m0s&pool_max_conns=10&pool_min_conns=0&sslmode=disable"; got != want {
		t.Errorf("Database.URL() = %s, want %s", got, want)
	}
}

// TestLoadPoolSettings: the pool's limits default to production values that
// pgx reads from the URL, and a bad one is a line naming its variable.
func TestLoadPoolSettings(t *testing.T) {
	t.Setenv("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes")
	t.Setenv("DB_PASSWORD", "pw")
	t.Setenv("DATABASE_URL", "")
	keys := []string{"DB_MAX_CONNS", "DB_MIN_CONNS", "DB_MAX_CONN_LIFETIME", "DB_MAX_CONN_IDLE_TIME"}
	for _, key := range keys {
		t.Setenv(key, "")
	}
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Database
	if d.MaxConns != 10 || d.MinConns != 0 || d.MaxConnLifetime != 30*time.Minute || d.MaxConnIdleTime != 5*time.Minute {
		t.Errorf("pool settings = max %d, min %d, lifetime %s, idle %s; want 10, 0, 30m, 5m", d.MaxConns, d.MinConns, d.MaxConnLifetime, d.MaxConnIdleTime)
	}
	t.Setenv("DB_MAX_CONNS", "20")
	t.Setenv("DB_MIN_CONNS", "2")
	t.Setenv("DB_MAX_CONN_LIFETIME", "1h")
	t.Setenv("DB_MAX_CONN_IDLE_TIME", "90s")
	if cfg, err = config.Load(); err != nil {
		t.Fatal(err)
	}
	pc, err := pgxpool.ParseConfig(cfg.Database.URL())
	if err != nil {
		t.Fatal(err)
	}
	if pc.MaxConns != 20 || pc.MinConns != 2 || pc.MaxConnLifetime != time.Hour || pc.MaxConnLifetimeJitter != 6*time.Minute || pc.MaxConnIdleTime != 90*time.Second {
		t.Errorf("pgxpool got max %d, min %d, lifetime %s (jitter %s), idle %s; want 20, 2, 1h (6m), 1m30s",
			pc.MaxConns, pc.MinConns, pc.MaxConnLifetime, pc.MaxConnLifetimeJitter, pc.MaxConnIdleTime)
	}

	for _, tt := range []struct{ key, value, want string }{
		{"DB_MAX_CONN_LIFETIME", "half-an-hour", `config DB_MAX_CONN_LIFETIME: "half-an-hour" is not a duration`},
		{"DB_MAX_CONN_LIFETIME", "0s", "config DB_MAX_CONN_LIFETIME: 0s must be above 0, e.g. 30m0s"},
		{"DB_MAX_CONN_IDLE_TIME", "5", `config DB_MAX_CONN_IDLE_TIME: "5" is not a duration`},
		{"DB_MAX_CONN_IDLE_TIME", "-1m", "config DB_MAX_CONN_IDLE_TIME: -1m0s must be above 0, e.g. 5m0s"},
		{"DB_MAX_CONNS", "0", "config DB_MAX_CONNS: 0 must be at least 1, e.g. 10"},
		{"DB_MIN_CONNS", "-1", "config DB_MIN_CONNS: -1 must be at least 0"},
		{"DB_MIN_CONNS", "21", "config DB_MIN_CONNS: 21 is more than DB_MAX_CONNS 20"},
	} {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			t.Setenv(tt.key, tt.value)
			_, err := config.Load()
			if err == nil {
				t.Fatal("Load accepted it")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Count(err.Error(), tt.key) != 1 {
				t.Errorf("error %q is not one line naming %s once", err, tt.key)
			}
			for _, other := range keys {
				if other != tt.key && other != "DB_MAX_CONNS" && strings.Contains(err.Error(), other) {
					t.Errorf("error %q names %s, which is fine", err, other)
				}
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Setenv("JWT_SECRET", "")
	t.Setenv("DATABASE_URL", "")
	t.Setenv("DB_PASSWORD", "")
	t.Setenv("${{ values.dbIdent | upper }}_DB_PASSWORD", "")
	t.Setenv("SERVICE_DB_PASSWORD", "")
	t.Setenv("GRPC_PORT", "not-a-port")
	_, err := config.Load()
	if err == nil {
		t.Fatal("Load accepted an empty environment")
	}
	for _, key := range []string{"JWT_SECRET", "DB_PASSWORD", "GRPC_PORT"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
	// main prints it as the one line of a failed start.
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error spans lines: %q", err)
	}
	var cfgErr *config.Error
	if !errors.As(err, &cfgErr) {
		t.Errorf("error %T is not a *config.Error", err)
	}
}

// TestLoadAuth: a JWKS needs JWT_ISSUER and JWT_AUDIENCE (the identity
// provider signs tokens for other applications with the same keys); a
// secret alone, for local development, does not.
func TestLoadAuth(t *testing.T) {
	t.Setenv("DB_PASSWORD", "pw")
	for _, tt := range []struct {
		name                      string
		jwks, secret, issuer, aud string
		url                       string
		wantErr, notInErr         []string
	}{
		{name: "JWKS without issuer and audience", jwks: "/etc/idp/jwks.json",
			wantErr: []string{"config JWT_ISSUER: required with JWT_JWKS_FILE", "config JWT_AUDIENCE: required with JWT_JWKS_FILE"}},
		{name: "JWKS without audience", jwks: "/etc/idp/jwks.json", issuer: "https://idp.example",
			wantErr: []string{"config JWT_AUDIENCE: required with JWT_JWKS_FILE; set it to the audience"}, notInErr: []string{"JWT_ISSUER"}},
		{name: "JWKS without issuer", jwks: "/etc/idp/jwks.json", aud: "${{ audience }}",
			wantErr: []string{"config JWT_ISSUER: required with JWT_JWKS_FILE; set it to the iss claim"}, notInErr: []string{"JWT_AUDIENCE"}},
		{name: "JWKS with both", jwks: "/etc/idp/jwks.json", issuer: "https://idp.example", aud: "${{ audience }}"},
		{name: "JWKS URL with both", url: "https://login.example.com/.well-known/jwks.json", issuer: "https://idp.example", aud: "${{ audience }}"},
		{name: "JWKS URL without issuer", url: "https://login.example.com/.well-known/jwks.json", aud: "${{ audience }}",
			wantErr: []string{"config JWT_ISSUER: required with JWT_JWKS_URL"}, notInErr: []string{"JWT_AUDIENCE", "JWT_SECRET"}},
		{name: "JWKS URL over plain http", url: "http://login.example.com/jwks", issuer: "https://idp.example", aud: "${{ audience }}",
			wantErr: []string{"config JWT_JWKS_URL: http://login.example.com/jwks: plain http is allowed for a loopback host only"}},
		{name: "JWKS URL and file", url: "https://login.example.com/.well-known/jwks.json", jwks: "/etc/idp/jwks.json", issuer: "https://idp.example", aud: "${{ audience }}",
			wantErr: []string{"config JWT_JWKS_URL: set it or JWT_JWKS_FILE, not both"}},
		{name: "secret alone", secret: "a-secret-of-at-least-thirty-two-bytes"},
		{name: "secret with issuer and audience", secret: "a-secret-of-at-least-thirty-two-bytes", issuer: "https://idp.example", aud: "${{ audience }}"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("JWT_JWKS_FILE", tt.jwks)
			t.Setenv("JWT_JWKS_URL", tt.url)
			t.Setenv("JWT_SECRET", tt.secret)
			t.Setenv("JWT_ISSUER", tt.issuer)
			t.Setenv("JWT_AUDIENCE", tt.aud)
			cfg, err := config.Load()
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if a := cfg.Auth; a.JWKSFile != tt.jwks || a.JWKSURL != tt.url || string(a.Secret) != tt.secret || a.Issuer != tt.issuer || a.Audience != tt.aud {
					t.Errorf("Auth = %+v, want JWKS %q, secret %q, issuer %q, audience %q", a, tt.jwks, tt.secret, tt.issuer, tt.aud)
				}
				return
			}
			if err == nil {
				t.Fatal("Load accepted it")
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			for _, not := range tt.notInErr {
				if strings.Contains(err.Error(), not) {
					t.Errorf("error %q names %s, which is set", err, not)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestJoinFlattensOnOneLine(t *testing.T) {
	t.Parallel()
	if err := config.Join(nil, nil); err != nil {
		t.Fatalf("Join(nil, nil) = %v, want nil", err)
	}
	inner := errors.Join(errors.New("config A: bad"), errors.New("config B: bad\nvalue"))
	err := config.Join(inner, nil, errors.New("config C: bad"))
	if got, want := err.Error(), "config A: bad; config B: bad value; config C: bad"; got != want {
		t.Errorf("Join(...).Error() = %q, want %q", got, want)
	}
}

func TestLoadRefusesBadTimeouts(t *testing.T) {
	t.Setenv("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes")
	t.Setenv("DB_PASSWORD", "pw")
	for _, tt := range []struct{ key, value, want string }{
		{"RPC_DEFAULT_TIMEOUT", "soon", "RPC_DEFAULT_TIMEOUT"},
		{"RPC_DEFAULT_TIMEOUT", "-1s", "RPC_DEFAULT_TIMEOUT: -1s is negative"},
		{"DB_STATEMENT_TIMEOUT", "-5s", "DB_STATEMENT_TIMEOUT: -5s is negative"},
		{"DB_LOCK_TIMEOUT", "x", "DB_LOCK_TIMEOUT"},
		{"SHUTDOWN_TIMEOUT", "0s", "SHUTDOWN_TIMEOUT: must be above 0"},
		{"SHUTDOWN_DRAIN_DELAY", "20s", "SHUTDOWN_DRAIN_DELAY: 20s leaves no time of SHUTDOWN_TIMEOUT 15s"},
		{"RATE_LIMIT_RPS", "-1", "RATE_LIMIT_RPS: -1 is negative"},
		{"HEALTH_CHECK_INTERVAL", "1ms", "HEALTH_CHECK_INTERVAL: 1ms is shorter than 10ms"},
		{"HEALTH_CHECK_TIMEOUT", "0s", "HEALTH_CHECK_TIMEOUT: 0s must be above 0"},
		{"HEALTH_FAILURE_THRESHOLD", "0", "HEALTH_FAILURE_THRESHOLD: 0 must be at least 1"},
		{"LOG_LEVEL", "verbose", `LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
		{"LOG_FORMAT", "text", `LOG_FORMAT: "text" is not json or console`},
	} {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			t.Setenv(tt.key, tt.value)
			_, err := config.Load()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load() error = %v, want one naming %q", err, tt.want)
			}
		})
	}
	t.Run("RATE_LIMIT_BURST=0 with RATE_LIMIT_RPS=5", func(t *testing.T) {
		t.Setenv("RATE_LIMIT_RPS", "5")
		t.Setenv("RATE_LIMIT_BURST", "0")
		_, err := config.Load()
		if err == nil || !strings.Contains(err.Error(), "RATE_LIMIT_BURST: 0 must be at least 1 when RATE_LIMIT_RPS is set") {
			t.Fatalf("Load() error = %v, want one naming RATE_LIMIT_BURST", err)
		}
	})
}

// configs/local.env sets METRICS_PORT to the default for its GRPC_PORT: the
// port the local Prometheus scrapes (deploy/prometheus/targets) is the one
// the service listens on with or without the file.
func TestLocalEnvMetricsPortIsTheDefault(t *testing.T) {
	f, err := os.Open("../../../configs/local.env")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			env[k] = v
		}
	}
	grpcPort, err1 := strconv.Atoi(env["GRPC_PORT"])
	metricsPort, err2 := strconv.Atoi(env["METRICS_PORT"])
	if err1 != nil || err2 != nil {
		t.Fatalf("configs/local.env: GRPC_PORT %q, METRICS_PORT %q are not ports", env["GRPC_PORT"], env["METRICS_PORT"])
	}
	if want := config.DefaultMetricsPort(grpcPort); metricsPort != want {
		t.Errorf("configs/local.env: METRICS_PORT=%d, want DefaultMetricsPort(%d) = %d", metricsPort, grpcPort, want)
	}
	if got := config.DefaultMetricsPort(65000); got != 64000 {
		t.Errorf("DefaultMetricsPort(65000) = %d, want 64000 (a port above 65535 is none)", got)
	}
}
