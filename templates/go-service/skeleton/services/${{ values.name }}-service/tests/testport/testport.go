// Package testport gives tests a loopback TCP port for a listener the service
// opens later (GRPC_PORT, METRICS_PORT, a collector that is not running).
//
// A port from net.Listen("tcp", "127.0.0.1:0") is in the kernel's ephemeral
// range: once the test closes it, any process on the machine may get it, for
// its own listener on port 0 or as the local port of a connection, before the
// service binds it ("address already in use"). Free picks below that range,
// where the kernel hands out no port by itself.
package testport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
)

// rangeFile holds the ephemeral range on Linux ("32768\t60999").
const rangeFile = "/proc/sys/net/ipv4/ip_local_port_range"

// defaultEphemeralStart is Linux's default start of the range; macOS and
// Windows start theirs higher (49152).
const defaultEphemeralStart = 32768

// lowest is the bottom of the ports Free picks from, above the fixed ports of
// local development (PostgreSQL, Redis, the collector, the services' own).
const lowest = 10000

// minPorts is the fewest ports below the ephemeral range worth picking from.
const minPorts = 1000

// Free returns a port of 127.0.0.1 that no socket holds now and that the
// kernel does not hand out by itself; it fails the test when it finds none.
// On a machine whose ephemeral range leaves too few ports below it, any free
// port will do.
func Free(t testing.TB) int {
	t.Helper()
	below := ephemeralStart()
	if below-lowest < minPorts {
		below = 1 << 16
	}
	port, err := pick(lowest, below, 100)
	if err != nil {
		t.Fatalf("testport: %v", err)
	}
	return port
}

// Addr is Free as "127.0.0.1:<port>".
func Addr(t testing.TB) string {
	t.Helper()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(Free(t)))
}

// pick tries random ports in [from, below) until one can be bound.
func pick(from, below, tries int) (int, error) {
	var lastErr error
	for range tries {
		port := from + rand.IntN(below-from)
		lis, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			lastErr = err
			continue
		}
		if err := lis.Close(); err != nil {
			return 0, fmt.Errorf("close the probe of port %d: %w", port, err)
		}
		return port, nil
	}
	return 0, fmt.Errorf("no free port below %d after %d tries: %w", below, tries, lastErr)
}

// ephemeralStart reads the start of the ephemeral range, or the default when
// the system does not say.
func ephemeralStart() int {
	b, err := os.ReadFile(rangeFile)
	if err != nil {
		return defaultEphemeralStart
	}
	if start, ok := parseRangeStart(string(b)); ok {
		return start
	}
	return defaultEphemeralStart
}

// parseRangeStart reads the first port of "<first> <last>".
func parseRangeStart(s string) (int, bool) {
	fields := strings.Fields(s)
	if len(fields) != 2 {
		return 0, false
	}
	start, err := strconv.Atoi(fields[0])
	if err != nil || start < 1 || start > 65535 {
		return 0, false
	}
	return start, true
}
