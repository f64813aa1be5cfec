{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set rows = g.table | replace('_', ' ') -%}
package input

import (
	"context"

	"github.com/google/uuid"

	"${{ values.module }}/internal/domain/entity"
)

// Create${{ A }}UseCase creates ${{ an }} ${{ a }} from the fields a client chose.
type Create${{ A }}UseCase interface {
	Execute(ctx context.Context, fields entity.${{ A }}Fields) (*entity.${{ A }}, error)
}

// Get${{ A }}UseCase reads one ${{ a }}; NOT_FOUND when it does not exist.
type Get${{ A }}UseCase interface {
	Execute(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error)
}

// ${{ A }}Page is one page of ${{ rows }}, oldest first.
type ${{ A }}Page struct {
	Items []*entity.${{ A }}
	// HasMore says that a next page starts after the last item.
	HasMore bool
}

// List${{ g.plural }}UseCase pages through ${{ rows }} in creation order: after is the
// id of the previous page's last item (uuid.Nil for the first page); pageSize
// 0 means 20, at most 100.
type List${{ g.plural }}UseCase interface {
	Execute(ctx context.Context, after uuid.UUID, pageSize int) (*${{ A }}Page, error)
}

// Update${{ A }}UseCase replaces the fields of one ${{ a }} at the version the client
// read; NOT_FOUND when it does not exist, ABORTED when it changed since.
type Update${{ A }}UseCase interface {
	Execute(ctx context.Context, id uuid.UUID, version int64, fields entity.${{ A }}Fields) (*entity.${{ A }}, error)
}

// Delete${{ A }}UseCase deletes one ${{ a }}; NOT_FOUND when it does not exist.
type Delete${{ A }}UseCase interface {
	Execute(ctx context.Context, id uuid.UUID) error
}
