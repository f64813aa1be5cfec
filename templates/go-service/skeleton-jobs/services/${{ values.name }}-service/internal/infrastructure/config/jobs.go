package config

import (
	"fmt"
	"time"

	pkgconfig "${{ values.pkgModule }}/config"
)

// JobsConfig configures the scheduled jobs (infrastructure/fx JobsModule).
// Every replica of the service uses the same Redis and key prefix, so that
// one of them runs each tick.
type JobsConfig struct {
	// RedisAddr is REDIS_ADDR (localhost:6379): the Redis holding the jobs' locks.
	RedisAddr string
	// RedisPassword is REDIS_PASSWORD (none).
	RedisPassword string
	// RedisDB is REDIS_DB (0).
	RedisDB int
	// KeyPrefix is JOB_KEY_PREFIX (${{ values.serviceName }}): the namespace of the
	// lock keys, so services can share one Redis.
	KeyPrefix string
	// Instance is JOB_INSTANCE: this replica in the run history; empty (the
	// default) is the host name, which is the pod name on Kubernetes.
	Instance string
	// LockTTL is JOB_LOCK_TTL (30s): renewed while a job runs, it is how long
	// the lock of a crashed replica keeps its job from running elsewhere.
	LockTTL time.Duration
}

// LoadJobs reads the jobs' configuration and reports every invalid variable at once.
func LoadJobs() (*JobsConfig, error) {
	var errs []error
	cfg := &JobsConfig{
		RedisAddr:     pkgconfig.String("REDIS_ADDR", "localhost:6379"),
		RedisPassword: pkgconfig.String("REDIS_PASSWORD", ""),
		KeyPrefix:     pkgconfig.String("JOB_KEY_PREFIX", ServiceName),
		Instance:      pkgconfig.String("JOB_INSTANCE", ""),
	}
	var err error
	cfg.RedisDB, err = pkgconfig.Int("REDIS_DB", 0)
	errs = append(errs, err)
	cfg.LockTTL, err = pkgconfig.Duration("JOB_LOCK_TTL", 30*time.Second)
	errs = append(errs, err)
	if err == nil && cfg.LockTTL < time.Second {
		errs = append(errs, fmt.Errorf("config JOB_LOCK_TTL: %v is shorter than one second", cfg.LockTTL))
	}
	if cfg.RedisDB < 0 {
		errs = append(errs, fmt.Errorf("config REDIS_DB: %d is negative", cfg.RedisDB))
	}
	if err := Join(errs...); err != nil {
		return nil, err
	}
	return cfg, nil
}
