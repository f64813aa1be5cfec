package observability

import (
	"fmt"

	"github.com/go-logr/logr"
	"go.opentelemetry.io/otel"
	"go.uber.org/zap"
)

// RouteSDKLogs sends what the OpenTelemetry SDK reports about itself to l:
// export failures (otel.Handle) as warnings, and the SDK's own errors and
// warnings (a malformed OTEL_* variable, dropped data) at their level, named
// "otel". Without it they are unstructured lines on stderr that a log
// pipeline reading JSON cannot parse and that carry no service field.
//
// Call it once at start-up, before any exporter is created (exporters read
// their OTEL_* variables when created). Give it a logger that writes to
// stderr only: a logger that also exports its records over OTLP would feed
// the failures of that export back into it.
func RouteSDKLogs(l *zap.Logger) {
	l = l.Named("otel")
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		l.Warn("opentelemetry export or processing failed", zap.Error(err))
	}))
	otel.SetLogger(SDKLogger(l))
}

// SDKLogger is the logr.Logger RouteSDKLogs gives the SDK: its errors and
// warnings (V(1)) on l, its information and debug (V(4), V(8)) dropped.
func SDKLogger(l *zap.Logger) logr.Logger {
	return logr.New(&zapSink{l: l})
}

// zapSink is a logr.LogSink over zap for the SDK's internal logger. The SDK
// logs warnings at V(1), information at V(4) and debug at V(8); only errors
// and warnings are kept.
type zapSink struct {
	l *zap.Logger
}

// sdkWarnLevel is the logr verbosity of the SDK's warnings.
const sdkWarnLevel = 1

func (s *zapSink) Init(logr.RuntimeInfo) {}

func (s *zapSink) Enabled(level int) bool { return level <= sdkWarnLevel }

func (s *zapSink) Info(level int, msg string, keysAndValues ...any) {
	if level > sdkWarnLevel {
		return
	}
	s.l.Warn(msg, fields(keysAndValues)...)
}

func (s *zapSink) Error(err error, msg string, keysAndValues ...any) {
	s.l.Error(msg, append(fields(keysAndValues), zap.Error(err))...)
}

func (s *zapSink) WithValues(keysAndValues ...any) logr.LogSink {
	return &zapSink{l: s.l.With(fields(keysAndValues)...)}
}

func (s *zapSink) WithName(name string) logr.LogSink {
	return &zapSink{l: s.l.Named(name)}
}

// fields turns logr's alternating keys and values into zap fields; a key
// without a value is kept with none.
func fields(keysAndValues []any) []zap.Field {
	out := make([]zap.Field, 0, (len(keysAndValues)+1)/2)
	for i := 0; i < len(keysAndValues); i += 2 {
		key := fmt.Sprint(keysAndValues[i])
		if i+1 == len(keysAndValues) {
			out = append(out, zap.String(key, "(no value)"))
			break
		}
		out = append(out, zap.Any(key, keysAndValues[i+1]))
	}
	return out
}
