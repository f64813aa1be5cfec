{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set rows = g.table | replace('_', ' ') -%}
package repository

import (
	"context"

	"github.com/google/uuid"

	"${{ values.module }}/internal/domain/entity"
)

// ${{ A }}Repository stores ${{ rows }}. Methods run inside the caller's
// transaction when the context carries one (TxManager.WithinTx).
type ${{ A }}Repository interface {
	// Create inserts a new ${{ a }}.
	Create(ctx context.Context, e *entity.${{ A }}) error
	// GetByID returns the ${{ a }}, or entity.Err${{ A }}NotFound.
	GetByID(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error)
	// List returns at most limit ${{ rows }} with an id greater than after
	// (uuid.Nil for the first page), in id order, which is creation order.
	List(ctx context.Context, after uuid.UUID, limit int) ([]*entity.${{ A }}, error)
	// Update stores the changed values and the new version of an existing
	// ${{ a }}, only over the version before it (e.Version()-1); NOT_FOUND
	// when it is gone, ABORTED when another writer changed it first.
	Update(ctx context.Context, e *entity.${{ A }}) error
	// Delete removes the ${{ a }}, or returns entity.Err${{ A }}NotFound.
	Delete(ctx context.Context, id uuid.UUID) error
}
