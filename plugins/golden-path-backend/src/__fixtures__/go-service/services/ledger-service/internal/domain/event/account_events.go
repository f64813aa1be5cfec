// Package event defines the domain events of the Account aggregate. EventType
// and Version are the contract with consumers: change a payload incompatibly
// only together with a new Version.
package event

import (
	"time"

	"github.com/google/uuid"
)

// Event is something that happened to an aggregate.
type Event interface {
	// EventType names the event, for example "account.created".
	EventType() string
	// Version is the schema version of the payload.
	Version() int
	// AggregateID identifies the aggregate the event belongs to.
	AggregateID() uuid.UUID
	// OccurredAt is when it happened (UTC).
	OccurredAt() time.Time
}

// AccountCreated is recorded when an account is created.
type AccountCreated struct {
	AccountID uuid.UUID
	At        time.Time
}

// EventType implements Event.
func (AccountCreated) EventType() string { return "account.created" }

// Version implements Event.
func (AccountCreated) Version() int { return 1 }

// AggregateID implements Event.
func (e AccountCreated) AggregateID() uuid.UUID { return e.AccountID }

// OccurredAt implements Event.
func (e AccountCreated) OccurredAt() time.Time { return e.At }

// AccountStatusChanged is recorded by every status transition.
type AccountStatusChanged struct {
	AccountID  uuid.UUID
	Transition string
	From       string
	To         string
	At         time.Time
}

// EventType implements Event.
func (AccountStatusChanged) EventType() string { return "account.status_changed" }

// Version implements Event.
func (AccountStatusChanged) Version() int { return 1 }

// AggregateID implements Event.
func (e AccountStatusChanged) AggregateID() uuid.UUID { return e.AccountID }

// OccurredAt implements Event.
func (e AccountStatusChanged) OccurredAt() time.Time { return e.At }
