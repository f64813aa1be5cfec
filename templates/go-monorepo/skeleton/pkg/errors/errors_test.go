package errors_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
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

func TestWithHiddenCause(t *testing.T) {
	t.Parallel()
	cause := errors.New(`ERROR: duplicate key value violates unique constraint "orders_pkey" (SQLSTATE 23505)`)
	err := fmt.Errorf("insert order: %w", apperrors.WithHiddenCause(apperrors.CodeAlreadyExists, "order already exists", cause))
	if !errors.Is(err, cause) {
		t.Error("errors.Is lost the hidden cause")
	}
	if !strings.Contains(err.Error(), "SQLSTATE 23505") {
		t.Errorf("Error() = %q lost the cause the logs need", err.Error())
	}
	var sm apperrors.SafeMessager
	if !errors.As(err, &sm) || sm.SafeMessage() != "order already exists" {
		t.Fatalf("SafeMessage() = %v, want the message alone", sm)
	}
	if got := apperrors.New(apperrors.CodeNotFound, "x").(apperrors.SafeMessager).SafeMessage(); got != "x" {
		t.Errorf("SafeMessage of New = %q, want x", got)
	}
}
