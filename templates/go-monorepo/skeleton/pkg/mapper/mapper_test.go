package mapper_test

import (
	"errors"
	"strconv"
	"testing"

	"${{ values.pkgModule }}/mapper"
)

func TestSlice(t *testing.T) {
	t.Parallel()
	got := mapper.Slice([]int{1, 2, 3}, strconv.Itoa)
	if len(got) != 3 || got[0] != "1" || got[2] != "3" {
		t.Fatalf("Slice = %v", got)
	}
	if mapper.Slice[int, string](nil, strconv.Itoa) != nil {
		t.Fatal("Slice(nil) is not nil")
	}
}

func TestSliceErr(t *testing.T) {
	t.Parallel()
	got, err := mapper.SliceErr([]string{"1", "2"}, strconv.Atoi)
	if err != nil || len(got) != 2 || got[1] != 2 {
		t.Fatalf("SliceErr = %v, %v", got, err)
	}
	_, err = mapper.SliceErr([]string{"1", "x"}, strconv.Atoi)
	var numErr *strconv.NumError
	if !errors.As(err, &numErr) {
		t.Fatalf("SliceErr error %v does not wrap the cause", err)
	}
	if err.Error()[:15] != "map element 1: " {
		t.Fatalf("SliceErr error %q does not name the index", err)
	}
}

func TestPtrDeref(t *testing.T) {
	t.Parallel()
	p := mapper.Ptr(5)
	if *p != 5 || mapper.Deref(p) != 5 {
		t.Fatal("Ptr/Deref round trip failed")
	}
	var nilPtr *string
	if mapper.Deref(nilPtr) != "" {
		t.Fatal("Deref(nil) is not the zero value")
	}
}
