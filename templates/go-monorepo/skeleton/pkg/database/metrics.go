package database

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// RegisterPoolMetrics registers on reg the statistics of pool, read from
// pool.Stat() at every scrape (no goroutine, nothing to stop):
// db_pool_acquired_connections, db_pool_idle_connections,
// db_pool_total_connections, db_pool_max_connections, db_pool_acquires_total,
// db_pool_empty_acquires_total, db_pool_acquire_wait_seconds_total and
// db_pool_canceled_acquires_total. A pool that is often empty (acquires
// waiting) needs more connections or shorter transactions.
func RegisterPoolMetrics(reg prometheus.Registerer, pool *pgxpool.Pool) error {
	if reg == nil || pool == nil {
		return errors.New("database: RegisterPoolMetrics needs a prometheus.Registerer and a pool")
	}
	if err := reg.Register(&poolCollector{pool: pool}); err != nil {
		return fmt.Errorf("database: register pool metrics: %w", err)
	}
	return nil
}

var (
	poolAcquiredDesc = prometheus.NewDesc("db_pool_acquired_connections",
		"Connections of the pool in use by a query or transaction.", nil, nil)
	poolIdleDesc = prometheus.NewDesc("db_pool_idle_connections",
		"Open connections of the pool waiting for a query.", nil, nil)
	poolTotalDesc = prometheus.NewDesc("db_pool_total_connections",
		"Connections of the pool: acquired, idle and being opened.", nil, nil)
	poolMaxDesc = prometheus.NewDesc("db_pool_max_connections",
		"Most connections the pool opens (pool_max_conns, DB_MAX_CONNS in a service).", nil, nil)
	poolAcquiresDesc = prometheus.NewDesc("db_pool_acquires_total",
		"Connections handed out by the pool.", nil, nil)
	poolEmptyAcquiresDesc = prometheus.NewDesc("db_pool_empty_acquires_total",
		"Acquires that found no idle connection and waited for one to be released or opened.", nil, nil)
	poolAcquireWaitDesc = prometheus.NewDesc("db_pool_acquire_wait_seconds_total",
		"Time the empty acquires waited for a connection.", nil, nil)
	poolCanceledAcquiresDesc = prometheus.NewDesc("db_pool_canceled_acquires_total",
		"Acquires given up because their context ended first.", nil, nil)
)

type poolCollector struct {
	pool *pgxpool.Pool
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		poolAcquiredDesc, poolIdleDesc, poolTotalDesc, poolMaxDesc,
		poolAcquiresDesc, poolEmptyAcquiresDesc, poolAcquireWaitDesc, poolCanceledAcquiresDesc,
	} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(d *prometheus.Desc, v int32) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v))
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquiredDesc, s.AcquiredConns())
	gauge(poolIdleDesc, s.IdleConns())
	gauge(poolTotalDesc, s.TotalConns())
	gauge(poolMaxDesc, s.MaxConns())
	counter(poolAcquiresDesc, float64(s.AcquireCount()))
	counter(poolEmptyAcquiresDesc, float64(s.EmptyAcquireCount()))
	counter(poolAcquireWaitDesc, s.EmptyAcquireWaitTime().Seconds())
	counter(poolCanceledAcquiresDesc, float64(s.CanceledAcquireCount()))
}
