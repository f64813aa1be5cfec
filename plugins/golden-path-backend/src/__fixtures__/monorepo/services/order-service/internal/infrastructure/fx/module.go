package fx

import (
	"go.uber.org/fx"

	grpchandler "github.com/acme/shop/services/order-service/internal/adapter/inbound/grpc"
	"github.com/acme/shop/services/order-service/internal/application/usecase/orderuc"
)

// Module is the root module.
var Module = fx.Options(grpchandler.Module(), orderuc.Module())
