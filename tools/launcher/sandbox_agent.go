package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

const prSetDumpable = 4 // PR_SET_DUMPABLE, <linux/prctl.h>

// becomeSandboxAgent makes this process undumpable: a process of the same
// user without CAP_SYS_PTRACE (every tool in the sandbox) can then neither
// ptrace it nor open its /proc files, its pipes to the backend among them.
func becomeSandboxAgent() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); errno != 0 {
		return fmt.Errorf("making the sandbox agent undumpable: %w", errno)
	}
	checkSandboxTmp()
	return nil
}

const tmpfsMagic = 0x01021994 // TMPFS_MAGIC, <linux/magic.h>

// sandboxTmp is the sandbox's private /tmp, when this agent may empty it
// after each run: a tmpfs that held no file when the agent started (only the
// directories bubblewrap made for the mounts below it). Anything else, the
// host's /tmp mounted there above all, is never emptied.
var sandboxTmp string

func checkSandboxTmp() {
	var fs syscall.Statfs_t
	if err := syscall.Statfs("/tmp", &fs); err != nil || fs.Type != tmpfsMagic {
		fmt.Fprintln(os.Stderr, "golden-path-launcher: /tmp is not the sandbox's own tmpfs: it is not emptied between runs")
		return
	}
	var st syscall.Stat_t
	if err := syscall.Lstat("/tmp", &st); err != nil || !onlyDirs("/tmp", st.Dev) {
		fmt.Fprintln(os.Stderr, "golden-path-launcher: /tmp held files when the sandbox started: it is not emptied between runs")
		return
	}
	sandboxTmp = "/tmp"
}

// onlyDirs reports whether dir holds nothing but directories on device dev
// (and what is mounted on other devices).
func onlyDirs(dir string, dev uint64) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		var st syscall.Stat_t
		if err := syscall.Lstat(p, &st); err != nil {
			return false
		}
		if st.Dev != dev {
			continue
		}
		if st.Mode&syscall.S_IFMT != syscall.S_IFDIR || !onlyDirs(p, dev) {
			return false
		}
	}
	return true
}

// clearSandbox leaves the sandbox as a fresh one would be: every process
// but this agent, which is the namespace's init (bwrap --as-pid-1), is
// killed and reaped, and /tmp is emptied.
func clearSandbox() {
	// kill(-1) reaches every process this one may signal but itself.
	if err := syscall.Kill(-1, syscall.SIGKILL); err != nil && err != syscall.ESRCH {
		fmt.Fprintln(os.Stderr, "golden-path-launcher: ending the processes left in the sandbox:", err)
	}
	reapAll(time.Second)
	if sandboxTmp != "" {
		emptyDir(sandboxTmp)
	}
}

// reapAll waits for every child of this init (the run's orphans were
// reparented to it) until none is left, or for at most max.
func reapAll(max time.Duration) {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		switch {
		case err == syscall.EINTR:
		case err != nil: // ECHILD: nothing left
			return
		case pid == 0:
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// emptyDir removes what dir holds, keeping dir, without crossing into other
// filesystems: the step's workspace is often mounted under /tmp, and what
// is mounted must stay. Directories that hold a mount point stay too.
func emptyDir(dir string) {
	var st syscall.Stat_t
	if err := syscall.Lstat(dir, &st); err != nil {
		return
	}
	removeOnDevice(dir, st.Dev, false)
}

// removeOnDevice removes path's entries that are on device dev and,
// when self is set, path itself if it is then empty.
func removeOnDevice(path string, dev uint64, self bool) {
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil || st.Dev != dev {
		return
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		entries, err := os.ReadDir(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "golden-path-launcher: emptying", path+":", err)
			return
		}
		for _, e := range entries {
			removeOnDevice(filepath.Join(path, e.Name()), dev, true)
		}
		if self {
			// Fails, and is meant to, when a mount point is below.
			_ = syscall.Rmdir(path)
		}
		return
	}
	if err := syscall.Unlink(path); err != nil {
		fmt.Fprintln(os.Stderr, "golden-path-launcher: emptying:", err)
	}
}
