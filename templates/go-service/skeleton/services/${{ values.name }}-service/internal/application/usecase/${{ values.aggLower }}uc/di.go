package ${{ values.aggLower }}uc

import "go.uber.org/fx"

// Module provides the ${{ values.aggregate }} use cases as their input ports.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newCreate${{ values.aggregate }}UseCase),
		fx.Provide(newDelete${{ values.aggregate }}UseCase),
{%- if values.hasStateMachine %}
		fx.Provide(newTransition${{ values.aggregate }}UseCase),
{%- endif %}
	)
}
