// Package config reads service configuration from environment variables.
//
// Services build their own config struct from these helpers (the spec's
// "native os.Getenv + struct" approach): every helper returns the default when
// the variable is unset or empty, and an error naming the variable when it is
// set to a value that cannot be parsed.
package config

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// String returns the value of the environment variable key, or def when it is unset or empty.
func String(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

// Int returns the integer value of key, or def when it is unset or empty.
func Int(key string, def int) (int, error) {
	v, ok := lookup(key)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("config %s: %q is not an integer: %w", key, v, err)
	}
	return n, nil
}

// Bool returns the boolean value of key (1/0, true/false, t/f), or def when it is unset or empty.
func Bool(key string, def bool) (bool, error) {
	v, ok := lookup(key)
	if !ok {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("config %s: %q is not a boolean (use true or false): %w", key, v, err)
	}
	return b, nil
}

// Duration returns the duration value of key (Go syntax such as "5s" or "1m30s"), or def when it is unset or empty.
func Duration(key string, def time.Duration) (time.Duration, error) {
	v, ok := lookup(key)
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("config %s: %q is not a duration (for example 5s or 1m): %w", key, v, err)
	}
	return d, nil
}

// Required returns the value of key, or an error when it is unset or empty.
func Required(key string) (string, error) {
	v, ok := lookup(key)
	if !ok {
		return "", fmt.Errorf("config %s: required environment variable is not set", key)
	}
	return v, nil
}

func lookup(key string) (string, bool) {
	v, ok := os.LookupEnv(key)
	if !ok || v == "" {
		return "", false
	}
	return v, true
}
