package observability_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"${{ values.pkgModule }}/observability"
)

// Not parallel: it sets the SDK's global logger and error handler, and an
// OTEL_* variable the exporters read.
func TestRouteSDKLogs(t *testing.T) {
	previous := otel.GetErrorHandler()
	t.Cleanup(func() { otel.SetErrorHandler(previous) })
	core, logs := observer.New(zapcore.DebugLevel)
	observability.RouteSDKLogs(zap.New(core))

	otel.Handle(errors.New("traces export: connection refused"))
	// An address without a scheme is not the URL the OpenTelemetry
	// specification asks for: the exporter reads the variable, reports it and
	// uses the endpoint it was given.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "127.0.0.1:4317")
	tp, err := observability.NewTracerProvider(context.Background(), observability.Config{
		ServiceName: "svc", OTLPEndpoint: "127.0.0.1:4317",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = tp.Shutdown(ctx)

	var handled, parsed bool
	for _, e := range logs.All() {
		if e.LoggerName != "otel" {
			t.Errorf("entry %q has logger name %q, want otel", e.Message, e.LoggerName)
		}
		fields := e.ContextMap()
		errText, _ := fields["error"].(string)
		switch {
		case e.Level == zapcore.WarnLevel && strings.Contains(errText, "connection refused"):
			handled = true
		case e.Level == zapcore.ErrorLevel && e.Message == "parse url" && fields["input"] == "127.0.0.1:4317" && errText != "":
			parsed = true
		}
	}
	if !handled {
		t.Errorf("otel.Handle's error is not a warning with its error field: %v", logs.All())
	}
	if !parsed {
		t.Errorf("the SDK's error about OTEL_EXPORTER_OTLP_ENDPOINT is not an error entry with its input and cause: %v", logs.All())
	}
}

func TestSDKLoggerKeepsErrorsAndWarningsOnly(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.DebugLevel)
	l := observability.SDKLogger(zap.New(core)).WithName("trace").WithValues("exporter", "otlp")
	l.V(8).Info("debug")
	l.V(4).Info("information")
	l.V(1).Info("a warning", "dropped", 3, "odd")
	l.Error(errors.New("cause"), "an error")

	all := logs.All()
	if len(all) != 2 {
		t.Fatalf("%d entries, want the warning and the error: %v", len(all), all)
	}
	warn, fail := all[0], all[1]
	if warn.Level != zapcore.WarnLevel || warn.Message != "a warning" || warn.LoggerName != "trace" {
		t.Errorf("warning = %+v", warn.Entry)
	}
	if f := warn.ContextMap(); f["exporter"] != "otlp" || f["dropped"] != int64(3) || f["odd"] != "(no value)" {
		t.Errorf("warning fields = %v", f)
	}
	if fail.Level != zapcore.ErrorLevel || fail.Message != "an error" || fail.ContextMap()["error"] != "cause" {
		t.Errorf("error = %+v %v", fail.Entry, fail.ContextMap())
	}
}
