package orderuc

import (
	"context"

	"github.com/acme/shop/services/order-service/internal/application/dto/request"
	"github.com/acme/shop/services/order-service/internal/application/port/output"
	"github.com/acme/shop/services/order-service/internal/domain/entity"
	"github.com/acme/shop/services/order-service/internal/domain/repository"
	"github.com/acme/shop/services/order-service/internal/adapter/outbound/persistence"
)

type createOrderUseCase struct {
	repo repository.OrderRepository
	tx   output.TxManager
	_    *persistence.OrderRepository
}

func newCreateOrderUseCase(repo repository.OrderRepository, tx output.TxManager) *createOrderUseCase {
	return &createOrderUseCase{repo: repo, tx: tx}
}

// Execute creates an order.
func (uc *createOrderUseCase) Execute(ctx context.Context, req request.CreateOrder) error {
	o, err := entity.NewOrder(req.ID, req.Total)
	if err != nil {
		return err
	}
	return uc.repo.Create(ctx, o)
}
