package valueobject_test

import (
	"testing"

	apperrors "github.com/acme/go-pkg/errors"

	"github.com/acme/ledger-service/internal/domain/valueobject"
)

func TestNewMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		currency string
		units    int64
		nanos    int32
		want     string
		ok       bool
	}{
		{"whole", "USD", 12, 0, "12.000000000 USD", true},
		{"fraction", "TWD", 1, 500_000_000, "1.500000000 TWD", true},
		{"negative", "EUR", -1, -750_000_000, "-1.750000000 EUR", true},
		{"lowercase currency", "usd", 1, 0, "", false},
		{"mixed signs", "USD", 1, -1, "", false},
		{"nanos out of range", "USD", 0, 1_000_000_000, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := valueobject.NewMoney(tt.currency, tt.units, tt.nanos)
			if !tt.ok {
				if apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
					t.Fatalf("NewMoney(%q, %d, %d) error = %v, want INVALID_ARGUMENT", tt.currency, tt.units, tt.nanos, err)
				}
				return
			}
			if err != nil || m.String() != tt.want {
				t.Fatalf("NewMoney(%q, %d, %d) = %s, %v; want %s", tt.currency, tt.units, tt.nanos, m, err, tt.want)
			}
		})
	}
}

func TestTierRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"basic", "premium"} {
		v, err := valueobject.ParseTier(name)
		if err != nil || !v.IsValid() || v.String() != name {
			t.Errorf("ParseTier(%q) = %v, %v", name, v, err)
		}
	}
	if _, err := valueobject.ParseTier(""); err == nil {
		t.Error("ParseTier(\"\") accepted the empty name")
	}
	if valueobject.TierUnspecified.IsValid() {
		t.Error("TierUnspecified is valid")
	}
}
