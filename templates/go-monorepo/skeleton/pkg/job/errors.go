package job

import (
	"errors"

	apperrors "${{ values.pkgModule }}/errors"
)

// Errors returned by the Runner. The DomainErrors map to gRPC codes through
// the error-mapping interceptor, so API handlers can return them unchanged:
// ErrAlreadyRunning is FailedPrecondition, ErrUnknownJob and ErrRunNotFound
// are NotFound, ErrStopped is Unavailable.
var (
	ErrAlreadyRunning = apperrors.New(apperrors.CodeFailedPrecondition, "job is already running")
	ErrUnknownJob     = apperrors.New(apperrors.CodeNotFound, "job is not registered")
	ErrRunNotFound    = apperrors.New(apperrors.CodeNotFound, "job run not found")
	ErrStopped        = apperrors.New(apperrors.CodeUnavailable, "job runner is stopped")

	// ErrTickClaimed is returned by Runner.Tick when another replica already
	// claimed the tick; it is the normal outcome on all replicas but one.
	ErrTickClaimed = errors.New("job: tick claimed by another replica")

	// ErrTimeout is the cause of a run's context cancellation when the run
	// exceeded its Definition.Timeout.
	ErrTimeout = errors.New("job: timeout exceeded")
)
