{%- set async = values.stage == 'async' -%}
{%- set ENVP = values.dbIdent | upper -%}
{%- set rt = values.rpcTimeout or '30s' -%}
{%- set rtUnit = 'ms' if rt.endsWith('ms') else rt.slice(-1) -%}
{%- set rtGo = rt.slice(0, rt.length - rtUnit.length) + '*time.' + {'ms': 'Millisecond', 's': 'Second', 'm': 'Minute', 'h': 'Hour'}[rtUnit] -%}
{%- set audience = (values.system.split('/') | last).split(':') | last -%}
// Package config reads the service configuration from environment variables
// (the architecture's "os.Getenv + struct" approach, through pkg/config).
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"${{ values.pkgModule }}/auth/jwt"
	pkgconfig "${{ values.pkgModule }}/config"
)

// ServiceName names the service in logs, traces and metrics.
const ServiceName = "${{ values.serviceName }}"

// Config is the whole configuration of ${{ values.serviceName }}.
type Config struct {
	Server    ServerConfig
	Database  DatabaseConfig
	Log       LogConfig
	Auth      AuthConfig
	Tracing   TracingConfig
	RateLimit RateLimitConfig
	Health    HealthConfig
{%- if async %}
	RabbitMQ  RabbitMQConfig
{%- endif %}
{%- if (values.dependencies or []) | length %}
	// Dependencies are the services this one calls (internal/adapter/outbound/grpcclient).
	Dependencies DependenciesConfig
{%- endif %}
}

// ServerConfig configures the listeners.
type ServerConfig struct {
	// GRPCPort is GRPC_PORT (default ${{ values.grpcPort }}).
	GRPCPort int
	// MetricsPort is METRICS_PORT (default DefaultMetricsPort(GRPCPort)), the
	// Prometheus /metrics listener the local Prometheus scrapes; 0 disables it.
	MetricsPort int
	// RPCDefaultTimeout is RPC_DEFAULT_TIMEOUT (default ${{ rt }}): the server's
	// deadline for a call whose client sent none or a later one; 0 disables it.
	RPCDefaultTimeout time.Duration
	// ShutdownTimeout is SHUTDOWN_TIMEOUT (default 15s): how long the whole stop
	// may take (fx.StopTimeout): the drain delay, in-flight calls finishing,
	// then the other components closing.
	ShutdownTimeout time.Duration
	// DrainDelay is SHUTDOWN_DRAIN_DELAY (default 5s): on stop, how long the
	// server keeps serving after reporting NOT_SERVING, so load balancers and
	// clients see the health change before connections close. Shorter than
	// SHUTDOWN_TIMEOUT.
	DrainDelay time.Duration
}

// DefaultMetricsPort is METRICS_PORT when it is not set: the gRPC port + 1000,
// or - 1000 above 64535, so that every service of the monorepo has its own.
// configs/local.env sets it, and the local Prometheus scrapes it
// (deploy/prometheus/targets/${{ values.serviceName }}.yml).
func DefaultMetricsPort(grpcPort int) int {
	if grpcPort <= 64535 {
		return grpcPort + 1000
	}
	return grpcPort - 1000
}

// DefaultShutdownTimeout is SHUTDOWN_TIMEOUT when it is not set.
const DefaultShutdownTimeout = 15 * time.Second

// HealthConfig tunes readiness, the gRPC health status "" that readiness
// probes and load balancers follow (infrastructure/fx HealthModule): every
// Interval each dependency check runs, bounded by Timeout; FailureThreshold
// failed rounds in a row make it NOT_SERVING, one good round SERVING again.
type HealthConfig struct {
	// Interval is HEALTH_CHECK_INTERVAL (2s).
	Interval time.Duration
	// Timeout is HEALTH_CHECK_TIMEOUT (1s): the bound of one check (a
	// database ping), so a hung dependency fails its check instead of
	// stalling readiness.
	Timeout time.Duration
	// FailureThreshold is HEALTH_FAILURE_THRESHOLD (2): a single slow ping
	// does not take the replica out of service.
	FailureThreshold int
}

