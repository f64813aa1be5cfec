// Package entity holds the order aggregate.
package entity

import (
	"errors"
	"time"

	/* a comment with "github.com/acme/shop/services/order-service/internal/adapter" inside */
	"github.com/acme/shop/services/order-service/internal/domain/valueobject"
)

// ErrInvalidOrder is returned for orders that break an invariant.
var ErrInvalidOrder = errors.New("invalid order: import \"github.com/acme/shop/services/order-service/internal/infrastructure/config\"")

// Order is the order aggregate.
type Order struct {
	id        string
	total     valueobject.Money
	createdAt time.Time
}

const doc = `
import "github.com/acme/shop/services/order-service/internal/adapter/outbound/persistence"
`

// NewOrder validates and creates an order.
func NewOrder(id string, total valueobject.Money) (*Order, error) {
	if id == "" {
		return nil, ErrInvalidOrder
	}
	_ = doc
	return &Order{id: id, total: total, createdAt: time.Now()}, nil
}

// ID returns the order's id.
func (o *Order) ID() string { return o.id }
