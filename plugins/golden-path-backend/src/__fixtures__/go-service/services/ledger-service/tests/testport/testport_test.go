package testport

import (
	"net"
	"strconv"
	"testing"
)

func TestFreeIsBelowTheEphemeralRangeAndFree(t *testing.T) {
	start := ephemeralStart()
	for range 20 {
		port := Free(t)
		if start-lowest >= minPorts && (port < lowest || port >= start) {
			t.Fatalf("Free() = %d, want a port in [%d, %d)", port, lowest, start)
		}
		lis, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			t.Fatalf("listen on the port Free returned: %v", err)
		}
		_ = lis.Close()
	}
}

func TestPickSkipsAPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(Free(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	if got, err := pick(port, port+1, 5); err == nil {
		t.Fatalf("pick of the one busy port = %d, want an error", got)
	}
}

func TestParseRangeStart(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"32768\t60999\n", 32768, true},
		{"49152 65535", 49152, true},
		{"", 0, false},
		{"32768", 0, false},
		{"x 60999", 0, false},
		{"0 60999", 0, false},
		{"70000 80000", 0, false},
	} {
		got, ok := parseRangeStart(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRangeStart(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