// DatabaseConfig locates the service's own database.
type DatabaseConfig struct {
	// RawURL is DATABASE_URL; when set it wins over the DB_* variables.
	RawURL   string
	Host     string // DB_HOST (localhost)
	Port     int    // DB_PORT (5432)
	Name     string // DB_NAME (${{ values.dbIdent }}_db)
	User     string // DB_USER (${{ values.dbIdent }}_svc)
	Password string // DB_PASSWORD, else ${{ ENVP }}_DB_PASSWORD, else SERVICE_DB_PASSWORD
	SSLMode  string // DB_SSLMODE (disable)
	MaxConns int    // DB_MAX_CONNS (10), at least 1
	// MinConns is DB_MIN_CONNS (default 0), the connections the pool keeps
	// open while idle; at most DB_MAX_CONNS.
	MinConns int
	// MaxConnLifetime is DB_MAX_CONN_LIFETIME (default 30m): a connection
	// older than this is closed once released, so the pool follows a
	// database failover or a DNS change and no session lives for days. The
	// pool adds up to a tenth of it at random per connection (pgx's
	// MaxConnLifetimeJitter), so the connections opened together do not all
	// close together. Above 0.
	MaxConnLifetime time.Duration
	// MaxConnIdleTime is DB_MAX_CONN_IDLE_TIME (default 5m): an idle
	// connection is closed after this long (down to DB_MIN_CONNS), giving the
	// server back what a quiet replica does not use. Above 0.
	MaxConnIdleTime time.Duration
	// StatementTimeout is DB_STATEMENT_TIMEOUT (default 10s), PostgreSQL's
	// statement_timeout for every connection: a slower statement is cancelled
	// and its call ends as DeadlineExceeded. 0 keeps the server's setting.
	StatementTimeout time.Duration
	// LockTimeout is DB_LOCK_TIMEOUT (default 3s), lock_timeout: a statement
	// waiting longer for a lock fails and its call ends as Aborted (retry).
	// 0 keeps the server's setting.
	LockTimeout time.Duration
}

// URL returns the pgx connection URL: DATABASE_URL as it is (with its own
// pool_* parameters, pgx's defaults otherwise), else one built from the DB_*
// variables with the pool settings as pgxpool's parameters.
func (d DatabaseConfig) URL() string {
	if d.RawURL != "" {
		return d.RawURL
	}
	q := url.Values{
		"sslmode":                       {d.SSLMode},
		"pool_max_conns":                {strconv.Itoa(d.MaxConns)},
		"pool_min_conns":                {strconv.Itoa(d.MinConns)},
		"pool_max_conn_lifetime":        {d.MaxConnLifetime.String()},
		"pool_max_conn_lifetime_jitter": {(d.MaxConnLifetime / 10).String()},
		"pool_max_conn_idle_time":       {d.MaxConnIdleTime.String()},
	}
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(d.User, d.Password),
		Host:     d.Host + ":" + strconv.Itoa(d.Port),
		Path:     "/" + d.Name,
		RawQuery: q.Encode(),
	}
	return u.String()
}

// LogConfig is LOG_LEVEL (info) and LOG_FORMAT (json or console).
type LogConfig struct {
	Level  string
	Format string
}

// AuthConfig configures bearer-token validation: the JSON Web Key Set of the
// identity provider from JWT_JWKS_URL (where it publishes it, https) or
// JWT_JWKS_FILE (a mounted copy), not both (RS256 or EdDSA tokens; HS256 is
// then refused), or else JWT_SECRET (HS256, at least 32 bytes, for local
// development). With a key set, JWT_ISSUER (the provider's iss) and
// JWT_AUDIENCE are required, since the provider signs tokens for other
// applications with the same keys; with JWT_SECRET they are checked when set.
// JWT_AUDIENCE is the audience of the whole system, "${{ audience }}"
// (deploy/k8s/base/config.env): services pass the caller's token on to the
// services they call, so every service of the system accepts the same one.
type AuthConfig struct {
	JWKSFile string
	JWKSURL  string
	Secret   []byte
	Issuer   string
	Audience string
}

// TracingConfig is OTEL_EXPORTER_OTLP_ENDPOINT, where spans and log records go
// over OTLP/gRPC (configs/local.env: the local otel-collector); empty keeps
// spans in-process and logs on stderr only.
type TracingConfig struct {
	OTLPEndpoint string
}

