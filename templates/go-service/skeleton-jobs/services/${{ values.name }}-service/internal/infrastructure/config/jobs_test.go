package config_test

import (
	"strings"
	"testing"
	"time"

	"${{ values.module }}/internal/infrastructure/config"
)

func TestLoadJobsDefaults(t *testing.T) {
	for _, key := range []string{"REDIS_ADDR", "REDIS_PASSWORD", "REDIS_DB", "JOB_KEY_PREFIX", "JOB_INSTANCE", "JOB_LOCK_TTL"} {
		t.Setenv(key, "")
	}
	cfg, err := config.LoadJobs()
	if err != nil {
		t.Fatal(err)
	}
	want := config.JobsConfig{RedisAddr: "localhost:6379", KeyPrefix: config.ServiceName, LockTTL: 30 * time.Second}
	if *cfg != want {
		t.Errorf("LoadJobs() = %+v, want %+v", *cfg, want)
	}
}

func TestLoadJobsReportsEveryProblem(t *testing.T) {
	t.Setenv("REDIS_DB", "-1")
	t.Setenv("JOB_LOCK_TTL", "500ms")
	_, err := config.LoadJobs()
	if err == nil {
		t.Fatal("LoadJobs accepted a negative REDIS_DB and a lock TTL below one second")
	}
	for _, key := range []string{"REDIS_DB", "JOB_LOCK_TTL"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
	t.Setenv("REDIS_DB", "")
	t.Setenv("JOB_LOCK_TTL", "soon")
	if _, err := config.LoadJobs(); err == nil || !strings.Contains(err.Error(), "JOB_LOCK_TTL") {
		t.Errorf("LoadJobs with JOB_LOCK_TTL=soon: %v, want an error naming it", err)
	}
}
