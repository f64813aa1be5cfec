// Command golden-path-launcher starts programs for a Node.js backend.
//
// A Node.js process forks itself to start a child, and the fork blocks its
// event loop for a time that grows with its memory (nodejs/node#14917). The
// backend starts this small process once and asks it, over stdin, to start
// each tool; the output and the exit status come back over stdout. Each tool
// runs in a process group of its own, which the backend kills on cancel or
// timeout. When stdin closes (the backend is gone) every group still running
// is killed and the launcher exits.
//
// With --sandboxed it is the agent of a reusable sandbox: the backend starts
// it inside bubblewrap and sends it the runs of one workspace, one at a time.
// It makes itself undumpable (a tool, same user, cannot ptrace it or open its
// pipes through /proc), and after each run it kills every process the run
// left in the sandbox and empties /tmp, so the next run starts as in a
// fresh sandbox.
//
// With --join-cgroup=DIR... -- program args..., it moves itself into the
// given cgroups (created by the backend for one sandbox, with its limits on
// processes and memory) and then executes program, so that the whole sandbox
// runs, and is counted, inside them.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if isJoinCommand(os.Args[1:]) {
		os.Exit(joinAndExec(os.Args[1:]))
	}
	sandboxed := len(os.Args) == 2 && os.Args[1] == "--sandboxed"
	if len(os.Args) > 1 && !sandboxed {
		fmt.Fprintln(os.Stderr, "golden-path-launcher takes no arguments but --sandboxed or --join-cgroup=DIR... -- program args...: the Golden Path backend starts it and talks to it over stdin and stdout")
		os.Exit(2)
	}
	if sandboxed {
		if err := becomeSandboxAgent(); err != nil {
			fmt.Fprintln(os.Stderr, "golden-path-launcher:", err)
			os.Exit(1)
		}
	}
	// A write to a backend that is gone fails with EPIPE instead of killing
	// the launcher before it could kill the tools (Notify, unlike Ignore,
	// leaves SIGPIPE at its default in the tools it starts).
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	l := newLauncher(os.Stdout)
	if sandboxed {
		l.afterRun = clearSandbox
	}
	served := make(chan error, 1)
	go func() { served <- l.serve(bufio.NewReaderSize(os.Stdin, 64<<10)) }()
	var err error
	select {
	case err = <-served:
	case <-l.gone:
		err = io.EOF
	}
	l.killAll()
	if err != nil && err != io.EOF {
		fmt.Fprintln(os.Stderr, "golden-path-launcher:", err)
		os.Exit(1)
	}
}
