package config_test

import (
	"strings"
	"testing"

	"github.com/acme/ledger-service/internal/infrastructure/config"
)

func TestLoadDefaults(t *testing.T) {
	t.Setenv("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes")
	t.Setenv("DB_PASSWORD", "pw")
	t.Setenv("DATABASE_URL", "")
	t.Setenv("GRPC_PORT", "")
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.GRPCPort != 50081 {
		t.Errorf("GRPCPort = %d, want 50081", cfg.Server.GRPCPort)
	}
	if got, want := cfg.Database.URL(), "postgres://ledger_svc:pw@localhost:5432/ledger_db?pool_max_conns=10&sslmode=disable"; got != want {
		t.Errorf("Database.URL() = %s, want %s", got, want)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Setenv("JWT_SECRET", "")
	t.Setenv("DATABASE_URL", "")
	t.Setenv("DB_PASSWORD", "")
	t.Setenv("LEDGER_DB_PASSWORD", "")
	t.Setenv("SERVICE_DB_PASSWORD", "")
	t.Setenv("GRPC_PORT", "not-a-port")
	_, err := config.Load()
	if err == nil {
		t.Fatal("Load accepted an empty environment")
	}
	for _, key := range []string{"JWT_SECRET", "DB_PASSWORD", "GRPC_PORT"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
}
