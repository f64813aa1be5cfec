package database

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	apperrors "${{ values.pkgModule }}/errors"
)

// PostgreSQL error codes (SQLSTATE) that MapError translates.
const (
	sqlStateNotNullViolation    = "23502"
	sqlStateForeignKeyViolation = "23503"
	sqlStateUniqueViolation     = "23505"
	sqlStateCheckViolation      = "23514"
	sqlStateExclusionViolation  = "23P01"
	sqlStateSerialization       = "40001"
	sqlStateDeadlock            = "40P01"
	sqlStateLockNotAvailable    = "55P03"
	sqlStateQueryCanceled       = "57014"
	sqlStateAdminShutdown       = "57P01"
	sqlStateCrashShutdown       = "57P02"
	sqlStateCannotConnectNow    = "57P03"
)

// keyColumns reads the column list of a unique violation's detail,
// `Key (sku_code, region)=(...) already exists.`, without the values.
var keyColumns = regexp.MustCompile(`^Key \(([^)]*)\)=`)

// MapError translates the PostgreSQL errors a client can cause or retry into
// domain errors whose message names the field or constraint, never the values
// or the SQL: a unique violation becomes CodeAlreadyExists, a check, not-null or
// exclusion violation CodeInvalidArgument, a foreign-key violation
// CodeFailedPrecondition, a serialization failure, deadlock or lock_timeout
// CodeAborted (retry the call), a database that cannot be reached or went
// away CodeUnavailable (retry later), and a statement cancelled by
// statement_timeout wraps context.DeadlineExceeded. The database error stays
// the cause (for the logs and errors.As). Any other error is returned as it is.
func MapError(err error) error {
	if isUnreachable(err) {
		return apperrors.WithHiddenCause(apperrors.CodeUnavailable,
			"the database is unavailable: retry the call", err)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	constraint := pgErr.ConstraintName
	switch pgErr.Code {
	case sqlStateUniqueViolation:
		what := constraint
		if m := keyColumns.FindStringSubmatch(pgErr.Detail); m != nil {
			what = m[1]
		}
		return apperrors.WithHiddenCause(apperrors.CodeAlreadyExists,
			fmt.Sprintf("already exists: another %s has the same %s (unique constraint %s)", rowName(pgErr), what, constraint), err)
	case sqlStateCheckViolation, sqlStateExclusionViolation:
		return apperrors.WithHiddenCause(apperrors.CodeInvalidArgument,
			fmt.Sprintf("invalid %s: the values break constraint %s", rowName(pgErr), constraint), err)
	case sqlStateNotNullViolation:
		return apperrors.WithHiddenCause(apperrors.CodeInvalidArgument,
			fmt.Sprintf("invalid %s: %s is required", rowName(pgErr), pgErr.ColumnName), err)
	case sqlStateForeignKeyViolation:
		return apperrors.WithHiddenCause(apperrors.CodeFailedPrecondition,
			fmt.Sprintf("invalid %s: it refers to a row that does not exist (constraint %s)", rowName(pgErr), constraint), err)
	case sqlStateSerialization, sqlStateDeadlock, sqlStateLockNotAvailable:
		return apperrors.WithHiddenCause(apperrors.CodeAborted, "concurrent change: retry the call", err)
	case sqlStateQueryCanceled:
		return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
	}
	return err
}

// isUnreachable reports errors of a database that could not be reached or
// went away (down, restarting, failing over, the connection terminated): the
// call may succeed once it is back, so clients see CodeUnavailable and retry.
func isUnreachable(err error) bool {
	// the caller's deadline or cancel, which pgx also marks safe to retry
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || pgconn.SafeToRetry(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// class 08: connection exception; 57P01-57P03: admin or crash
		// shutdown, cannot connect now (the server is starting)
		return strings.HasPrefix(pgErr.Code, "08") ||
			pgErr.Code == sqlStateAdminShutdown ||
			pgErr.Code == sqlStateCrashShutdown ||
			pgErr.Code == sqlStateCannotConnectNow
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF)
}

// rowName is the table the error happened on, "row" when the server did not say.
func rowName(e *pgconn.PgError) string {
	if e.TableName == "" {
		return "row"
	}
	return e.TableName + " row"
}
