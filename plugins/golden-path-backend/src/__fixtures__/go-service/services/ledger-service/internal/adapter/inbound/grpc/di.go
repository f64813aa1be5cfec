package grpc

import "go.uber.org/fx"

// Module provides the gRPC handler; infrastructure/fx registers it on the server.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newAccountHandler),
	)
}
