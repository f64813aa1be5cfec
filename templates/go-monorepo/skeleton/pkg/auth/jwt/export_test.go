package jwt

import "time"

// SetClock makes v's JWKS file take the time from now, which the reload
// tests move forward instead of sleeping; the last read counts as now().
func SetClock(v *Validator, now func() time.Time) {
	v.jwks.mu.Lock()
	defer v.jwks.mu.Unlock()
	v.jwks.now = now
	v.jwks.read = now()
}
