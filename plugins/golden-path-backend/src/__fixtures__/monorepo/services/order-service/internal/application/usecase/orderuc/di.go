package orderuc

import "go.uber.org/fx"

// Module provides the order use cases.
func Module() fx.Option {
	return fx.Options(fx.Provide(newCreateOrderUseCase))
}
