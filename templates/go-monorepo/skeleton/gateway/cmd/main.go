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
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
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
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log, err := logger.New(logger.Config{Service: "gateway", Level: config.String("LOG_LEVEL", "info"), Format: config.String("LOG_FORMAT", "json")})
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()

	shutdownTracing, err := observability.Setup(ctx, observability.Config{
		ServiceName: "gateway", ServiceVersion: config.String("SERVICE_VERSION", "dev"),
		OTLPEndpoint: config.String("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
	})
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdownTracing(sctx); err != nil {
			log.Warn("flush traces", logger.Error(err))
		}
	}()

	routes, err := proxy.ParseRoutes(config.String("GATEWAY_ROUTES", ""))
	if err != nil {
		return err
	}
	timeout, err := config.Duration("GATEWAY_CALL_TIMEOUT", 30*time.Second)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	gw, err := proxy.New(proxy.Options{Routes: routes, Logger: log, CallTimeout: timeout, Metrics: reg})
	if err != nil {
		return err
	}
	defer func() { _ = gw.Close() }()

	// Prometheus scrapes /metrics on its own port (deploy/prometheus/targets/gateway.yml
	// locally, the pod's prometheus.io annotations in the cluster).
	if addr := config.String("GATEWAY_METRICS_ADDR", ":9464"); addr != "off" {
		lis, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("metrics listener: %w", err)
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
	srv := &http.Server{
		Addr:              config.String("GATEWAY_HTTP_ADDR", ":8080"),
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
	}
	errCh := make(chan error, 1)
	go func() {
		log.Info("gateway listening", zap.String("addr", srv.Addr), zap.Int("routes", len(routes)))
		errCh <- srv.ListenAndServe()
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
