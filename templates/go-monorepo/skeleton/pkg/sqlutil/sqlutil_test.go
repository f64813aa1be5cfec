package sqlutil_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"${{ values.pkgModule }}/mapper"
	"${{ values.pkgModule }}/sqlutil"
)

func TestText(t *testing.T) {
	t.Parallel()
	if got := sqlutil.FromText(sqlutil.Text("a")); got != "a" {
		t.Errorf("Text round trip = %q", got)
	}
	if sqlutil.TextPtr(nil).Valid {
		t.Error("TextPtr(nil) is not NULL")
	}
	if got := sqlutil.FromTextPtr(sqlutil.TextPtr(mapper.Ptr("b"))); got == nil || *got != "b" {
		t.Errorf("TextPtr round trip = %v", got)
	}
	if sqlutil.FromTextPtr(sqlutil.TextPtr(nil)) != nil {
		t.Error("FromTextPtr(NULL) is not nil")
	}
}

func TestInts(t *testing.T) {
	t.Parallel()
	if sqlutil.FromInt4(sqlutil.Int4(-3)) != -3 || sqlutil.FromInt8(sqlutil.Int8(1<<40)) != 1<<40 {
		t.Error("int round trip failed")
	}
	if !sqlutil.FromBool(sqlutil.Bool(true)) || sqlutil.FromBool(sqlutil.Bool(false)) {
		t.Error("bool round trip failed")
	}
}

func TestTimestamptz(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	if got := sqlutil.FromTimestamptz(sqlutil.Timestamptz(now)); !got.Equal(now) || got.Location() != time.UTC {
		t.Errorf("Timestamptz round trip = %v", got)
	}
	if sqlutil.Timestamptz(time.Time{}).Valid {
		t.Error("zero time is not NULL")
	}
	if sqlutil.FromTimestamptzPtr(sqlutil.TimestamptzPtr(nil)) != nil {
		t.Error("nil time is not NULL")
	}
}

func TestUUID(t *testing.T) {
	t.Parallel()
	id := uuid.New()
	if sqlutil.FromUUID(sqlutil.UUID(id)) != id {
		t.Error("UUID round trip failed")
	}
	if sqlutil.UUID(uuid.Nil).Valid {
		t.Error("uuid.Nil is not NULL")
	}
}

func TestNumeric(t *testing.T) {
	t.Parallel()
	n, err := sqlutil.Numeric("12.50")
	if err != nil {
		t.Fatalf("Numeric: %v", err)
	}
	s, err := sqlutil.FromNumeric(n)
	if err != nil || s != "12.50" {
		t.Errorf("FromNumeric = %q, %v; want 12.50", s, err)
	}
	s, err = sqlutil.FromNumeric(sqlutil.NumericFromInt(1250, -2))
	if err != nil || s != "12.50" {
		t.Errorf("FromNumeric(NumericFromInt) = %q, %v; want 12.50", s, err)
	}
	if _, err := sqlutil.Numeric("twelve"); err == nil {
		t.Error("Numeric(twelve) returned no error")
	}
}
