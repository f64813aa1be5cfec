{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
// Package repository declares the persistence contract of the ${{ A }} aggregate.
// Implementations live in the outbound persistence adapter.
package repository

import (
	"context"

	"github.com/google/uuid"

	"${{ values.module }}/internal/domain/entity"
)

// ${{ A }}Repository stores ${{ values.table | replace('_', ' ') }}. Methods run inside the caller's
// transaction when the context carries one (TxManager.WithinTx).
type ${{ A }}Repository interface {
	// Create inserts a new ${{ a }} and returns it. With a requestID (the
	// client's idempotency key) that an earlier Create already used, it inserts
	// nothing and returns the ${{ a }} that Create stored.
	Create(ctx context.Context, e *entity.${{ A }}, requestID string) (*entity.${{ A }}, error)
	// GetByID returns the ${{ a }}, or entity.Err${{ A }}NotFound.
	GetByID(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error)
	// GetByIDForUpdate is GetByID that also locks the row until the
	// transaction ends; call it inside TxManager.WithinTx.
	GetByIDForUpdate(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error)
	// List returns at most limit ${{ values.table | replace('_', ' ') }} with an id greater than after
	// (uuid.Nil for the first page), in id order, which is creation order.
	List(ctx context.Context, after uuid.UUID, limit int) ([]*entity.${{ A }}, error)
	// Update stores the changed values and the new version of an existing
	// ${{ a }} (never its creation time), over the version it was read at; it
	// returns entity.Err${{ A }}NotFound, or an ABORTED error when another writer
	// changed it since.
	Update(ctx context.Context, e *entity.${{ A }}) error
	// Delete removes the ${{ a }}, or returns entity.Err${{ A }}NotFound.
	Delete(ctx context.Context, id uuid.UUID) error
{%- for r in (values.rpcs or []) %}{% if r.kind == 'query' %}
	// ${{ r.name }} returns at most limit ${{ values.table | replace('_', ' ') }} that match filter
	// (${{ r.snake }}.go) with an id greater than after, in id order.
	${{ r.name }}(ctx context.Context, filter ${{ r.name }}Filter, after uuid.UUID, limit int) ([]*entity.${{ A }}, error)
{%- endif %}{% endfor %}
}
