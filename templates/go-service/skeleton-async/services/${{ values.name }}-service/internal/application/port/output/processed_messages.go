package output

import (
	"context"
	"time"
)

// ProcessedMessages is the inbox of the message consumers: the ids of the
// messages they have processed, so a message delivered twice (at-least-once
// delivery) takes effect once.
type ProcessedMessages interface {
	// MarkProcessed records messageID for consumer in the context's
	// transaction and reports whether it was the first time. Call it in the
	// transaction of the message's effect: a rollback forgets the mark.
	MarkProcessed(ctx context.Context, consumer, messageID string) (first bool, err error)
	// DeleteBefore forgets the marks older than t and returns how many.
	DeleteBefore(ctx context.Context, t time.Time) (int64, error)
}
