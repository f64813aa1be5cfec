// Package valueobject holds the immutable value objects of the Account aggregate.
package valueobject

import (
	"fmt"
	"regexp"

	apperrors "github.com/acme/go-pkg/errors"
)

// Money is an amount in one currency, with the same precision as
// common.v1.Money: whole units plus nano units (10^-9).
type Money struct {
	units    int64
	nanos    int32
	currency string
}

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// NewMoney returns the amount units + nanos*10^-9 in currency (ISO 4217, for
// example "USD"). nanos must be within ±999,999,999 and have the sign of units.
func NewMoney(currency string, units int64, nanos int32) (Money, error) {
	if !currencyPattern.MatchString(currency) {
		return Money{}, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("currency %q is not a three-letter ISO 4217 code", currency))
	}
	if nanos <= -1_000_000_000 || nanos >= 1_000_000_000 {
		return Money{}, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("nanos %d is out of range", nanos))
	}
	if (units > 0 && nanos < 0) || (units < 0 && nanos > 0) {
		return Money{}, apperrors.New(apperrors.CodeInvalidArgument, "units and nanos must have the same sign")
	}
	return Money{units: units, nanos: nanos, currency: currency}, nil
}

// Units returns the whole units of the amount.
func (m Money) Units() int64 { return m.units }

// Nanos returns the nano units of the amount.
func (m Money) Nanos() int32 { return m.nanos }

// Currency returns the ISO 4217 currency code.
func (m Money) Currency() string { return m.currency }

// IsZero reports whether m is the zero Money (no currency), which is never a valid amount.
func (m Money) IsZero() bool { return m.currency == "" }

// String formats m as "12.500000000 USD".
func (m Money) String() string {
	sign := ""
	units, nanos := m.units, m.nanos
	if units < 0 || nanos < 0 {
		sign = "-"
		units, nanos = -units, -nanos
	}
	return fmt.Sprintf("%s%d.%09d %s", sign, units, nanos, m.currency)
}

// Tier is the tier of the Account aggregate. The zero value TierUnspecified is never valid.
type Tier int

// Tier values.
const (
	TierUnspecified Tier = iota
	TierBasic
	TierPremium
)

// ParseTier returns the Tier named s (for example "basic").
func ParseTier(s string) (Tier, error) {
	switch s {
	case "basic":
		return TierBasic, nil
	case "premium":
		return TierPremium, nil
	}
	return TierUnspecified, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%q is not a valid tier of the Account aggregate", s))
}

// String returns the name of v, or "" for TierUnspecified.
func (v Tier) String() string {
	switch v {
	case TierBasic:
		return "basic"
	case TierPremium:
		return "premium"
	}
	return ""
}

// IsValid reports whether v is one of the declared values.
func (v Tier) IsValid() bool { return v.String() != "" }

// Status is the status of the Account aggregate. The zero value StatusUnspecified is never valid.
type Status int

// Status values.
const (
	StatusUnspecified Status = iota
	StatusOpen
	StatusFrozen
	StatusClosed
)

// ParseStatus returns the Status named s (for example "open").
func ParseStatus(s string) (Status, error) {
	switch s {
	case "open":
		return StatusOpen, nil
	case "frozen":
		return StatusFrozen, nil
	case "closed":
		return StatusClosed, nil
	}
	return StatusUnspecified, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%q is not a valid status of the Account aggregate", s))
}

// String returns the name of v, or "" for StatusUnspecified.
func (v Status) String() string {
	switch v {
	case StatusOpen:
		return "open"
	case StatusFrozen:
		return "frozen"
	case StatusClosed:
		return "closed"
	}
	return ""
}

// IsValid reports whether v is one of the declared values.
func (v Status) IsValid() bool { return v.String() != "" }
