package fx_test

import (
	"testing"

	"go.uber.org/fx"

	appfx "github.com/acme/ledger-service/internal/infrastructure/fx"
)

// TestModuleGraph checks that every dependency of the application can be
// provided, without running constructors (no database or environment needed).
func TestModuleGraph(t *testing.T) {
	t.Parallel()
	if err := fx.ValidateApp(appfx.Module); err != nil {
		t.Fatalf("fx graph: %v", err)
	}
}
