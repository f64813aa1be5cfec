package ${{ values.agg.lower }}uc

import "go.uber.org/fx"

// Module provides the ${{ values.agg.name }} use cases as their input ports.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newCreate${{ values.agg.name }}UseCase),
		fx.Provide(newGet${{ values.agg.name }}UseCase),
		fx.Provide(newList${{ values.agg.plural }}UseCase),
		fx.Provide(newUpdate${{ values.agg.name }}UseCase),
		fx.Provide(newDelete${{ values.agg.name }}UseCase),
	)
}
