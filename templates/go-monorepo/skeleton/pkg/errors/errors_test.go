package errors_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	apperrors "${{ values.pkgModule }}/errors"
)

func TestNew(t *testing.T) {
	t.Parallel()
	err := apperrors.New(apperrors.CodeNotFound, "order not found")
	if err.Error() != "order not found" {
		t.Errorf("Error() = %q", err.Error())
	}
	if err.Code() != apperrors.CodeNotFound {
		t.Errorf("Code() = %q", err.Code())
	}
}

func TestWrapKeepsCause(t *testing.T) {
	t.Parallel()
	err := apperrors.Wrap(apperrors.CodeUnavailable, "load order", io.ErrUnexpectedEOF)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is lost the wrapped cause")
	}
	if want := "load order: unexpected EOF"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestCodeOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want apperrors.ErrorCode
	}{
		{"nil", nil, ""},
		{"plain error", io.EOF, apperrors.CodeInternal},
		{"domain error", apperrors.New(apperrors.CodeAlreadyExists, "dup"), apperrors.CodeAlreadyExists},
		{"wrapped by fmt", fmt.Errorf("create: %w", apperrors.New(apperrors.CodeInvalidArgument, "bad")), apperrors.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := apperrors.CodeOf(tt.err); got != tt.want {
				t.Errorf("CodeOf() = %q, want %q", got, tt.want)
			}
		})
	}
}
