// Package config reads the service configuration from environment variables
// (the architecture's "os.Getenv + struct" approach, through pkg/config).
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	pkgconfig "github.com/acme/go-pkg/config"
)

// ServiceName names the service in logs, traces and metrics.
const ServiceName = "ledger-service"

// Config is the whole configuration of ledger-service.
type Config struct {
	Server    ServerConfig
	Database  DatabaseConfig
	Log       LogConfig
	Auth      AuthConfig
	Tracing   TracingConfig
	RateLimit RateLimitConfig
}

// ServerConfig configures the listeners.
type ServerConfig struct {
	// GRPCPort is GRPC_PORT (default 50081).
	GRPCPort int
	// MetricsPort is METRICS_PORT, the Prometheus /metrics listener; 0 (the default) disables it.
	MetricsPort int
	// ShutdownTimeout is SHUTDOWN_TIMEOUT (default 15s): how long a graceful stop may take.
	ShutdownTimeout time.Duration
}

// DatabaseConfig locates the service's own database.
type DatabaseConfig struct {
	// RawURL is DATABASE_URL; when set it wins over the DB_* variables.
	RawURL   string
	Host     string // DB_HOST (localhost)
	Port     int    // DB_PORT (5432)
	Name     string // DB_NAME (ledger_db)
	User     string // DB_USER (ledger_svc)
	Password string // DB_PASSWORD, else LEDGER_DB_PASSWORD, else SERVICE_DB_PASSWORD
	SSLMode  string // DB_SSLMODE (disable)
	MaxConns int    // DB_MAX_CONNS (10)
}

// URL returns the pgx connection URL.
func (d DatabaseConfig) URL() string {
	if d.RawURL != "" {
		return d.RawURL
	}
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(d.User, d.Password),
		Host:     d.Host + ":" + strconv.Itoa(d.Port),
		Path:     "/" + d.Name,
		RawQuery: url.Values{"sslmode": {d.SSLMode}, "pool_max_conns": {strconv.Itoa(d.MaxConns)}}.Encode(),
	}
	return u.String()
}

// LogConfig is LOG_LEVEL (info) and LOG_FORMAT (json or console).
type LogConfig struct {
	Level  string
	Format string
}

// AuthConfig configures bearer-token validation: JWT_SECRET (required, at
// least 32 bytes), JWT_ISSUER and JWT_AUDIENCE (checked when set).
type AuthConfig struct {
	Secret   []byte
	Issuer   string
	Audience string
}

// TracingConfig is OTEL_EXPORTER_OTLP_ENDPOINT; empty keeps spans in-process.
type TracingConfig struct {
	OTLPEndpoint string
}

// RateLimitConfig is RATE_LIMIT_RPS (0 disables) and RATE_LIMIT_BURST.
type RateLimitConfig struct {
	RPS   int
	Burst int
}

// Load reads the configuration and reports every invalid variable at once.
func Load() (*Config, error) {
	var errs []error
	integer := func(key string, def int) int {
		v, err := pkgconfig.Int(key, def)
		errs = append(errs, err)
		return v
	}
	cfg := &Config{}
	cfg.Server.GRPCPort = integer("GRPC_PORT", 50081)
	cfg.Server.MetricsPort = integer("METRICS_PORT", 0)
	timeout, err := pkgconfig.Duration("SHUTDOWN_TIMEOUT", 15*time.Second)
	errs = append(errs, err)
	cfg.Server.ShutdownTimeout = timeout

	cfg.Database.RawURL = pkgconfig.String("DATABASE_URL", "")
	cfg.Database.Host = pkgconfig.String("DB_HOST", "localhost")
	cfg.Database.Port = integer("DB_PORT", 5432)
	cfg.Database.Name = pkgconfig.String("DB_NAME", "ledger_db")
	cfg.Database.User = pkgconfig.String("DB_USER", "ledger_svc")
	cfg.Database.Password = pkgconfig.String("DB_PASSWORD", pkgconfig.String("LEDGER_DB_PASSWORD", pkgconfig.String("SERVICE_DB_PASSWORD", "")))
	cfg.Database.SSLMode = pkgconfig.String("DB_SSLMODE", "disable")
	cfg.Database.MaxConns = integer("DB_MAX_CONNS", 10)
	if cfg.Database.RawURL == "" && cfg.Database.Password == "" {
		errs = append(errs, errors.New("config DB_PASSWORD: set DB_PASSWORD, LEDGER_DB_PASSWORD, SERVICE_DB_PASSWORD or DATABASE_URL"))
	}

	cfg.Log.Level = pkgconfig.String("LOG_LEVEL", "info")
	cfg.Log.Format = pkgconfig.String("LOG_FORMAT", "json")

	secret, err := pkgconfig.Required("JWT_SECRET")
	errs = append(errs, err)
	cfg.Auth.Secret = []byte(secret)
	cfg.Auth.Issuer = pkgconfig.String("JWT_ISSUER", "")
	cfg.Auth.Audience = pkgconfig.String("JWT_AUDIENCE", "")

	cfg.Tracing.OTLPEndpoint = pkgconfig.String("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	cfg.RateLimit.RPS = integer("RATE_LIMIT_RPS", 0)
	cfg.RateLimit.Burst = integer("RATE_LIMIT_BURST", 50)

	if p := cfg.Server.GRPCPort; p < 1 || p > 65535 {
		errs = append(errs, fmt.Errorf("config GRPC_PORT: %d is not a port", p))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cfg, nil
}
