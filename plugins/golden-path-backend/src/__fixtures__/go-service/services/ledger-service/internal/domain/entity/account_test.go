package entity_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	apperrors "github.com/acme/go-pkg/errors"
	"github.com/acme/go-pkg/mapper"

	"github.com/acme/ledger-service/internal/domain/entity"
	"github.com/acme/ledger-service/internal/domain/event"
	"github.com/acme/ledger-service/internal/domain/valueobject"
)

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func testMoney(t *testing.T) valueobject.Money {
	t.Helper()
	m, err := valueobject.NewMoney("USD", 12, 500_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func validFields(t *testing.T) entity.AccountFields {
	t.Helper()
	var f entity.AccountFields
	f.OwnerID = uuid.New()
	f.DisplayName = "sample display name"
	f.Balance = testMoney(t)
	f.OpenedAt = testTime
	f.Tier = valueobject.TierBasic
	f.Note = mapper.Ptr("sample note")
	return f
}

func TestNewAccount(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.FixedZone("UTC+2", 2*60*60))
	e, err := entity.NewAccount(validFields(t), now)
	if err != nil {
		t.Fatalf("NewAccount: %v", err)
	}
	if e.ID() == uuid.Nil || e.ID().Version() != 7 {
		t.Errorf("id %s is not a UUIDv7", e.ID())
	}
	if want := now.UTC().Truncate(time.Microsecond); !e.CreatedAt().Equal(want) || e.CreatedAt().Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v in UTC", e.CreatedAt(), want)
	}
	if e.Status() != valueobject.StatusOpen {
		t.Errorf("Status = %s, want open", e.Status())
	}
	events := e.PullEvents()
	if len(events) != 1 || events[0].EventType() != "account.created" || events[0].AggregateID() != e.ID() {
		t.Errorf("events = %#v, want one account.created", events)
	}
	if len(e.PullEvents()) != 0 {
		t.Error("PullEvents did not forget the events")
	}
	var _ event.Event = event.AccountCreated{}
}

func TestNewAccountRejectsInvalidFields(t *testing.T) {
	t.Parallel()
	_, err := entity.NewAccount(entity.AccountFields{}, time.Now())
	if apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
		t.Fatalf("NewAccount(zero fields) error = %v, want INVALID_ARGUMENT", err)
	}
}

func TestUpdateKeepsIdentity(t *testing.T) {
	t.Parallel()
	e, err := entity.NewAccount(validFields(t), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	later := e.CreatedAt().Add(time.Hour)
	if err := e.Update(validFields(t), later); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if !e.UpdatedAt().Equal(later) || e.CreatedAt().Equal(later) {
		t.Errorf("UpdatedAt = %v, CreatedAt = %v after an update at %v", e.UpdatedAt(), e.CreatedAt(), later)
	}
	if err := e.Update(entity.AccountFields{}, later); apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
		t.Errorf("Update(zero fields) error = %v, want INVALID_ARGUMENT", err)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	e, err := entity.NewAccount(validFields(t), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.PullEvents()
	if err := e.Apply("freeze", time.Now()); err != nil {
		t.Fatalf("freeze from open: %v", err)
	}
	if e.Status() != valueobject.StatusFrozen {
		t.Errorf("Status = %s, want frozen", e.Status())
	}
	if events := e.PullEvents(); len(events) != 1 || events[0].EventType() != "account.status_changed" {
		t.Errorf("events = %#v, want one status_changed", events)
	}
	err = e.Apply("freeze", time.Now())
	if !errors.Is(err, entity.ErrInvalidTransition) || apperrors.CodeOf(err) != apperrors.CodeFailedPrecondition {
		t.Errorf("invalid transition error = %v, want ErrInvalidTransition with FAILED_PRECONDITION", err)
	}
	if err := e.Apply("no_such_transition", time.Now()); apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
		t.Errorf("unknown transition error = %v, want INVALID_ARGUMENT", err)
	}
}
