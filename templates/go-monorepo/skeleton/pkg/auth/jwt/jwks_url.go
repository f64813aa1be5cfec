package jwt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"
)

// DefaultJWKSTimeout is Config.JWKSTimeout when it is not above 0.
const DefaultJWKSTimeout = 5 * time.Second

// MaxJWKSBytes is the largest JWKS response taken: a provider's set is a few
// kilobytes, and a larger body is a wrong URL or a misbehaving server.
const MaxJWKSBytes = 1 << 20

// maxJWKSRedirects bounds the redirects a fetch follows.
const maxJWKSRedirects = 3

// urlSource fetches the key set from the identity provider's JWKS URL
// (Keycloak .../protocol/openid-connect/certs, Auth0 /.well-known/jwks.json,
// Dex /keys, Google https://www.googleapis.com/oauth2/v3/certs).
type urlSource struct {
	url     string
	timeout time.Duration
	client  *http.Client
}

func newURLSource(raw string, timeout time.Duration) (*urlSource, error) {
	if err := CheckJWKSURL(raw); err != nil {
		return nil, fmt.Errorf("jwt: JWKS URL: %w", err)
	}
	if timeout <= 0 {
		timeout = DefaultJWKSTimeout
	}
	// The time limit is fetch's context: it bounds the redirects and the
	// body too.
	client := &http.Client{
		// A redirect must follow the same rule as the URL, or a redirect to
		// plain http would let anyone on the path replace the keys.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxJWKSRedirects {
				return fmt.Errorf("more than %d redirects", maxJWKSRedirects)
			}
			return checkJWKSURL(req.URL)
		},
	}
	return &urlSource{url: raw, timeout: timeout, client: client}, nil
}

// fetch takes only a 200 response with a JSON body of at most MaxJWKSBytes,
// within the timeout (connection, headers and body together).
func (s *urlSource) fetch() ([]byte, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("jwt: JWKS request %s: %w", s.url, err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, 0, s.failed(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("jwt: fetch JWKS %s: status %s, want 200 OK", s.url, resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !isJSON(ct) {
		return nil, 0, fmt.Errorf("jwt: fetch JWKS %s: content type %q, want application/json", s.url, ct)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxJWKSBytes+1))
	if err != nil {
		return nil, 0, s.failed(err)
	}
	if len(raw) > MaxJWKSBytes {
		return nil, 0, fmt.Errorf("jwt: JWKS response of %s is larger than %d bytes", s.url, MaxJWKSBytes)
	}
	return raw, cacheMaxAge(resp.Header.Values("Cache-Control")), nil
}

// failed says when the provider did not answer in time: the transport's
// own words for it differ with the step that ran out of time.
func (s *urlSource) failed(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // its `Get "<url>"` would repeat the URL
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout() {
		return fmt.Errorf("jwt: fetch JWKS %s: no complete answer within %s: %w", s.url, s.timeout, err)
	}
	return fmt.Errorf("jwt: fetch JWKS %s: %w", s.url, err)
}

func (s *urlSource) name() string     { return s.url }
func (s *urlSource) kind() string     { return "URL" }
func (s *urlSource) field() zap.Field { return zap.String("url", s.url) }

// CheckJWKSURL reports why raw cannot be a JWKS URL: it must be https, with
// a host and without credentials; plain http is allowed for a loopback host
// only (tests, a local provider), since whoever can change the keys in
// transit can sign any token. Configuration loaders call it to name their
// variable in the error; NewValidator checks it too.
func CheckJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	return checkJWKSURL(u)
}

func checkJWKSURL(u *url.URL) error {
	switch {
	case u.User != nil:
		return fmt.Errorf("%s holds credentials; a JWKS is public, and the URL is logged", u.Redacted())
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("%q is not an https URL, e.g. https://login.example.com/.well-known/jwks.json", u.String())
	case u.Hostname() == "":
		return fmt.Errorf("%q has no host, e.g. https://login.example.com/.well-known/jwks.json", u.String())
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return fmt.Errorf("%s: plain http is allowed for a loopback host only; use https", u.String())
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isJSON accepts application/json and the +json types (application/jwk-set+json).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// cacheMaxAge returns the max-age of a simple Cache-Control header
// ("public, max-age=300"), or 0 when there is none, it is not a number, or
// the response must not be reused (no-store, no-cache); the cache clamps it.
func cacheMaxAge(headers []string) time.Duration {
	var age time.Duration
	for _, h := range headers {
		for _, directive := range strings.Split(h, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(directive), "=")
			switch strings.ToLower(name) {
			case "no-store", "no-cache":
				return 0
			case "max-age":
				n, err := strconv.ParseInt(value, 10, 64)
				if err != nil || n < 0 {
					return 0
				}
				// Capped before the conversion so a huge value cannot overflow.
				age = min(time.Duration(min(n, int64(MaxJWKSCacheAge/time.Second)))*time.Second, MaxJWKSCacheAge)
			}
		}
	}
	return age
}

// ErrJWKSFileAndURL is returned by NewValidator when both JWKSFile and
// JWKSURL are set: the key set comes from one place.
var ErrJWKSFileAndURL = errors.New("jwt: set JWKSFile or JWKSURL, not both")
