package config_test

import (
	"os"
	"testing"
	"time"

	"${{ values.pkgModule }}/config"
)

// Environment variables are process-wide, so each test uses its own keys and
// sets them before t.Parallel-free subtests would observe them.
func setenv(t *testing.T, key, value string) {
	t.Helper()
	if err := os.Setenv(key, value); err != nil {
		t.Fatalf("setenv %s: %v", key, err)
	}
	t.Cleanup(func() { _ = os.Unsetenv(key) })
}

func TestString(t *testing.T) {
	t.Parallel()
	setenv(t, "GP_CFG_STRING_SET", "value")
	setenv(t, "GP_CFG_STRING_EMPTY", "")
	if got := config.String("GP_CFG_STRING_SET", "def"); got != "value" {
		t.Errorf("String(set) = %q, want value", got)
	}
	if got := config.String("GP_CFG_STRING_EMPTY", "def"); got != "def" {
		t.Errorf("String(empty) = %q, want def", got)
	}
	if got := config.String("GP_CFG_STRING_UNSET", "def"); got != "def" {
		t.Errorf("String(unset) = %q, want def", got)
	}
}

func TestInt(t *testing.T) {
	t.Parallel()
	setenv(t, "GP_CFG_INT_OK", "42")
	setenv(t, "GP_CFG_INT_BAD", "forty")
	if got, err := config.Int("GP_CFG_INT_OK", 1); err != nil || got != 42 {
		t.Errorf("Int(ok) = %d, %v; want 42, nil", got, err)
	}
	if got, err := config.Int("GP_CFG_INT_UNSET", 7); err != nil || got != 7 {
		t.Errorf("Int(unset) = %d, %v; want 7, nil", got, err)
	}
	if _, err := config.Int("GP_CFG_INT_BAD", 1); err == nil {
		t.Error("Int(bad) returned no error")
	}
}

func TestBool(t *testing.T) {
	t.Parallel()
	setenv(t, "GP_CFG_BOOL_OK", "true")
	setenv(t, "GP_CFG_BOOL_BAD", "yes please")
	if got, err := config.Bool("GP_CFG_BOOL_OK", false); err != nil || !got {
		t.Errorf("Bool(ok) = %v, %v; want true, nil", got, err)
	}
	if got, err := config.Bool("GP_CFG_BOOL_UNSET", true); err != nil || !got {
		t.Errorf("Bool(unset) = %v, %v; want true, nil", got, err)
	}
	if _, err := config.Bool("GP_CFG_BOOL_BAD", false); err == nil {
		t.Error("Bool(bad) returned no error")
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	setenv(t, "GP_CFG_DUR_OK", "1m30s")
	setenv(t, "GP_CFG_DUR_BAD", "90")
	if got, err := config.Duration("GP_CFG_DUR_OK", time.Second); err != nil || got != 90*time.Second {
		t.Errorf("Duration(ok) = %v, %v; want 1m30s, nil", got, err)
	}
	if got, err := config.Duration("GP_CFG_DUR_UNSET", time.Second); err != nil || got != time.Second {
		t.Errorf("Duration(unset) = %v, %v; want 1s, nil", got, err)
	}
	if _, err := config.Duration("GP_CFG_DUR_BAD", time.Second); err == nil {
		t.Error("Duration(bad) returned no error")
	}
}

func TestRequired(t *testing.T) {
	t.Parallel()
	setenv(t, "GP_CFG_REQ_OK", "db-url")
	if got, err := config.Required("GP_CFG_REQ_OK"); err != nil || got != "db-url" {
		t.Errorf("Required(ok) = %q, %v; want db-url, nil", got, err)
	}
	if _, err := config.Required("GP_CFG_REQ_UNSET"); err == nil {
		t.Error("Required(unset) returned no error")
	}
}
