// Package errors defines the error contract shared by the domain layer and the
// transport layer: an ErrorCode type and the DomainError interface.
//
// It contains only constants, interfaces and a small implementation, with no
// transport dependency, so the domain can import it without cycles and the
// gRPC error-mapping interceptor can translate codes to status codes.
// Import it as apperrors to avoid shadowing the standard library.
package errors

import (
	stderrors "errors"
	"fmt"
)

// ErrorCode classifies a domain error independently of the transport.
type ErrorCode string

// Error codes understood by the error-mapping interceptor.
const (
	CodeNotFound           ErrorCode = "NOT_FOUND"
	CodeInvalidArgument    ErrorCode = "INVALID_ARGUMENT"
	CodeAlreadyExists      ErrorCode = "ALREADY_EXISTS"
	CodeFailedPrecondition ErrorCode = "FAILED_PRECONDITION"
	CodeAborted            ErrorCode = "ABORTED"
	CodeUnauthenticated    ErrorCode = "UNAUTHENTICATED"
	CodePermissionDenied   ErrorCode = "PERMISSION_DENIED"
	CodeResourceExhausted  ErrorCode = "RESOURCE_EXHAUSTED"
	CodeUnavailable        ErrorCode = "UNAVAILABLE"
	CodeInternal           ErrorCode = "INTERNAL"
)

// DomainError is an error that carries an ErrorCode. Its message reaches the
// client, except for CodeInternal (always "internal error") and errors that
// implement SafeMessager; the whole error is logged.
type DomainError interface {
	error
	Code() ErrorCode
}

type domainError struct {
	code   ErrorCode
	msg    string
	err    error
	hidden bool
}

// New returns a DomainError with the given code and message.
func New(code ErrorCode, msg string) DomainError {
	return &domainError{code: code, msg: msg}
}

// Wrap returns a DomainError with the given code and message that wraps err,
// so errors.Is and errors.As still see the cause. The client sees Error(),
// "msg: cause": wrap only causes written for the client (validation
// problems); for a technical cause use WithHiddenCause.
func Wrap(code ErrorCode, msg string, err error) DomainError {
	return &domainError{code: code, msg: msg, err: err}
}

// WithHiddenCause returns a DomainError whose client message is msg alone
// (SafeMessage) while Error() and errors.Unwrap keep the cause for the logs,
// e.g. a database constraint violation behind "already exists".
func WithHiddenCause(code ErrorCode, msg string, cause error) DomainError {
	return &domainError{code: code, msg: msg, err: cause, hidden: true}
}

// SafeMessager is implemented by errors that carry a message written for the
// client, distinct from Error() (which may hold internal details).
type SafeMessager interface {
	SafeMessage() string
}

// SafeMessage returns the message the error-mapping interceptor sends to the
// client: msg for WithHiddenCause, Error() otherwise.
func (e *domainError) SafeMessage() string {
	if e.hidden {
		return e.msg
	}
	return e.Error()
}

func (e *domainError) Error() string {
	if e.err == nil {
		return e.msg
	}
	return fmt.Sprintf("%s: %v", e.msg, e.err)
}

func (e *domainError) Code() ErrorCode { return e.code }

func (e *domainError) Unwrap() error { return e.err }

// CodeOf returns the code of the first DomainError in err's chain, or
// CodeInternal when there is none. CodeOf(nil) is "".
func CodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var de DomainError
	if stderrors.As(err, &de) {
		return de.Code()
	}
	return CodeInternal
}
