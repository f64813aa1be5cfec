// Package sqlutil converts between Go values and the pgx pgtype nullable types
// that sqlc generates for nullable columns.
//
// The To-direction helpers (Text, Int4, ...) build a valid value; the *Ptr
// variants map nil to SQL NULL. The From-direction helpers map NULL to the zero
// value or nil.
package sqlutil

import (
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// Text returns a non-NULL text value.
func Text(s string) pgtype.Text { return pgtype.Text{String: s, Valid: true} }

// TextPtr returns NULL for nil and the pointed-to string otherwise.
func TextPtr(s *string) pgtype.Text {
	if s == nil {
		return pgtype.Text{}
	}
	return Text(*s)
}

// FromText returns the string, or "" for NULL.
func FromText(t pgtype.Text) string {
	if !t.Valid {
		return ""
	}
	return t.String
}

// FromTextPtr returns nil for NULL and a pointer to the string otherwise.
func FromTextPtr(t pgtype.Text) *string {
	if !t.Valid {
		return nil
	}
	s := t.String
	return &s
}

// Int4 returns a non-NULL int4 value.
func Int4(n int32) pgtype.Int4 { return pgtype.Int4{Int32: n, Valid: true} }

// FromInt4 returns the value, or 0 for NULL.
func FromInt4(n pgtype.Int4) int32 {
	if !n.Valid {
		return 0
	}
	return n.Int32
}

// Int8 returns a non-NULL int8 value.
func Int8(n int64) pgtype.Int8 { return pgtype.Int8{Int64: n, Valid: true} }

// FromInt8 returns the value, or 0 for NULL.
func FromInt8(n pgtype.Int8) int64 {
	if !n.Valid {
		return 0
	}
	return n.Int64
}

// Bool returns a non-NULL boolean value.
func Bool(b bool) pgtype.Bool { return pgtype.Bool{Bool: b, Valid: true} }

// FromBool returns the value, or false for NULL.
func FromBool(b pgtype.Bool) bool { return b.Valid && b.Bool }

// Timestamptz returns a non-NULL timestamptz; the zero time maps to NULL.
func Timestamptz(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t, Valid: true}
}

// TimestamptzPtr returns NULL for nil and the pointed-to time otherwise.
func TimestamptzPtr(t *time.Time) pgtype.Timestamptz {
	if t == nil {
		return pgtype.Timestamptz{}
	}
	return Timestamptz(*t)
}

// FromTimestamptz returns the time in UTC, or the zero time for NULL.
func FromTimestamptz(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// FromTimestamptzPtr returns nil for NULL and a pointer to the UTC time otherwise.
func FromTimestamptzPtr(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// UUID returns a non-NULL uuid; uuid.Nil maps to NULL.
func UUID(id uuid.UUID) pgtype.UUID {
	if id == uuid.Nil {
		return pgtype.UUID{}
	}
	return pgtype.UUID{Bytes: id, Valid: true}
}

// FromUUID returns the uuid, or uuid.Nil for NULL.
func FromUUID(id pgtype.UUID) uuid.UUID {
	if !id.Valid {
		return uuid.Nil
	}
	return id.Bytes
}

// Numeric parses a decimal string such as "12.50" into a numeric value.
func Numeric(s string) (pgtype.Numeric, error) {
	var n pgtype.Numeric
	if err := n.Scan(s); err != nil {
		return pgtype.Numeric{}, fmt.Errorf("parse numeric %q: %w", s, err)
	}
	return n, nil
}

// NumericFromInt returns the numeric value units * 10^exp, for example
// NumericFromInt(1250, -2) is 12.50.
func NumericFromInt(units int64, exp int32) pgtype.Numeric {
	return pgtype.Numeric{Int: big.NewInt(units), Exp: exp, Valid: true}
}

// FromNumeric formats a numeric value as a decimal string, or "" for NULL.
func FromNumeric(n pgtype.Numeric) (string, error) {
	if !n.Valid {
		return "", nil
	}
	v, err := n.Value()
	if err != nil {
		return "", fmt.Errorf("format numeric: %w", err)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("format numeric: unexpected driver value %T", v)
	}
	return s, nil
}
