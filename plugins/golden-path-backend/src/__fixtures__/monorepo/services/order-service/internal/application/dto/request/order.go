package request

import "github.com/acme/shop/services/order-service/internal/domain/valueobject"

// CreateOrder asks for a new order.
type CreateOrder struct {
	ID    string
	Total valueobject.Money
}
