{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pb(s) -%}{%- for p in s.split('_') -%}${{ p | capitalize }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set r = values.rpc -%}
{%- set sig %}{% for f in r.fields %},${{ f.type }}{% endfor %},{% endset -%}
{%- set hasUUID = ',uuid,' in sig -%}
{%- macro mapFields() %}
{%- for f in r.fields %}
{%- if f.type == 'enum' %}
	in.${{ go(f.name) }} = ${{ values.aggCamel }}${{ go(f.name) }}Name(req.Get${{ pb(f.name) }}())
{%- elif f.type != 'uuid' %}
	in.${{ go(f.name) }} = req.Get${{ pb(f.name) }}()
{%- endif %}
{%- endfor %}
{%- if hasUUID %}
	var errs []error
{%- for f in r.fields %}{% if f.type == 'uuid' %}
	in.${{ go(f.name) }}, err = parseUUID("${{ f.name }}", req.Get${{ pb(f.name) }}())
	errs = append(errs, err)
{%- endif %}{% endfor %}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
{%- endif %}
{%- endmacro -%}
package grpc

import (
	"context"
{%- if hasUUID %}
	"errors"
{%- endif %}

{% if r.kind == 'command' %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% elif values.protoPkg < 'common' %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% else %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% endif %}
	"${{ values.module }}/internal/application/dto/request"
)

// ${{ r.name }} implements ${{ A }}Service.
func (h *${{ A }}Handler) ${{ r.name }}(ctx context.Context, req *${{ PB }}.${{ r.name }}Request) (*${{ PB }}.${{ r.name }}Response, error) {
{%- if r.kind == 'query' %}
	in := &request.${{ r.name }}{
		PageSize: int(req.GetPagination().GetPageSize()),
		Cursor:   req.GetPagination().GetCursor(),
	}
{%- if hasUUID %}
	var err error
{%- endif %}
${{ mapFields() }}
	page, err := h.${{ r.camel }}.Execute(ctx, in)
	if err != nil {
		return nil, err
	}
	resp := &${{ PB }}.${{ r.name }}Response{
		Pagination: &commonv1.CursorPaginationResponse{NextCursor: page.NextCursor, HasMore: page.HasMore},
	}
	for _, item := range page.Items {
		resp.${{ pb(values.table) }} = append(resp.${{ pb(values.table) }}, toPB(item))
	}
	return resp, nil
{%- else %}
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	version, err := parseVersion(req.GetVersion())
	if err != nil {
		return nil, err
	}
	in := &request.${{ r.name }}{ID: id, Version: version}
${{ mapFields() }}
	out, err := h.${{ r.camel }}.Execute(ctx, in)
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.${{ r.name }}Response{${{ pb(values.aggSnake) }}: toPB(out)}, nil
{%- endif %}
}
