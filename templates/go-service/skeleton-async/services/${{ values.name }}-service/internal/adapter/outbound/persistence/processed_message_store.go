package persistence

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/sqlutil"

	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/sqlcgen"
)

// processedMessageStore is the consumer inbox in the processed_messages
// table (db/queries/processed_messages.sql).
type processedMessageStore struct {
	pool *pgxpool.Pool
}

// NewProcessedMessageStore returns the inbox over pool. It panics on a nil
// pool, a wiring error that must not reach production.
func NewProcessedMessageStore(pool *pgxpool.Pool) output.ProcessedMessages {
	if pool == nil {
		panic("persistence: NewProcessedMessageStore needs a pool")
	}
	return &processedMessageStore{pool: pool}
}

func (s *processedMessageStore) MarkProcessed(ctx context.Context, consumer, messageID string) (bool, error) {
	n, err := sqlcgen.New(database.GetDBTX(ctx, s.pool)).MarkMessageProcessed(ctx, sqlcgen.MarkMessageProcessedParams{
		Consumer: consumer, MessageID: messageID,
	})
	if err != nil {
		return false, fmt.Errorf("mark message %s processed by %s: %w", messageID, consumer, err)
	}
	return n == 1, nil
}

func (s *processedMessageStore) DeleteBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := sqlcgen.New(database.GetDBTX(ctx, s.pool)).DeleteProcessedMessagesBefore(ctx, sqlutil.Timestamptz(t))
	if err != nil {
		return 0, fmt.Errorf("delete processed messages before %s: %w", t.Format(time.RFC3339), err)
	}
	return n, nil
}
