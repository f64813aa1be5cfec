{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set c = g.camel -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set rows = g.table | replace('_', ' ') -%}
package persistence

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/sqlutil"

	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/internal/domain/repository"
	"${{ values.module }}/sqlcgen"
)

type ${{ c }}Repository struct {
	pool *pgxpool.Pool
}

// New${{ A }}Repository stores ${{ rows }} in PostgreSQL with the sqlc queries of
// db/queries/${{ g.snake }}.sql (internal/infrastructure/fx/${{ g.snake }}_module.go provides it).
func New${{ A }}Repository(pool *pgxpool.Pool) repository.${{ A }}Repository {
	if pool == nil {
		panic("persistence: New${{ A }}Repository needs a pool")
	}
	return &${{ c }}Repository{pool: pool}
}

func (r *${{ c }}Repository) queries(ctx context.Context) *sqlcgen.Queries {
	return sqlcgen.New(database.GetDBTX(ctx, r.pool))
}

func (r *${{ c }}Repository) Create(ctx context.Context, e *entity.${{ A }}) error {
	f := e.Fields()
	var p sqlcgen.Create${{ A }}Params
	p.ID = sqlutil.UUID(e.ID())
{%- for f in g.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'uuid' %}
	p.${{ N }} = sqlutil.UUID(f.${{ N }})
{%- elif f.type == 'timestamp' %}
	p.${{ N }} = sqlutil.Timestamptz(f.${{ N }})
{%- else %}
	p.${{ N }} = f.${{ N }}
{%- endif %}
{%- endfor %}
	p.Version = e.Version()
	p.CreatedAt = sqlutil.Timestamptz(e.CreatedAt())
	p.UpdatedAt = sqlutil.Timestamptz(e.UpdatedAt())
	err := r.queries(ctx).Create${{ A }}(ctx, p)
	if err != nil {
		return fmt.Errorf("insert ${{ a }}: %w", database.MapError(err))
	}
	return nil
}

func (r *${{ c }}Repository) GetByID(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error) {
	row, err := r.queries(ctx).Get${{ A }}(ctx, sqlutil.UUID(id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, entity.Err${{ A }}NotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select ${{ a }}: %w", database.MapError(err))
	}
	return ${{ c }}FromRow(row)
}

func (r *${{ c }}Repository) List(ctx context.Context, after uuid.UUID, limit int) ([]*entity.${{ A }}, error) {
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("list ${{ rows }}: limit %d out of range 1..1000", limit)
	}
	rows, err := r.queries(ctx).List${{ g.plural }}(ctx, sqlcgen.List${{ g.plural }}Params{AfterID: sqlutil.UUID(after), PageLimit: int32(limit)})
	if err != nil {
		return nil, fmt.Errorf("select ${{ rows }}: %w", database.MapError(err))
	}
	out := make([]*entity.${{ A }}, 0, len(rows))
	for _, row := range rows {
		e, err := ${{ c }}FromRow(row)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (r *${{ c }}Repository) Update(ctx context.Context, e *entity.${{ A }}) error {
	f := e.Fields()
	var p sqlcgen.Update${{ A }}Params
	p.ID = sqlutil.UUID(e.ID())
{%- for f in g.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'uuid' %}
	p.${{ N }} = sqlutil.UUID(f.${{ N }})
{%- elif f.type == 'timestamp' %}
	p.${{ N }} = sqlutil.Timestamptz(f.${{ N }})
{%- else %}
	p.${{ N }} = f.${{ N }}
{%- endif %}
{%- endfor %}
	p.UpdatedAt = sqlutil.Timestamptz(e.UpdatedAt())
	p.Version = e.Version()
	n, err := r.queries(ctx).Update${{ A }}(ctx, p)
	if err != nil {
		return fmt.Errorf("update ${{ a }}: %w", database.MapError(err))
	}
	if n == 0 {
		// Gone, or changed by another writer since it was read.
		if _, err := r.GetByID(ctx, e.ID()); err != nil {
			return err
		}
		return apperrors.New(apperrors.CodeAborted, fmt.Sprintf("${{ a }} %s changed since it was read (version %d is taken): read it again", e.ID(), e.Version()))
	}
	return nil
}

func (r *${{ c }}Repository) Delete(ctx context.Context, id uuid.UUID) error {
	n, err := r.queries(ctx).Delete${{ A }}(ctx, sqlutil.UUID(id))
	if err != nil {
		return fmt.Errorf("delete ${{ a }}: %w", database.MapError(err))
	}
	if n == 0 {
		return entity.Err${{ A }}NotFound
	}
	return nil
}

// ${{ c }}FromRow maps a row to the aggregate, checking its invariants.
func ${{ c }}FromRow(row sqlcgen.${{ A }}) (*entity.${{ A }}, error) {
	var f entity.${{ A }}Fields
{%- for f in g.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'uuid' %}
	f.${{ N }} = sqlutil.FromUUID(row.${{ N }})
{%- elif f.type == 'timestamp' %}
	f.${{ N }} = sqlutil.FromTimestamptz(row.${{ N }})
{%- else %}
	f.${{ N }} = row.${{ N }}
{%- endif %}
{%- endfor %}
	id := sqlutil.FromUUID(row.ID)
	e, err := entity.Unmarshal${{ A }}FromDB(id, f, row.Version, sqlutil.FromTimestamptz(row.CreatedAt), sqlutil.FromTimestamptz(row.UpdatedAt))
	if err != nil {
		// A stored row the domain refuses is the service's fault, not the
		// caller's: CodeInternal whatever code the broken rule carries; the
		// client gets "internal error", the logged cause the row and the rule.
		return nil, apperrors.WithHiddenCause(apperrors.CodeInternal, "internal error",
			fmt.Errorf("stored ${{ a }} %s breaks a domain rule: %w", id, err))
	}
	return e, nil
}
