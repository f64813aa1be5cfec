package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the tests run this test binary as the launcher itself.
func TestMain(m *testing.M) {
	if os.Getenv("GOLDEN_PATH_LAUNCHER_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func runSelf(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GOLDEN_PATH_LAUNCHER_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// writableCgroup makes a cgroup v2 directory for the test (no controller is
// needed to join one), or skips when there is no writable cgroup v2 mount.
func writableCgroup(t *testing.T) (dir, rel string) {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Skip("no /proc/self/mountinfo")
	}
	for _, line := range strings.Split(string(data), "\n") {
		parts := strings.SplitN(line, " - ", 2)
		fields := strings.Fields(parts[0])
		if len(parts) != 2 || len(fields) < 5 || !strings.HasPrefix(parts[1], "cgroup2 ") || fields[3] != "/" {
			continue
		}
		rel = "/golden-path-launcher-test-" + filepath.Base(t.TempDir())
		dir = filepath.Join(fields[4], rel)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Skipf("cgroup v2 at %s is not writable here: %v", fields[4], err)
		}
		t.Cleanup(func() {
			if err := os.Remove(dir); err != nil {
				t.Errorf("cgroup %s left behind: %v", dir, err)
			}
		})
		return dir, rel
	}
	t.Skip("no cgroup v2 mount")
	return "", ""
}

func TestJoinCgroupRunsTheProgramInside(t *testing.T) {
	dir, rel := writableCgroup(t)
	out, err := runSelf(t, "--join-cgroup="+dir, "--", "/bin/cat", "/proc/self/cgroup")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(out, "0::"+rel+"\n") {
		t.Fatalf("the program did not run in %s: /proc/self/cgroup is\n%s", rel, out)
	}
}

func TestJoinCgroupFailsWithoutStartingTheProgram(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	out, err := runSelf(t, "--join-cgroup="+t.TempDir(), "--", "/usr/bin/touch", marker)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 125 {
		t.Fatalf("want exit code 125, got %v: %s", err, out)
	}
	if !strings.Contains(out, "golden-path-launcher: join cgroup") {
		t.Fatalf("no clear message: %q", out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the program ran although the cgroup could not be joined")
	}
}

func TestParseJoin(t *testing.T) {
	t.Parallel()
	dirs, argv, err := parseJoin([]string{"--join-cgroup=/a", "--join-cgroup=/b/", "--", "/bin/prlimit", "--nproc=1"})
	if err != nil || strings.Join(dirs, ",") != "/a,/b" || strings.Join(argv, " ") != "/bin/prlimit --nproc=1" {
		t.Fatalf("got %v %v %v", dirs, argv, err)
	}
	for _, bad := range [][]string{
		{"--join-cgroup=/a"},
		{"--join-cgroup=/a", "--"},
		{"--join-cgroup=relative", "--", "/bin/true"},
		{"--join-cgroup=/a", "--", "true"},
		{"--join-cgroup=/a", "-x", "--", "/bin/true"},
	} {
		if _, _, err := parseJoin(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}
