package publisher

import "go.uber.org/fx"

// Module provides the outbox-backed EventPublisher.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(newOutboxPublisher),
	)
}
