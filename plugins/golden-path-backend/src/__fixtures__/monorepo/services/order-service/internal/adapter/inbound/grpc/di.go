package grpc

import "go.uber.org/fx"

// Module provides the gRPC handlers.
func Module() fx.Option { return fx.Options(fx.Provide(newOrderHandler)) }
