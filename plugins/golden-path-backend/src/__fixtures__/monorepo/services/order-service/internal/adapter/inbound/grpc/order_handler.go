package grpc

import (
	"github.com/acme/shop/services/order-service/internal/application/service"
	"github.com/acme/shop/services/order-service/internal/infrastructure/config"
	"github.com/acme/shop/services/order-service/internal/infrastructure/server"
)

// OrderHandler serves OrderService.
type OrderHandler struct {
	svc service.OrderService
	cfg *config.Config
	srv *server.Server
}

func newOrderHandler(svc service.OrderService, cfg *config.Config) *OrderHandler {
	return &OrderHandler{svc: svc, cfg: cfg}
}
