package service

// OrderService is reusable order logic.
type OrderService interface{ Count() int }

type orderService struct{}

func newOrderService() OrderService { return &orderService{} }

func (orderService) Count() int { return 0 }
