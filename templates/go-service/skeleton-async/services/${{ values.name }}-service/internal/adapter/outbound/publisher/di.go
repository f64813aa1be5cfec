package publisher

import (
	"go.uber.org/fx"

	"${{ values.module }}/internal/application/service"
)

// Module provides the outbox-backed EventPublisher and decorates the
// ${{ values.aggregate }}Service so that Update and Delete record their events through it.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newOutboxPublisher),
		fx.Decorate(service.With${{ values.aggregate }}Events),
	)
}
