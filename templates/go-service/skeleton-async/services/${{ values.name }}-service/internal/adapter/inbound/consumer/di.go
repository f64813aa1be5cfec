package consumer

import (
	"go.uber.org/fx"

	"${{ values.module }}/internal/adapter/outbound/persistence"
)

// Module provides the command handler and the inbox it records processed
// messages in; infrastructure/fx runs the handler on the queue.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(persistence.NewProcessedMessageStore),
		fx.Provide(newCommandHandler),
	)
}
