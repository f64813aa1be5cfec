package database

import (
	"context"
	"errors"
	"fmt"
	"regexp"

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
)

// keyColumns reads the column list of a unique violation's detail,
// `Key (sku_code, region)=(...) already exists.`, without the values.
var keyColumns = regexp.MustCompile(`^Key \(([^)]*)\)=`)

// MapError translates the PostgreSQL errors a client can cause or retry into
// domain errors whose message names the field or constraint, never the values
// or the SQL: a unique violation becomes CodeAlreadyExists, a check, not-null or
// exclusion violation CodeInvalidArgument, a foreign-key violation
// CodeFailedPrecondition, a serialization failure, deadlock or lock_timeout
// CodeAborted (retry the call), and a statement cancelled by
// statement_timeout wraps context.DeadlineExceeded. The database error stays
// the cause (for the logs and errors.As). Any other error is returned as it is.
func MapError(err error) error {
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

// rowName is the table the error happened on, "row" when the server did not say.
func rowName(e *pgconn.PgError) string {
	if e.TableName == "" {
		return "row"
	}
	return e.TableName + " row"
}
