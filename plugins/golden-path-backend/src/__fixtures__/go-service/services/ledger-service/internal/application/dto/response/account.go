// Package response holds the output DTOs of the application layer: flat data,
// no domain types, grouped by feature.
package response

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

// Account is an account as the application returns it. Enums are given by name
// ("" for an absent optional enum); optional values are nil when absent.
type Account struct {
	ID          uuid.UUID
	OwnerID     uuid.UUID
	DisplayName string
	Balance     Money
	OpenedAt    time.Time
	Tier        string
	Note        *string
	Status      string
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
