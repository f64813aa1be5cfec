package accountuc

import "go.uber.org/fx"

// Module provides the Account use cases as their input ports.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newCreateAccountUseCase),
		fx.Provide(newDeleteAccountUseCase),
		fx.Provide(newTransitionAccountUseCase),
	)
}
