package jwt

import (
	"fmt"
	"os"
	"time"

	"go.uber.org/zap"
)

// fileSource reads the key set from a file: a Kubernetes Secret or ConfigMap
// volume replaces it in place when the provider rotates its keys.
type fileSource struct {
	path string
}

func (s fileSource) fetch() ([]byte, time.Duration, error) {
	raw, err := os.ReadFile(s.path)
	if err != nil {
		return nil, 0, fmt.Errorf("jwt: read JWKS: %w", err)
	}
	return raw, 0, nil
}

func (s fileSource) name() string     { return s.path }
func (s fileSource) kind() string     { return "file" }
func (s fileSource) field() zap.Field { return zap.String("path", s.path) }
