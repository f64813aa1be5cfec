package config

import (
	"fmt"
	"time"

	pkgconfig "${{ values.pkgModule }}/config"
)

// MessagingConfig tunes the outbox poller and the command consumer
// (infrastructure/fx MessagingModule); the broker's address and names are in
// RabbitMQConfig, the health check's timing in HealthConfig.
type MessagingConfig struct {
	// RetryDelay is COMMAND_RETRY_DELAY (5s): how long a command that failed
	// transiently waits in <COMMANDS_QUEUE>.retry before it is tried again.
	// It is the queue's x-message-ttl: after changing it, delete the retry
	// queue (it is empty between retries) or the declaration is refused.
	RetryDelay time.Duration
	// MaxRetries is COMMAND_MAX_RETRIES (5): retries before a command goes to
	// <COMMANDS_QUEUE>.dead.
	MaxRetries int
	// Prefetch is COMMAND_PREFETCH (16): unacknowledged commands at a time.
	Prefetch int
	// OutboxInterval is OUTBOX_POLL_INTERVAL (1s): the outbox poller's pause when idle.
	OutboxInterval time.Duration
	// ProcessedRetention is PROCESSED_MESSAGES_RETENTION (168h): how long the
	// ids of processed messages are kept to recognize redeliveries.
	ProcessedRetention time.Duration
}

// LoadMessaging reads the messaging configuration and reports every invalid
// variable at once.
func LoadMessaging() (*MessagingConfig, error) {
	var errs []error
	duration := func(key string, def, least time.Duration) time.Duration {
		v, err := pkgconfig.Duration(key, def)
		errs = append(errs, err)
		if err == nil && v < least {
			errs = append(errs, fmt.Errorf("config %s: %v is shorter than %v", key, v, least))
		}
		return v
	}
	integer := func(key string, def, least int) int {
		v, err := pkgconfig.Int(key, def)
		errs = append(errs, err)
		if err == nil && v < least {
			errs = append(errs, fmt.Errorf("config %s: %d is less than %d", key, v, least))
		}
		return v
	}
	cfg := &MessagingConfig{
		RetryDelay:         duration("COMMAND_RETRY_DELAY", 5*time.Second, time.Millisecond),
		MaxRetries:         integer("COMMAND_MAX_RETRIES", 5, 1),
		Prefetch:           integer("COMMAND_PREFETCH", 16, 1),
		OutboxInterval:     duration("OUTBOX_POLL_INTERVAL", time.Second, 10*time.Millisecond),
		ProcessedRetention: duration("PROCESSED_MESSAGES_RETENTION", 7*24*time.Hour, time.Hour),
	}
	if err := Join(errs...); err != nil {
		return nil, err
	}
	return cfg, nil
}
