// Package entity holds the Account aggregate root and its state machine.
package entity

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	apperrors "github.com/acme/go-pkg/errors"

	"github.com/acme/ledger-service/internal/domain/event"
	"github.com/acme/ledger-service/internal/domain/valueobject"
)

// ErrAccountNotFound is returned when no account has the requested id.
var ErrAccountNotFound = apperrors.New(apperrors.CodeNotFound, "account not found")

// ErrInvalidTransition is the cause of every rejected status transition;
// match it with errors.Is.
var ErrInvalidTransition = errors.New("invalid status transition")

// AccountFields are the values clients choose when they create or update an account.
// Optional values are pointers (enums use their Unspecified value); nil means absent.
type AccountFields struct {
	OwnerID     uuid.UUID
	DisplayName string
	Balance     valueobject.Money
	OpenedAt    time.Time
	Tier        valueobject.Tier
	Note        *string
}

// Validate checks every invariant of f and reports all violations at once.
func (f AccountFields) Validate() error {
	var problems []string
	if f.OwnerID == uuid.Nil {
		problems = append(problems, "owner_id is required")
	}
	if strings.TrimSpace(f.DisplayName) == "" {
		problems = append(problems, "display_name is required")
	}
	if f.Balance.IsZero() {
		problems = append(problems, "balance is required")
	}
	if f.OpenedAt.IsZero() {
		problems = append(problems, "opened_at is required")
	}
	if !f.Tier.IsValid() {
		problems = append(problems, "tier is required")
	}
	if len(problems) > 0 {
		return apperrors.New(apperrors.CodeInvalidArgument, "invalid account: "+strings.Join(problems, "; "))
	}
	return nil
}

// clone returns a deep copy of f, so callers never share pointers with an entity.
func (f AccountFields) clone() AccountFields {
	c := f
	if f.Note != nil {
		v := *f.Note
		c.Note = &v
	}
	return c
}

// Account is the aggregate root. Its fields are unexported: create it with
// NewAccount, change it through its methods, and rebuild it from storage with
// UnmarshalAccountFromDB.
type Account struct {
	id        uuid.UUID
	fields    AccountFields
	status    valueobject.Status
	version   int64
	createdAt time.Time
	updatedAt time.Time
	events    []event.Event
}

// NewAccount validates fields and returns a new account with a time-ordered id, in
// status open, created at now. It records a AccountCreated event.
func NewAccount(fields AccountFields, now time.Time) (*Account, error) {
	if err := fields.Validate(); err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new account id: %w", err)
	}
	now = normalize(now)
	e := &Account{
		id:        id,
		fields:    fields.clone(),
		status:    valueobject.StatusOpen,
		version:   1,
		createdAt: now,
		updatedAt: now,
	}
	e.record(event.AccountCreated{AccountID: id, At: now})
	return e, nil
}

// UnmarshalAccountFromDB rebuilds an account from stored values. Only the
// persistence adapter calls it; it rejects rows that break an invariant.
func UnmarshalAccountFromDB(id uuid.UUID, fields AccountFields, status valueobject.Status, version int64, createdAt, updatedAt time.Time) (*Account, error) {
	if id == uuid.Nil {
		return nil, errors.New("unmarshal account: nil id")
	}
	if version < 1 {
		return nil, fmt.Errorf("unmarshal account %s: version %d is not positive", id, version)
	}
	if err := fields.Validate(); err != nil {
		return nil, fmt.Errorf("unmarshal account %s: %w", id, err)
	}
	if !status.IsValid() {
		return nil, fmt.Errorf("unmarshal account %s: invalid status %d", id, status)
	}
	return &Account{id: id, fields: fields.clone(), status: status, version: version, createdAt: createdAt.UTC(), updatedAt: updatedAt.UTC()}, nil
}

// ID returns the identifier.
func (e *Account) ID() uuid.UUID { return e.id }

// Fields returns a copy of the client-chosen values.
func (e *Account) Fields() AccountFields { return e.fields.clone() }

