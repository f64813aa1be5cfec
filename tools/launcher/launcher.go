package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
)

// launcher starts the programs asked for and reports what they do.
type launcher struct {
	outMu sync.Mutex // one frame at a time on out
	out   io.Writer
	gone  chan struct{} // closed when out fails: the backend is gone
	once  sync.Once

	liveMu sync.Mutex
	live   map[uint32]int // run id → process group, until reaped

	// afterRun, when set, runs after a program exited and before its exit is
	// reported; runs are then served one at a time (a sandbox agent).
	afterRun func()
}

func newLauncher(out io.Writer) *launcher {
	return &launcher{out: out, gone: make(chan struct{}), live: map[uint32]int{}}
}

// serve reads requests until the input ends.
func (l *launcher) serve(in io.Reader) error {
	for {
		f, err := readFrame(in)
		if err != nil {
			return err
		}
		if f.kind != kindStart {
			return fmt.Errorf("unknown request kind %q", f.kind)
		}
		var req startRequest
		if err := json.Unmarshal(f.payload, &req); err != nil {
			l.send(kindFailed, f.id, []byte("the start request is not valid JSON: "+err.Error()))
			continue
		}
		l.start(f.id, req)
	}
}

func (l *launcher) send(kind byte, id uint32, payload []byte) {
	b := encodeFrame(kind, id, payload)
	l.outMu.Lock()
	defer l.outMu.Unlock()
	if _, err := l.out.Write(b); err != nil {
		// The backend stopped reading: it is gone.
		l.once.Do(func() { close(l.gone) })
	}
}

// start runs one program in its own process group, without a shell.
func (l *launcher) start(id uint32, req startRequest) {
	if req.Path == "" || req.Dir == "" {
		l.send(kindFailed, id, []byte("the start request needs a path and a dir"))
		return
	}
	if l.afterRun != nil && l.running() > 0 {
		l.send(kindFailed, id, []byte("this sandbox is running another program: a sandbox serves one run at a time"))
		return
	}
	stdout, stdoutW, err := os.Pipe()
	if err != nil {
		l.send(kindFailed, id, []byte(err.Error()))
		return
	}
	stderr, stderrW, err := os.Pipe()
	if err != nil {
		closeAll(stdout, stdoutW)
		l.send(kindFailed, id, []byte(err.Error()))
		return
	}
	cmd := &exec.Cmd{
		Path:        req.Path,
		Args:        append([]string{req.Path}, req.Args...),
		Dir:         req.Dir,
		Env:         req.Env,
		Stdout:      stdoutW,
		Stderr:      stderrW,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
	}
	err = cmd.Start()
	closeAll(stdoutW, stderrW)
	if err != nil {
		closeAll(stdout, stderr)
		l.send(kindFailed, id, []byte(err.Error()))
		return
	}
	pid := cmd.Process.Pid
	l.liveMu.Lock()
	l.live[id] = pid
	l.liveMu.Unlock()
	l.send(kindStarted, id, []byte(fmt.Sprintf(`{"pid":%d}`, pid)))

	var copying sync.WaitGroup
	copying.Add(2)
	go l.forward(&copying, kindStdout, id, stdout)
	go l.forward(&copying, kindStderr, id, stderr)
	go func() {
		// Like Node's 'close': after the exit and the end of both streams.
		state, _ := cmd.Process.Wait()
		if l.afterRun != nil {
			// Before the streams are awaited: a process the run left behind
			// may hold them open.
			l.afterRun()
		}
		copying.Wait()
		l.liveMu.Lock()
		delete(l.live, id)
		l.liveMu.Unlock()
		l.send(kindExit, id, exitPayload(state))
	}()
}

// forward sends a stream in chunks until its end.
func (l *launcher) forward(done *sync.WaitGroup, kind byte, id uint32, r *os.File) {
	defer done.Done()
	defer r.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			l.send(kind, id, buf[:n])
		}
		if err != nil {
			return
		}
	}
}

func exitPayload(state *os.ProcessState) []byte {
	code, sig := -1, 0
	if state != nil {
		if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			sig = int(ws.Signal())
		} else {
			code = state.ExitCode()
		}
	}
	return []byte(fmt.Sprintf(`{"code":%d,"signal":%d}`, code, sig))
}

func (l *launcher) running() int {
	l.liveMu.Lock()
	defer l.liveMu.Unlock()
	return len(l.live)
}

// killAll ends the process group of every run still going.
func (l *launcher) killAll() {
	l.liveMu.Lock()
	defer l.liveMu.Unlock()
	for _, pgid := range l.live {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

func closeAll(files ...*os.File) {
	for _, f := range files {
		_ = f.Close()
	}
}
