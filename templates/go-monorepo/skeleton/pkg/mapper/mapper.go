// Package mapper holds small generic helpers for the hand-written mappings
// between domain entities, DTOs, protobuf messages and sqlc rows.
package mapper

import "fmt"

// Slice maps every element of in with f. A nil input gives a nil output.
func Slice[S, D any](in []S, f func(S) D) []D {
	if in == nil {
		return nil
	}
	out := make([]D, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// SliceErr maps every element of in with f and stops at the first error,
// reporting the index of the element that failed.
func SliceErr[S, D any](in []S, f func(S) (D, error)) ([]D, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]D, len(in))
	for i, v := range in {
		d, err := f(v)
		if err != nil {
			return nil, fmt.Errorf("map element %d: %w", i, err)
		}
		out[i] = d
	}
	return out, nil
}

// Ptr returns a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }

// Deref returns the value p points to, or the zero value when p is nil.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
