{%- set A = values.aggregate -%}
{%- set r = values.rpc -%}
package input

import (
	"context"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
)

{% if r.kind == 'query' -%}
// ${{ r.name }}UseCase returns one page of the ${{ values.table | replace('_', ' ') }} whose {% for f in r.fields %}${{ f.name | replace('_', ' ') }}${{ ' and ' if loop.revindex == 2 else (', ' if not loop.last) }}{% endfor %} match
// the request (the ${{ r.name }} RPC).
type ${{ r.name }}UseCase interface {
	Execute(ctx context.Context, req *request.${{ r.name }}) (*response.PaginatedResult[*response.${{ A }}], error)
}
{%- else -%}
// ${{ r.name }}UseCase sets the {% for f in r.fields %}${{ f.name | replace('_', ' ') }}${{ ' and ' if loop.revindex == 2 else (', ' if not loop.last) }}{% endfor %} of one ${{ values.aggSnake | replace('_', ' ') }} at the
// version the caller read (the ${{ r.name }} RPC).
type ${{ r.name }}UseCase interface {
	Execute(ctx context.Context, req *request.${{ r.name }}) (*response.${{ A }}, error)
}
{%- endif %}