// RateLimitConfig is RATE_LIMIT_RPS (0 disables) and RATE_LIMIT_BURST.
type RateLimitConfig struct {
	RPS   int
	Burst int
}
{%- if async %}

// RabbitMQConfig configures the broker: RABBITMQ_URL
// (amqp://guest:guest@localhost:5672/), the exchange events are published to
// (EVENTS_EXCHANGE, default ${{ values.name }}.events) and the command queue the
// consumer reads (COMMANDS_QUEUE, default ${{ values.serviceName }}.commands).
type RabbitMQConfig struct {
	URL            string
	EventsExchange string
	CommandsQueue  string
}
{%- endif %}

{%- if (values.dependencies or []) | length %}

// DependenciesConfig has one DependencyConfig per service ${{ values.serviceName }} calls.
type DependenciesConfig struct {
{%- for d in values.dependencies %}
	// ${{ d.pascal }} is ${{ d.serviceName }}: ${{ d.env }}_GRPC_ADDR, ${{ d.env }}_TIMEOUT,
	// ${{ d.env }}_BREAKER_FAILURES, ${{ d.env }}_BREAKER_OPEN_FOR.
	${{ d.pascal }} DependencyConfig
{%- endfor %}
}

// DependencyConfig configures the calls to one other service.
type DependencyConfig struct {
	// Addr is the gRPC target (host:port, or any grpc.NewClient target).
	Addr string
	// Timeout is the deadline of a call whose context has none or a later
	// one (default 5s).
	Timeout time.Duration
	// BreakerFailures is how many failed calls in a row open the circuit
	// breaker (default 5); while open, calls fail at once with UNAVAILABLE.
	BreakerFailures int
	// BreakerOpenFor is how long the breaker stays open before it lets one
	// trial call through (default 30s); its success closes the breaker.
	BreakerOpenFor time.Duration
}
{%- endif %}

