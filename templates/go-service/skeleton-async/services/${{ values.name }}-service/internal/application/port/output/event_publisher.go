package output

import (
	"context"

	"${{ values.module }}/internal/domain/event"
)

// EventPublisher publishes domain events. Called inside TxManager.WithinTx,
// the events commit or roll back together with the business change
// (transactional outbox).
type EventPublisher interface {
	Publish(ctx context.Context, events ...event.Event) error
}
