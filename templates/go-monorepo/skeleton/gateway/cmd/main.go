// Command gateway serves the HTTP/JSON API in front of the gRPC services.
//
// Environment:
//
//	GATEWAY_HTTP_ADDR    listen address (default :8080)
//	GATEWAY_ROUTES       proto package -> backend, e.g. order.v1=localhost:50051,inventory.v1=localhost:50052
//	GATEWAY_CALL_TIMEOUT per-call deadline (default 30s)
//	GATEWAY_METRICS_ADDR Prometheus /metrics listen address (default :9464, "off" turns it off)
//	LOG_LEVEL, LOG_FORMAT logger settings (info, json)
//	OTEL_EXPORTER_OTLP_ENDPOINT  OTLP/gRPC collector, e.g. localhost:4317 (optional)
//
// An invalid variable stops it before anything starts, with one line on
// stderr naming every invalid variable and exit status 2, as the services do.
// The gateway checks no token: it passes the authorization header on, and
// each service validates it (JWT_JWKS_FILE or JWT_JWKS_URL).
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/config"
	"${{ values.pkgModule }}/logger"
	"${{ values.pkgModule }}/observability"

	"${{ values.pkgModule.split('/').slice(0, -1).join('/') }}/gateway/internal/proxy"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		var cfgErr *configError
		if errors.As(err, &cfgErr) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// settings is the gateway's environment, checked before anything starts.
type settings struct {
	logLevel, logFormat   string
	version, otlpEndpoint string
	routes                []proxy.Route
	callTimeout           time.Duration
	httpAddr, metricsAddr string // metricsAddr "off": no /metrics listener
}

// loadSettings reads every variable and reports every invalid one, each
// named with how to fix it, in one *configError.
func loadSettings() (settings, error) {
	var errs []error
	s := settings{
		logLevel:     config.String("LOG_LEVEL", "info"),
		logFormat:    config.String("LOG_FORMAT", "json"),
		version:      config.String("SERVICE_VERSION", "dev"),
		otlpEndpoint: config.String("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
		httpAddr:     config.String("GATEWAY_HTTP_ADDR", ":8080"),
		metricsAddr:  config.String("GATEWAY_METRICS_ADDR", ":9464"),
	}
	switch strings.ToLower(s.logLevel) {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("config LOG_LEVEL: %q is not one of debug, info, warn, error", s.logLevel))
	}
	switch strings.ToLower(s.logFormat) {
	case "json", "console":
	default:
		errs = append(errs, fmt.Errorf("config LOG_FORMAT: %q is not json or console", s.logFormat))
	}
	routes, err := proxy.ParseRoutes(config.String("GATEWAY_ROUTES", ""))
	if err != nil {
		errs = append(errs, fmt.Errorf("config GATEWAY_ROUTES: %w", err))
	}
	s.routes = routes
	s.callTimeout, err = config.Duration("GATEWAY_CALL_TIMEOUT", 30*time.Second)
	if err == nil && s.callTimeout <= 0 {
		err = fmt.Errorf("config GATEWAY_CALL_TIMEOUT: %s must be above 0, e.g. 30s", s.callTimeout)
	}
	errs = append(errs, err)
	if err := checkAddr(s.httpAddr); err != nil {
		errs = append(errs, fmt.Errorf("config GATEWAY_HTTP_ADDR: %w", err))
	}
	if s.metricsAddr != "off" {
		if err := checkAddr(s.metricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("config GATEWAY_METRICS_ADDR: %w (or off)", err))
		}
	}
	return s, joinConfig(errs)
}

// checkAddr accepts a listen address host:port with a numeric port, so a
// typo is reported with its variable rather than by net.Listen later.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		return fmt.Errorf("%q is not a listen address host:port, e.g. :8080", addr)
	}
	return nil
}

// configError is every invalid variable, on one line: it is read by a
// person at a terminal or in the logs of a crash loop.
type configError struct {
	problems []error
}

// joinConfig returns nil when every err is nil, else a *configError of the others.
func joinConfig(errs []error) error {
	var problems []error
	for _, err := range errs {
		if err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &configError{problems: problems}
}

func (e *configError) Error() string {
	msgs := make([]string, len(e.problems))
	for i, p := range e.problems {
		msgs[i] = strings.Join(strings.Fields(p.Error()), " ") // a value with a line break cannot split the line
	}
	return strings.Join(msgs, "; ")
}

func (e *configError) Unwrap() []error { return e.problems }

func run() error {
	s, err := loadSettings()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log, err := logger.New(logger.Config{Service: "gateway", Level: s.logLevel, Format: s.logFormat})
	if err != nil {
		return fmt.Errorf("logger (LOG_LEVEL, LOG_FORMAT): %w", err)
	}
	defer func() { _ = log.Sync() }()
	// The gateway logs to stderr only: the SDK's reports (export failures)
	// become entries of it.
	observability.RouteSDKLogs(log)

	shutdownTracing, err := observability.Setup(ctx, observability.Config{
		ServiceName: "gateway", ServiceVersion: s.version, OTLPEndpoint: s.otlpEndpoint,
	})
	if err != nil {
		return fmt.Errorf("tracing to OTEL_EXPORTER_OTLP_ENDPOINT %q: %w", s.otlpEndpoint, err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdownTracing(sctx); err != nil {
			log.Warn("flush traces", logger.Error(err))
		}
	}()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	gw, err := proxy.New(proxy.Options{Routes: s.routes, Logger: log, CallTimeout: s.callTimeout, Metrics: reg})
	if err != nil {
		return fmt.Errorf("gateway for GATEWAY_ROUTES: %w", err)
	}
	defer func() { _ = gw.Close() }()

	// Prometheus scrapes /metrics on its own port (deploy/prometheus/targets/gateway.yml
	// locally, the pod's prometheus.io annotations in the cluster).
	if s.metricsAddr != "off" {
		lis, err := net.Listen("tcp", s.metricsAddr)
		if err != nil {
			return fmt.Errorf("listen on GATEWAY_METRICS_ADDR %s: %w", s.metricsAddr, err)
		}
		metrics := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}), ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := metrics.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("metrics server stopped", logger.Error(err))
			}
		}()
		defer func() { _ = metrics.Close() }()
		log.Info("gateway metrics", zap.String("addr", lis.Addr().String()))
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.Handle("/", gw)
	// Listening here, not in the goroutine, reports a busy port with its variable.
	lis, err := net.Listen("tcp", s.httpAddr)
	if err != nil {
		return fmt.Errorf("listen on GATEWAY_HTTP_ADDR %s: %w", s.httpAddr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errCh := make(chan error, 1)
	go func() {
		log.Info("gateway listening", zap.String("addr", lis.Addr().String()), zap.Int("routes", len(s.routes)))
		errCh <- srv.Serve(lis)
	}()
	select {
	case err := <-errCh:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve http: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown http: %w", err)
	}
	return nil
}