// Load reads the configuration and reports every invalid variable at once,
// as an *Error (one line).
func Load() (*Config, error) {
	var errs []error
	integer := func(key string, def int) int {
		v, err := pkgconfig.Int(key, def)
		errs = append(errs, err)
		return v
	}
	duration := func(key string, def time.Duration) time.Duration {
		v, err := pkgconfig.Duration(key, def)
		errs = append(errs, err)
		if err == nil && v < 0 {
			errs = append(errs, fmt.Errorf("config %s: %s is negative", key, v))
		}
		return v
	}
	atLeast := func(key string, def, lowest int) int {
		v, err := pkgconfig.Int(key, def)
		if err == nil && v < lowest {
			err = fmt.Errorf("config %s: %d must be at least %d, e.g. %d", key, v, lowest, def)
		}
		errs = append(errs, err)
		return v
	}
	positive := func(key string, def time.Duration) time.Duration {
		v, err := pkgconfig.Duration(key, def)
		if err == nil && v <= 0 {
			err = fmt.Errorf("config %s: %s must be above 0, e.g. %s", key, v, def)
		}
		errs = append(errs, err)
		return v
	}
	cfg := &Config{}
	cfg.Server.GRPCPort = integer("GRPC_PORT", ${{ values.grpcPort }})
	cfg.Server.MetricsPort = integer("METRICS_PORT", DefaultMetricsPort(cfg.Server.GRPCPort))
	cfg.Server.RPCDefaultTimeout = duration("RPC_DEFAULT_TIMEOUT", ${{ rtGo }})
	cfg.Server.ShutdownTimeout = duration("SHUTDOWN_TIMEOUT", DefaultShutdownTimeout)
	cfg.Server.DrainDelay = duration("SHUTDOWN_DRAIN_DELAY", 5*time.Second)
	if cfg.Server.ShutdownTimeout == 0 {
		errs = append(errs, errors.New("config SHUTDOWN_TIMEOUT: must be above 0, e.g. 15s"))
	} else if cfg.Server.DrainDelay >= cfg.Server.ShutdownTimeout {
		errs = append(errs, fmt.Errorf("config SHUTDOWN_DRAIN_DELAY: %s leaves no time of SHUTDOWN_TIMEOUT %s to finish calls; make it shorter", cfg.Server.DrainDelay, cfg.Server.ShutdownTimeout))
	}

	cfg.Database.RawURL = pkgconfig.String("DATABASE_URL", "")
	cfg.Database.Host = pkgconfig.String("DB_HOST", "localhost")
	cfg.Database.Port = integer("DB_PORT", 5432)
	cfg.Database.Name = pkgconfig.String("DB_NAME", "${{ values.dbIdent }}_db")
	cfg.Database.User = pkgconfig.String("DB_USER", "${{ values.dbIdent }}_svc")
	cfg.Database.Password = pkgconfig.String("DB_PASSWORD", pkgconfig.String("${{ ENVP }}_DB_PASSWORD", pkgconfig.String("SERVICE_DB_PASSWORD", "")))
	cfg.Database.SSLMode = pkgconfig.String("DB_SSLMODE", "disable")
	cfg.Database.MaxConns = atLeast("DB_MAX_CONNS", 10, 1)
	cfg.Database.MinConns = atLeast("DB_MIN_CONNS", 0, 0)
	if m, n := cfg.Database.MinConns, cfg.Database.MaxConns; n >= 1 && m > n {
		errs = append(errs, fmt.Errorf("config DB_MIN_CONNS: %d is more than DB_MAX_CONNS %d", m, n))
	}
	// 0 would close every connection at the pool's next health check.
	cfg.Database.MaxConnLifetime = positive("DB_MAX_CONN_LIFETIME", 30*time.Minute)
	cfg.Database.MaxConnIdleTime = positive("DB_MAX_CONN_IDLE_TIME", 5*time.Minute)
	cfg.Database.StatementTimeout = duration("DB_STATEMENT_TIMEOUT", 10*time.Second)
	cfg.Database.LockTimeout = duration("DB_LOCK_TIMEOUT", 3*time.Second)
	if cfg.Database.RawURL == "" && cfg.Database.Password == "" {
		errs = append(errs, errors.New("config DB_PASSWORD: set DB_PASSWORD, ${{ ENVP }}_DB_PASSWORD, SERVICE_DB_PASSWORD or DATABASE_URL"))
	}

	// Checked here, not only by the logger: Fx builds its own logger from
	// this one, and a logger that cannot be built makes Fx print its whole
	// event log instead of this line.
	cfg.Log.Level = pkgconfig.String("LOG_LEVEL", "info")
	cfg.Log.Format = pkgconfig.String("LOG_FORMAT", "json")
	switch strings.ToLower(cfg.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("config LOG_LEVEL: %q is not one of debug, info, warn, error", cfg.Log.Level))
	}
	switch strings.ToLower(cfg.Log.Format) {
	case "json", "console":
	default:
		errs = append(errs, fmt.Errorf("config LOG_FORMAT: %q is not json or console", cfg.Log.Format))
	}

	cfg.Auth.JWKSFile = pkgconfig.String("JWT_JWKS_FILE", "")
	cfg.Auth.JWKSURL = pkgconfig.String("JWT_JWKS_URL", "")
	cfg.Auth.Issuer = pkgconfig.String("JWT_ISSUER", "")
	cfg.Auth.Audience = pkgconfig.String("JWT_AUDIENCE", "")
	keySet := "JWT_JWKS_FILE"
	if cfg.Auth.JWKSURL != "" {
		keySet = "JWT_JWKS_URL"
		if err := jwt.CheckJWKSURL(cfg.Auth.JWKSURL); err != nil {
			errs = append(errs, fmt.Errorf("config JWT_JWKS_URL: %w", err))
		}
		if cfg.Auth.JWKSFile != "" {
			errs = append(errs, errors.New("config JWT_JWKS_URL: set it or JWT_JWKS_FILE, not both; the key set comes from one place"))
		}
	}
	if cfg.Auth.JWKSFile == "" && cfg.Auth.JWKSURL == "" {
		secret, err := pkgconfig.Required("JWT_SECRET")
		if err != nil {
			err = fmt.Errorf("%w (or set JWT_JWKS_URL to the identity provider's key set)", err)
		}
		errs = append(errs, err)
		cfg.Auth.Secret = []byte(secret)
	} else {
		// Without them any token the provider signed for another application passes.
		if cfg.Auth.Issuer == "" {
			errs = append(errs, fmt.Errorf("config JWT_ISSUER: required with %s; set it to the iss claim of the identity provider's tokens, e.g. https://login.example.com/", keySet))
		}
		if cfg.Auth.Audience == "" {
			errs = append(errs, fmt.Errorf("config JWT_AUDIENCE: required with %s; set it to the audience the identity provider issues this system's tokens for, e.g. ${{ audience }}", keySet))
		}
	}

	cfg.Health.Interval = duration("HEALTH_CHECK_INTERVAL", 2*time.Second)
	cfg.Health.Timeout = duration("HEALTH_CHECK_TIMEOUT", time.Second)
	cfg.Health.FailureThreshold = integer("HEALTH_FAILURE_THRESHOLD", 2)
	if cfg.Health.Interval < 10*time.Millisecond {
		errs = append(errs, fmt.Errorf("config HEALTH_CHECK_INTERVAL: %s is shorter than 10ms", cfg.Health.Interval))
	}
	if cfg.Health.Timeout <= 0 {
		errs = append(errs, fmt.Errorf("config HEALTH_CHECK_TIMEOUT: %s must be above 0, e.g. 1s", cfg.Health.Timeout))
	}
	if cfg.Health.FailureThreshold < 1 {
		errs = append(errs, fmt.Errorf("config HEALTH_FAILURE_THRESHOLD: %d must be at least 1, e.g. 2", cfg.Health.FailureThreshold))
	}

	cfg.Tracing.OTLPEndpoint = pkgconfig.String("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	cfg.RateLimit.RPS = integer("RATE_LIMIT_RPS", 0)
	cfg.RateLimit.Burst = integer("RATE_LIMIT_BURST", 50)
	if cfg.RateLimit.RPS < 0 {
		errs = append(errs, fmt.Errorf("config RATE_LIMIT_RPS: %d is negative; 0 disables rate limiting", cfg.RateLimit.RPS))
	} else if cfg.RateLimit.RPS > 0 && cfg.RateLimit.Burst < 1 {
		// a bucket of size 0 refuses every call
		errs = append(errs, fmt.Errorf("config RATE_LIMIT_BURST: %d must be at least 1 when RATE_LIMIT_RPS is set, e.g. 50", cfg.RateLimit.Burst))
	}
{%- if async %}

	cfg.RabbitMQ.URL = pkgconfig.String("RABBITMQ_URL", "amqp://guest:guest@localhost:5672/")
	cfg.RabbitMQ.EventsExchange = pkgconfig.String("EVENTS_EXCHANGE", "${{ values.name }}.events")
	cfg.RabbitMQ.CommandsQueue = pkgconfig.String("COMMANDS_QUEUE", "${{ values.serviceName }}.commands")
{%- endif %}

{%- for d in values.dependencies or [] %}

	cfg.Dependencies.${{ d.pascal }} = DependencyConfig{
		Addr:            pkgconfig.String("${{ d.env }}_GRPC_ADDR", "localhost:${{ d.grpcPort }}"),
		Timeout:         duration("${{ d.env }}_TIMEOUT", 5*time.Second),
		BreakerFailures: integer("${{ d.env }}_BREAKER_FAILURES", 5),
		BreakerOpenFor:  duration("${{ d.env }}_BREAKER_OPEN_FOR", 30*time.Second),
	}
	if n := cfg.Dependencies.${{ d.pascal }}.BreakerFailures; n < 1 {
		errs = append(errs, fmt.Errorf("config ${{ d.env }}_BREAKER_FAILURES: %d must be at least 1, e.g. 5", n))
	}
	if cfg.Dependencies.${{ d.pascal }}.Addr == "" {
		errs = append(errs, errors.New("config ${{ d.env }}_GRPC_ADDR: set the address of ${{ d.serviceName }}, e.g. ${{ d.serviceName }}:${{ d.grpcPort }}"))
	}
{%- endfor %}

	if p := cfg.Server.GRPCPort; p < 1 || p > 65535 {
		errs = append(errs, fmt.Errorf("config GRPC_PORT: %d is not a port", p))
	}
	if err := Join(errs...); err != nil {
		return nil, err
	}
	return cfg, nil
}
