// Command order-service runs the order gRPC service.
package main

import (
	"go.uber.org/fx"

	appfx "github.com/acme/shop/services/order-service/internal/infrastructure/fx"
)

func main() {
	fx.New(appfx.Module).Run()
}
