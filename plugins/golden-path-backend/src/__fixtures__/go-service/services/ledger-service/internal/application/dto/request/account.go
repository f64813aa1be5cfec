// Package request holds the input DTOs of the application layer: flat data,
// no domain types, grouped by feature.
package request

import (
	"time"

	"github.com/google/uuid"
)

// Money is an amount: whole units plus nano units (10^-9) of an ISO 4217 currency.
type Money struct {
	CurrencyCode string
	Units        int64
	Nanos        int32
}

// AccountFields are the client-chosen values of an account. Enums are given by
// name ("" for an absent optional enum); optional values are nil when absent.
type AccountFields struct {
	OwnerID     uuid.UUID
	DisplayName string
	Balance     Money
	OpenedAt    time.Time
	Tier        string
	Note        *string
}

// CreateAccount is the input of CreateAccountUseCase. RequestID is the client's
// idempotency key ("" for none): a repeat returns the first result.
type CreateAccount struct {
	AccountFields
	RequestID string
}

// UpdateAccount replaces every field of the account ID. Version is the version
// the caller read (ABORTED when it changed since); 0 skips the check, for
// internal callers that hold no version.
type UpdateAccount struct {
	ID      uuid.UUID
	Version int64
	AccountFields
}

// DeleteAccount is the input of DeleteAccountUseCase: the account ID at the
// version the caller read.
type DeleteAccount struct {
	ID      uuid.UUID
	Version int64
}

// ListAccounts asks for one page: PageSize 0 means the default, Cursor
// "" the first page.
type ListAccounts struct {
	PageSize int
	Cursor   string
}

// TransitionAccount applies the transition named Transition to the account ID.
type TransitionAccount struct {
	ID         uuid.UUID
	Transition string
}
