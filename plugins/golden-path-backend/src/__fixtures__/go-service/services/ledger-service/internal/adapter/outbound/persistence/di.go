package persistence

import "go.uber.org/fx"

// Module provides the repositories.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newAccountRepository),
	)
}
