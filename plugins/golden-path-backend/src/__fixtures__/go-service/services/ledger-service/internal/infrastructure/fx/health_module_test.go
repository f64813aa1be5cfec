package fx_test

import (
	"errors"
	"testing"

	appfx "github.com/acme/ledger-service/internal/infrastructure/fx"
)

// TestReadinessGate is the readiness rule: not ready after the threshold of
// failed rounds in a row, ready again after one good round, and a change
// reported once per transition (what is logged).
func TestReadinessGate(t *testing.T) {
	t.Parallel()
	down := errors.New("database: connection refused")
	g := appfx.NewReadinessGate(2)
	for i, step := range []struct {
		err            error
		ready, changed bool
	}{
		{nil, true, false},
		{down, true, false}, // one slow ping is not an outage
		{nil, true, false},  // and a good round forgets it
		{down, true, false},
		{down, false, true},
		{down, false, false},
		{down, false, false},
		{nil, true, true},
		{nil, true, false},
	} {
		if ready, changed := g.Observe(step.err); ready != step.ready || changed != step.changed {
			t.Fatalf("round %d (err %v): ready %v changed %v, want %v %v", i, step.err, ready, changed, step.ready, step.changed)
		}
	}
	if ready, changed := appfx.NewReadinessGate(0).Observe(down); ready || !changed {
		t.Errorf("threshold 0 (taken as 1): ready %v changed %v after a failure, want false true", ready, changed)
	}
}
