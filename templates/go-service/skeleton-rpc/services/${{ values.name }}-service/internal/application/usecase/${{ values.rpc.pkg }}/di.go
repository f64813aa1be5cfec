package ${{ values.rpc.pkg }}

import "go.uber.org/fx"

// Module provides the ${{ values.rpc.name }} use case as its input port.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newUseCase),
	)
}
