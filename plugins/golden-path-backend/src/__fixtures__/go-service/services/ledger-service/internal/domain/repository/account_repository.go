// Package repository declares the persistence contract of the Account aggregate.
// Implementations live in the outbound persistence adapter.
package repository

import (
	"context"

	"github.com/google/uuid"

	"github.com/acme/ledger-service/internal/domain/entity"
)

// AccountRepository stores accounts. Methods run inside the caller's
// transaction when the context carries one (TxManager.WithinTx).
type AccountRepository interface {
	// Create inserts a new account and returns it. With a requestID (the
	// client's idempotency key) that an earlier Create already used, it inserts
	// nothing and returns the account that Create stored.
	Create(ctx context.Context, e *entity.Account, requestID string) (*entity.Account, error)
	// GetByID returns the account, or entity.ErrAccountNotFound.
	GetByID(ctx context.Context, id uuid.UUID) (*entity.Account, error)
	// GetByIDForUpdate is GetByID that also locks the row until the
	// transaction ends; call it inside TxManager.WithinTx.
	GetByIDForUpdate(ctx context.Context, id uuid.UUID) (*entity.Account, error)
	// List returns at most limit accounts with an id greater than after
	// (uuid.Nil for the first page), in id order, which is creation order.
	List(ctx context.Context, after uuid.UUID, limit int) ([]*entity.Account, error)
	// Update stores the changed values and the new version of an existing
	// account (never its creation time), over the version it was read at; it
	// returns entity.ErrAccountNotFound, or an ABORTED error when another writer
	// changed it since.
	Update(ctx context.Context, e *entity.Account) error
	// Delete removes the account, or returns entity.ErrAccountNotFound.
	Delete(ctx context.Context, id uuid.UUID) error
}
