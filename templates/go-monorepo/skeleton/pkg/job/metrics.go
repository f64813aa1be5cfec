package job

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Failure reasons, the reason label of job_failures_total.
const (
	reasonError    = "error"
	reasonTimeout  = "timeout"
	reasonPanic    = "panic"
	reasonLockLost = "lock_lost"
	reasonShutdown = "shutdown"
)

// Metrics are the job runner's Prometheus metrics.
type Metrics struct {
	runs        *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	failures    *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
	running     *prometheus.GaugeVec
}

// NewMetrics registers job_runs_total, job_run_duration_seconds,
// job_failures_total, job_last_success_timestamp_seconds and job_running on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	if reg == nil {
		return nil, fmt.Errorf("job: NewMetrics needs a prometheus.Registerer")
	}
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "job_runs_total",
			Help: "Job runs by job, final status (succeeded, failed, skipped) and trigger (cron, api).",
		}, []string{"job", "status", "trigger"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "job_run_duration_seconds",
			Help:    "Duration of finished job runs by job and status.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200},
		}, []string{"job", "status"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "job_failures_total",
			Help: "Failed job runs by job, trigger and reason (error, timeout, panic, lock_lost, shutdown).",
		}, []string{"job", "trigger", "reason"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "job_last_success_timestamp_seconds",
			Help: "Unix time at which the job last finished successfully on this replica.",
		}, []string{"job"}),
		running: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "job_running",
			Help: "Runs of the job in progress on this replica.",
		}, []string{"job"}),
	}
	for _, c := range []prometheus.Collector{m.runs, m.duration, m.failures, m.lastSuccess, m.running} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("job: register metrics: %w", err)
		}
	}
	return m, nil
}

// finished records a run that ended; reason is empty unless it failed.
func (m *Metrics) finished(run Run, reason string) {
	m.runs.WithLabelValues(run.Job, string(run.Status), string(run.Trigger)).Inc()
	m.duration.WithLabelValues(run.Job, string(run.Status)).Observe(run.Duration().Seconds())
	switch run.Status {
	case StatusSucceeded:
		m.lastSuccess.WithLabelValues(run.Job).Set(float64(run.FinishedAt.UnixNano()) / 1e9)
	case StatusFailed:
		m.failures.WithLabelValues(run.Job, string(run.Trigger), reason).Inc()
	}
}

// skipped records a run refused because the lock was held.
func (m *Metrics) skipped(name string, trigger Trigger) {
	m.runs.WithLabelValues(name, string(StatusSkipped), string(trigger)).Inc()
}
