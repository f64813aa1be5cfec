{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set r = values.rpc -%}
{%- set T = values.table | replace('_', ' ') -%}
package persistence

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"${{ values.pkgModule }}/database"
	"${{ values.pkgModule }}/sqlutil"

	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/internal/domain/repository"
	"${{ values.module }}/sqlcgen"
)

// ${{ r.name }} runs the ${{ r.name }} query (db/queries/${{ r.snake }}.sql).
func (r *${{ values.aggCamel }}Repository) ${{ r.name }}(ctx context.Context, filter repository.${{ r.name }}Filter, after uuid.UUID, limit int) ([]*entity.${{ A }}, error) {
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("${{ r.snake | replace('_', ' ') }}: limit %d out of range 1..1000", limit)
	}
	p := sqlcgen.${{ r.name }}Params{AfterID: sqlutil.UUID(after), PageLimit: int32(limit)}
{%- for f in r.fields %}
	p.${{ go(f.name) }} = ${{ {'string': 'filter.' + go(f.name), 'int': 'filter.' + go(f.name), 'bool': 'filter.' + go(f.name), 'uuid': 'sqlutil.UUID(filter.' + go(f.name) + ')', 'enum': 'filter.' + go(f.name) + '.String()'}[f.type] }}
{%- endfor %}
	rows, err := r.queries(ctx).${{ r.name }}(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("select ${{ T }} (${{ r.name }}): %w", database.MapError(err))
	}
	out := make([]*entity.${{ A }}, 0, len(rows))
	for _, row := range rows {
		e, err := fromRow(row, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