// Status returns the current status.
func (e *Account) Status() valueobject.Status { return e.status }

// Version returns the version: 1 at creation, incremented by every change.
// Clients send back the version they read to update or delete (optimistic
// concurrency).
func (e *Account) Version() int64 { return e.version }

// CheckVersion returns an ABORTED error unless want is the current version.
func (e *Account) CheckVersion(want int64) error {
	if want != e.version {
		return apperrors.New(apperrors.CodeAborted,
			fmt.Sprintf("account %s is at version %d, not %d: it changed since it was read; read it again", e.id, e.version, want))
	}
	return nil
}

// IsFinal reports whether the status is final (closed): the
// account can then no longer be updated or deleted.
func (e *Account) IsFinal() bool {
	switch e.status {
	case valueobject.StatusClosed:
		return true
	}
	return false
}

// CheckDeletable returns a FAILED_PRECONDITION error in a final status.
func (e *Account) CheckDeletable() error { return e.checkChangeable("delete") }

func (e *Account) checkChangeable(op string) error {
	if e.IsFinal() {
		return apperrors.New(apperrors.CodeFailedPrecondition,
			fmt.Sprintf("cannot %s account %s: it is %s, a final status", op, e.id, e.status))
	}
	return nil
}

// CreatedAt returns the creation time (UTC, microsecond precision).
func (e *Account) CreatedAt() time.Time { return e.createdAt }

// UpdatedAt returns the time of the last change (UTC, microsecond precision).
func (e *Account) UpdatedAt() time.Time { return e.updatedAt }

// Update validates fields and replaces the client-chosen values; a
// account in a final status refuses it.
func (e *Account) Update(fields AccountFields, now time.Time) error {
	if err := e.checkChangeable("update"); err != nil {
		return err
	}
	if err := fields.Validate(); err != nil {
		return err
	}
	e.fields = fields.clone()
	e.touch(now)
	return nil
}

// touch records a change: the update time and the next version.
func (e *Account) touch(now time.Time) {
	e.updatedAt = normalize(now)
	e.version++
}

// Freeze moves the account from open to frozen.
func (e *Account) Freeze(now time.Time) error {
	return e.transition("freeze", valueobject.StatusFrozen, now, valueobject.StatusOpen)
}

// Unfreeze moves the account from frozen to open.
func (e *Account) Unfreeze(now time.Time) error {
	return e.transition("unfreeze", valueobject.StatusOpen, now, valueobject.StatusFrozen)
}

// Close moves the account from open or frozen to closed.
func (e *Account) Close(now time.Time) error {
	return e.transition("close", valueobject.StatusClosed, now, valueobject.StatusOpen, valueobject.StatusFrozen)
}

// Apply runs the transition named name (for example "freeze").
func (e *Account) Apply(name string, now time.Time) error {
	switch name {
	case "freeze":
		return e.Freeze(now)
	case "unfreeze":
		return e.Unfreeze(now)
	case "close":
		return e.Close(now)
	}
	return apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("unknown account transition %q", name))
}

func (e *Account) transition(name string, to valueobject.Status, now time.Time, from ...valueobject.Status) error {
	if !slices.Contains(from, e.status) {
		return apperrors.Wrap(apperrors.CodeFailedPrecondition,
			fmt.Sprintf("cannot %s account %s in status %s", name, e.id, e.status), ErrInvalidTransition)
	}
	previous := e.status
	e.status = to
	e.touch(now)
	e.record(event.AccountStatusChanged{AccountID: e.id, Transition: name, From: previous.String(), To: to.String(), At: e.updatedAt})
	return nil
}

// PullEvents returns the domain events recorded since the last call and forgets them.
func (e *Account) PullEvents() []event.Event {
	events := e.events
	e.events = nil
	return events
}

func (e *Account) record(ev event.Event) { e.events = append(e.events, ev) }

// normalize keeps times in UTC at PostgreSQL's microsecond precision, so a
// stored and reloaded account compares equal.
func normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
