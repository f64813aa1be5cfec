package repository

import (
	"context"

	"github.com/acme/shop/services/order-service/internal/domain/entity"
)

// OrderRepository stores orders.
type OrderRepository interface {
	GetByID(ctx context.Context, id string) (*entity.Order, error)
	Create(ctx context.Context, o *entity.Order) error
}
