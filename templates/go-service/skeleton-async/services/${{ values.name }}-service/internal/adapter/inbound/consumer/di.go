package consumer

import "go.uber.org/fx"

// Module provides the command handler; infrastructure/fx runs it on the queue.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newCommandHandler),
	)
}
