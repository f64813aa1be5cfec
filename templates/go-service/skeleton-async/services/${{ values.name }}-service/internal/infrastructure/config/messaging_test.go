package config_test

import (
	"strings"
	"testing"
	"time"

	"${{ values.module }}/internal/infrastructure/config"
)

var messagingKeys = []string{"COMMAND_RETRY_DELAY", "COMMAND_MAX_RETRIES", "COMMAND_PREFETCH", "OUTBOX_POLL_INTERVAL", "PROCESSED_MESSAGES_RETENTION"}

func TestLoadMessagingDefaults(t *testing.T) {
	for _, key := range messagingKeys {
		t.Setenv(key, "")
	}
	cfg, err := config.LoadMessaging()
	if err != nil {
		t.Fatal(err)
	}
	want := config.MessagingConfig{RetryDelay: 5 * time.Second, MaxRetries: 5, Prefetch: 16, OutboxInterval: time.Second,
		ProcessedRetention: 7 * 24 * time.Hour}
	if *cfg != want {
		t.Errorf("LoadMessaging() = %+v, want %+v", *cfg, want)
	}
}

func TestLoadMessagingReportsEveryProblem(t *testing.T) {
	bad := map[string]string{
		"COMMAND_RETRY_DELAY":          "soon",
		"COMMAND_MAX_RETRIES":          "0",
		"COMMAND_PREFETCH":             "-1",
		"OUTBOX_POLL_INTERVAL":         "1ms",
		"PROCESSED_MESSAGES_RETENTION": "10m",
	}
	for key, v := range bad {
		t.Setenv(key, v)
	}
	_, err := config.LoadMessaging()
	if err == nil {
		t.Fatal("LoadMessaging accepted invalid values")
	}
	for _, key := range messagingKeys {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s=%s", err, key, bad[key])
		}
	}
}
