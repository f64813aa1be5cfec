package valueobject

// Money is an amount in minor units.
type Money struct{ amount int64 }

// NewMoney creates an amount.
func NewMoney(amount int64) Money { return Money{amount: amount} }
