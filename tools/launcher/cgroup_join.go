package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

const joinFlag = "--join-cgroup="

// isJoinCommand reports whether args (without the program name) ask for
// `--join-cgroup=DIR... -- program args...`.
func isJoinCommand(args []string) bool {
	return len(args) > 0 && strings.HasPrefix(args[0], joinFlag)
}

// parseJoin splits `--join-cgroup=DIR... -- program args...` into the
// cgroup directories and the command.
func parseJoin(args []string) (dirs []string, argv []string, err error) {
	for i, a := range args {
		switch {
		case a == "--":
			argv = args[i+1:]
			if len(dirs) == 0 || len(argv) == 0 || !filepath.IsAbs(argv[0]) {
				return nil, nil, errors.New("usage: --join-cgroup=DIR... -- /absolute/program [args...]")
			}
			return dirs, argv, nil
		case strings.HasPrefix(a, joinFlag) && filepath.IsAbs(a[len(joinFlag):]):
			dirs = append(dirs, filepath.Clean(a[len(joinFlag):]))
		default:
			return nil, nil, fmt.Errorf("unexpected argument %q: usage: --join-cgroup=DIR... -- /absolute/program [args...]", a)
		}
	}
	return nil, nil, errors.New("usage: --join-cgroup=DIR... -- /absolute/program [args...]")
}

// joinCgroups moves this process into each directory's cgroup (one per
// hierarchy: one for cgroup v2, the pids and memory ones for cgroup v1).
func joinCgroups(dirs []string) error {
	pid := strconv.Itoa(os.Getpid())
	for _, dir := range dirs {
		f, err := os.OpenFile(filepath.Join(dir, "cgroup.procs"), os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("join cgroup %s: %w", dir, err)
		}
		_, err = f.WriteString(pid)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("join cgroup %s: %w", dir, err)
		}
	}
	return nil
}

// joinAndExec serves `golden-path-launcher --join-cgroup=DIR... -- program
// args...`: the backend creates a cgroup for a sandbox and sets its limits,
// and this process enters it and then becomes the program (the sandbox:
// prlimit, then bwrap), so that nothing of the sandbox ever runs outside the
// cgroup and every process it starts is counted against its limits. It
// returns only on failure, with the exit code to use.
func joinAndExec(args []string) int {
	dirs, argv, err := parseJoin(args)
	if err == nil {
		err = joinCgroups(dirs)
	}
	if err == nil {
		err = syscall.Exec(argv[0], argv, os.Environ())
		err = fmt.Errorf("start %s: %w", argv[0], err)
	}
	fmt.Fprintln(os.Stderr, "golden-path-launcher:", err)
	return 125
}
