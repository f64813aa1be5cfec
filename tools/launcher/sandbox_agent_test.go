package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func devOf(t *testing.T, p string) uint64 {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		t.Fatal(err)
	}
	return st.Dev
}

func TestEmptyDirRemovesEntriesWithoutFollowingLinks(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "kept")
	if err := os.WriteFile(outside, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, os.MkdirAll(filepath.Join(dir, "a/b/c"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "a/b/file"), []byte("x"), 0o644))
	must(t, os.Symlink(outside, filepath.Join(dir, "link")))
	must(t, os.Symlink(filepath.Dir(outside), filepath.Join(dir, "dirlink")))

	emptyDir(dir)

	entries, err := os.ReadDir(dir)
	must(t, err)
	if len(entries) != 0 {
		t.Fatalf("%s still holds %v", dir, entries)
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "kept" {
		t.Fatalf("the file a link pointed to was touched: %q, %v", b, err)
	}
}

func TestOnlyDirsTellsAFreshTmpFromAUsedOne(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "mount/points/only"), 0o755))
	if !onlyDirs(dir, devOf(t, dir)) {
		t.Fatal("a tree of empty directories (bubblewrap's mount points) should count as fresh")
	}
	must(t, os.WriteFile(filepath.Join(dir, "mount/points/file"), nil, 0o644))
	if onlyDirs(dir, devOf(t, dir)) {
		t.Fatal("a tree holding a file should not count as fresh")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
