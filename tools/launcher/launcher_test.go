package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// session drives a launcher over pipes, as the backend does.
type session struct {
	t      *testing.T
	in     *io.PipeWriter
	frames chan frame
	done   chan error
}

func newSession(t *testing.T) *session {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &session{t: t, in: inW, frames: make(chan frame, 1024), done: make(chan error, 1)}
	l := newLauncher(outW)
	go func() {
		err := l.serve(inR)
		l.killAll()
		s.done <- err
		outW.Close()
	}()
	go func() {
		for {
			f, err := readFrame(outR)
			if err != nil {
				close(s.frames)
				return
			}
			s.frames <- f
		}
	}()
	t.Cleanup(func() { inW.Close() })
	return s
}

func (s *session) start(id uint32, req startRequest) {
	s.t.Helper()
	payload, err := json.Marshal(req)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.in.Write(encodeFrame(kindStart, id, payload)); err != nil {
		s.t.Fatal(err)
	}
}

// result collects the frames of one run until its end.
type result struct {
	pid            int
	stdout, stderr bytes.Buffer
	exit           struct{ Code, Signal int }
	failed         string
}

func (s *session) wait(id uint32) *result {
	s.t.Helper()
	r := &result{}
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-s.frames:
			if !ok {
				s.t.Fatal("the launcher stopped writing")
			}
			if f.id != id {
				s.t.Fatalf("frame for run %d while waiting for %d", f.id, id)
			}
			switch f.kind {
			case kindStarted:
				var p struct{ Pid int }
				if err := json.Unmarshal(f.payload, &p); err != nil {
					s.t.Fatal(err)
				}
				r.pid = p.Pid
			case kindStdout:
				r.stdout.Write(f.payload)
			case kindStderr:
				r.stderr.Write(f.payload)
			case kindFailed:
				r.failed = string(f.payload)
				return r
			case kindExit:
				if err := json.Unmarshal(f.payload, &r.exit); err != nil {
					s.t.Fatal(err)
				}
				return r
			default:
				s.t.Fatalf("unknown frame kind %q", f.kind)
			}
		case <-timeout:
			s.t.Fatal("no end of run within 10 s")
		}
	}
}

func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tool")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunsAProgramAndReportsOutputAndExit(t *testing.T) {
	s := newSession(t)
	tool := script(t, `printf '%s|' "$@"; echo "$GP_X" >&2; pwd >&2; exit 3`)
	dir := t.TempDir()
	s.start(1, startRequest{Path: tool, Args: []string{"a b", "$HOME", ";ls"}, Dir: dir, Env: []string{"GP_X=only-this"}})
	r := s.wait(1)
	if r.failed != "" {
		t.Fatal(r.failed)
	}
	if got := r.stdout.String(); got != "a b|$HOME|;ls|" {
		t.Errorf("stdout = %q", got)
	}
	if got := r.stderr.String(); got != "only-this\n"+dir+"\n" {
		t.Errorf("stderr = %q", got)
	}
	if r.exit.Code != 3 || r.exit.Signal != 0 {
		t.Errorf("exit = %+v, want code 3", r.exit)
	}
}

func TestStartsEachProgramInItsOwnProcessGroup(t *testing.T) {
	s := newSession(t)
	s.start(7, startRequest{Path: script(t, `ps -o pgid= -p $$`), Dir: t.TempDir()})
	r := s.wait(7)
	if got := strings.TrimSpace(r.stdout.String()); got != itoa(r.pid) {
		t.Errorf("process group %s, want the program's own pid %d", got, r.pid)
	}
}

func TestReportsAnExitBySignal(t *testing.T) {
	s := newSession(t)
	s.start(2, startRequest{Path: script(t, `kill -SEGV $$`), Dir: t.TempDir()})
	r := s.wait(2)
	if r.exit.Signal != int(syscall.SIGSEGV) || r.exit.Code != -1 {
		t.Errorf("exit = %+v, want signal %d", r.exit, syscall.SIGSEGV)
	}
}

func TestSaysWhyAProgramCannotStart(t *testing.T) {
	s := newSession(t)
	dir := t.TempDir()
	cases := []struct {
		req  startRequest
		want string
	}{
		{startRequest{Path: filepath.Join(dir, "missing"), Dir: dir}, "no such file or directory"},
		{startRequest{Path: "/bin/true", Dir: filepath.Join(dir, "gone")}, "no such file or directory"},
		{startRequest{Path: "/bin/true"}, "needs a path and a dir"},
		{startRequest{Path: "/bin/echo", Args: []string{"a\x00b"}, Dir: dir}, "invalid argument"},
	}
	for i, c := range cases {
		id := uint32(10 + i)
		s.start(id, c.req)
		if r := s.wait(id); !strings.Contains(r.failed, c.want) {
			t.Errorf("%+v: failed = %q, want it to say %q", c.req, r.failed, c.want)
		}
	}
	// The launcher still serves.
	s.start(20, startRequest{Path: "/bin/echo", Args: []string{"ok"}, Dir: dir})
	if r := s.wait(20); r.stdout.String() != "ok\n" {
		t.Errorf("after the failures: stdout %q", r.stdout.String())
	}
}

func TestKillsTheRunningGroupsWhenItsInputEnds(t *testing.T) {
	s := newSession(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	tool := script(t, `trap '' TERM; (trap '' TERM; sleep 60) & echo $! > `+pidFile+`; sleep 60`)
	s.start(3, startRequest{Path: tool, Dir: t.TempDir()})
	deadline := time.Now().Add(5 * time.Second)
	var child int
	for child == 0 && time.Now().Before(deadline) {
		b, _ := os.ReadFile(pidFile)
		child = atoi(strings.TrimSpace(string(b)))
		time.Sleep(10 * time.Millisecond)
	}
	if child == 0 {
		t.Fatal("the tool did not start its child")
	}
	s.in.Close()
	if err := <-s.done; err != io.EOF {
		t.Fatalf("serve ended with %v, want EOF", err)
	}
	for time.Now().Before(deadline) && running(child) {
		time.Sleep(10 * time.Millisecond)
	}
	if running(child) {
		t.Fatalf("the tool's child %d still runs after the launcher's input ended", child)
	}
}

func TestRefusesAnOversizedOrUnknownRequest(t *testing.T) {
	s := newSession(t)
	header := encodeFrame(kindStart, 1, nil)
	header[5], header[6], header[7], header[8] = 0xff, 0xff, 0xff, 0xff
	if _, err := s.in.Write(header); err != nil {
		t.Fatal(err)
	}
	if err := <-s.done; err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("serve ended with %v", err)
	}
	s2 := newSession(t)
	if _, err := s2.in.Write(encodeFrame('Z', 1, nil)); err != nil {
		t.Fatal(err)
	}
	if err := <-s2.done; err == nil || !strings.Contains(err.Error(), "unknown request kind") {
		t.Fatalf("serve ended with %v", err)
	}
}

// running: the process exists and is not a zombie.
func running(pid int) bool {
	b, err := os.ReadFile("/proc/" + itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndex(s, ")")
	return i >= 0 && len(s) > i+2 && s[i+2] != 'Z'
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// brokenWriter fails every write, as a pipe whose reader is gone.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, syscall.EPIPE }

func TestSaysTheBackendIsGoneWhenItsOutputFails(t *testing.T) {
	l := newLauncher(brokenWriter{})
	l.start(1, startRequest{Path: "/bin/echo", Args: []string{"hello"}, Dir: t.TempDir()})
	select {
	case <-l.gone:
	case <-time.After(5 * time.Second):
		t.Fatal("a failed write did not mark the backend gone")
	}
}
