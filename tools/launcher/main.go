// Command golden-path-launcher starts programs for a Node.js backend.
//
// A Node.js process forks itself to start a child, and the fork blocks its
// event loop for a time that grows with its memory (nodejs/node#14917). The
// backend starts this small process once and asks it, over stdin, to start
// each tool; the output and the exit status come back over stdout. Each tool
// runs in a process group of its own, which the backend kills on cancel or
// timeout. When stdin closes (the backend is gone) every group still running
// is killed and the launcher exits.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintln(os.Stderr, "golden-path-launcher takes no arguments: the Golden Path backend starts it and talks to it over stdin and stdout")
		os.Exit(2)
	}
	l := newLauncher(os.Stdout)
	err := l.serve(bufio.NewReaderSize(os.Stdin, 64<<10))
	l.killAll()
	if err != nil && err != io.EOF {
		fmt.Fprintln(os.Stderr, "golden-path-launcher:", err)
		os.Exit(1)
	}
}
