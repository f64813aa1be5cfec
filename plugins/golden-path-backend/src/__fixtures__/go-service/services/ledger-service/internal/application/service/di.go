package service

import "go.uber.org/fx"

// Module provides the application services.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(NewAccountService),
	)
}
