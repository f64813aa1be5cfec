package event

import (
	"github.com/acme/shop/services/order-service/internal/infrastructure/config" // breaks the rule
)

// OrderCreated is raised when an order is created.
type OrderCreated struct{ ID string }

// EventType names the event.
func (OrderCreated) EventType() string { return config.Prefix + "order.created" }
