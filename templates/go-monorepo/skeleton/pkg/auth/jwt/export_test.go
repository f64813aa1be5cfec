package jwt

import "time"

// SetClock makes v's JWKS take the time from now, which the reload tests
// move forward instead of sleeping; the last fetch counts as now().
func SetClock(v *Validator, now func() time.Time) {
	v.jwks.mu.Lock()
	defer v.jwks.mu.Unlock()
	v.jwks.now = now
	v.jwks.fetched = now()
}

// WaitForJWKSFetch returns when the fetch v's JWKS has under way, if any,
// has ended: a JWKS URL is fetched in the background.
func WaitForJWKSFetch(v *Validator) {
	v.jwks.mu.Lock()
	done := v.jwks.running
	v.jwks.mu.Unlock()
	if done != nil {
		<-done
	}
}
