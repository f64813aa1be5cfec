{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pb(s) -%}{%- for p in s.split('_') -%}${{ p | capitalize }}{%- endfor -%}{%- endmacro -%}
{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set P = g.plural -%}
{%- set c = g.camel -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set sig %}{% for f in g.fields %},${{ f.type }}{% endfor %},{% endset -%}
{%- set hasUUID = ',uuid,' in sig -%}
{%- set hasTime = ',timestamp,' in sig -%}
package grpc

import (
	"context"
{%- if hasUUID or hasTime %}
	"errors"
{%- endif %}
	"fmt"
{%- if hasTime %}
	"time"
{%- endif %}

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	apperrors "${{ values.pkgModule }}/errors"
{% if values.protoPkg < 'common' %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% else %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% endif %}
	"${{ values.module }}/internal/application/port/input"
	"${{ values.module }}/internal/domain/entity"
)

// ${{ A }}Handler serves ${{ values.protoPkg }}.v1.${{ A }}Service (api/proto/${{ values.protoPkg }}/v1/${{ g.snake }}_service.proto).
type ${{ A }}Handler struct {
	${{ PB }}.Unimplemented${{ A }}ServiceServer
	create input.Create${{ A }}UseCase
	get    input.Get${{ A }}UseCase
	list   input.List${{ P }}UseCase
	update input.Update${{ A }}UseCase
	remove input.Delete${{ A }}UseCase
}

// New${{ A }}Handler serves the ${{ A }} use cases over gRPC
// (internal/infrastructure/fx/${{ g.snake }}_module.go provides and registers it).
func New${{ A }}Handler(create input.Create${{ A }}UseCase, get input.Get${{ A }}UseCase, list input.List${{ P }}UseCase, update input.Update${{ A }}UseCase, remove input.Delete${{ A }}UseCase) *${{ A }}Handler {
	if create == nil || get == nil || list == nil || update == nil || remove == nil {
		panic("grpc: New${{ A }}Handler needs every use case")
	}
	return &${{ A }}Handler{create: create, get: get, list: list, update: update, remove: remove}
}

// Register adds the handler to a gRPC server.
func (h *${{ A }}Handler) Register(s grpc.ServiceRegistrar) {
	${{ PB }}.Register${{ A }}ServiceServer(s, h)
}

// Create${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Create${{ A }}(ctx context.Context, req *${{ PB }}.Create${{ A }}Request) (*${{ PB }}.Create${{ A }}Response, error) {
	f, err := ${{ c }}FieldsFromPB(req)
	if err != nil {
		return nil, err
	}
	out, err := h.create.Execute(ctx, f)
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.Create${{ A }}Response{${{ pb(g.snake) }}: ${{ c }}ToPB(out)}, nil
}

// Get${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Get${{ A }}(ctx context.Context, req *${{ PB }}.Get${{ A }}Request) (*${{ PB }}.Get${{ A }}Response, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	out, err := h.get.Execute(ctx, id)
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.Get${{ A }}Response{${{ pb(g.snake) }}: ${{ c }}ToPB(out)}, nil
}

// List${{ P }} implements ${{ A }}Service. The cursor is the id of the previous
// page's last ${{ a }}.
func (h *${{ A }}Handler) List${{ P }}(ctx context.Context, req *${{ PB }}.List${{ P }}Request) (*${{ PB }}.List${{ P }}Response, error) {
	after := uuid.Nil
	if cursor := req.GetPagination().GetCursor(); cursor != "" {
		id, err := uuid.Parse(cursor)
		if err != nil {
			return nil, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("pagination.cursor %q is not a cursor of List${{ P }}", cursor))
		}
		after = id
	}
	page, err := h.list.Execute(ctx, after, int(req.GetPagination().GetPageSize()))
	if err != nil {
		return nil, err
	}
	resp := &${{ PB }}.List${{ P }}Response{Pagination: &commonv1.CursorPaginationResponse{HasMore: page.HasMore}}
	for _, item := range page.Items {
		resp.${{ pb(g.table) }} = append(resp.${{ pb(g.table) }}, ${{ c }}ToPB(item))
	}
	if page.HasMore && len(page.Items) > 0 {
		resp.Pagination.NextCursor = page.Items[len(page.Items)-1].ID().String()
	}
	return resp, nil
}

// Update${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Update${{ A }}(ctx context.Context, req *${{ PB }}.Update${{ A }}Request) (*${{ PB }}.Update${{ A }}Response, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	if v := req.GetVersion(); v < 1 {
		return nil, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("version: %d is not a version; send the version of the ${{ a }} you read", v))
	}
	f, err := ${{ c }}FieldsFromPB(req)
	if err != nil {
		return nil, err
	}
	out, err := h.update.Execute(ctx, id, req.GetVersion(), f)
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.Update${{ A }}Response{${{ pb(g.snake) }}: ${{ c }}ToPB(out)}, nil
}

// Delete${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Delete${{ A }}(ctx context.Context, req *${{ PB }}.Delete${{ A }}Request) (*${{ PB }}.Delete${{ A }}Response, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	if err := h.remove.Execute(ctx, id); err != nil {
		return nil, err
	}
	return &${{ PB }}.Delete${{ A }}Response{}, nil
}

// ${{ c }}FieldRequest is what Create${{ A }}Request and Update${{ A }}Request share: the
// client-chosen fields.
type ${{ c }}FieldRequest interface {
{%- for f in g.fields %}
	Get${{ pb(f.name) }}() ${{ {'string': 'string', 'int': 'int64', 'bool': 'bool', 'uuid': 'string', 'timestamp': '*timestamppb.Timestamp'}[f.type] }}
{%- endfor %}
}

// ${{ c }}FieldsFromPB maps the fields of a request; every malformed one is
// reported at once (INVALID_ARGUMENT).
func ${{ c }}FieldsFromPB(req ${{ c }}FieldRequest) (entity.${{ A }}Fields, error) {
	var f entity.${{ A }}Fields
{%- if hasUUID or hasTime %}
	var errs []error
	var err error
{%- endif %}
{%- for f in g.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'uuid' %}
	f.${{ N }}, err = parseUUID("${{ f.name }}", req.Get${{ pb(f.name) }}())
	errs = append(errs, err)
{%- elif f.type == 'timestamp' %}
	f.${{ N }}, err = ${{ c }}TimeFromPB("${{ f.name }}", req.Get${{ pb(f.name) }}())
	errs = append(errs, err)
{%- else %}
	f.${{ N }} = req.Get${{ pb(f.name) }}()
{%- endif %}
{%- endfor %}
{%- if hasUUID or hasTime %}
	return f, errors.Join(errs...)
{%- else %}
	return f, nil
{%- endif %}
}

func ${{ c }}ToPB(e *entity.${{ A }}) *${{ PB }}.${{ A }} {
	f := e.Fields()
	out := &${{ PB }}.${{ A }}{Id: e.ID().String(), Version: e.Version()}
{%- for f in g.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'uuid' %}
	out.${{ pb(f.name) }} = f.${{ N }}.String()
{%- elif f.type == 'timestamp' %}
	out.${{ pb(f.name) }} = timestamppb.New(f.${{ N }})
{%- else %}
	out.${{ pb(f.name) }} = f.${{ N }}
{%- endif %}
{%- endfor %}
	out.CreateTime = timestamppb.New(e.CreatedAt())
	out.UpdateTime = timestamppb.New(e.UpdatedAt())
	return out
}
{%- if hasTime %}

func ${{ c }}TimeFromPB(field string, ts *timestamppb.Timestamp) (time.Time, error) {
	if ts == nil {
		return time.Time{}, nil
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%s: %v", field, err))
	}
	return ts.AsTime(), nil
}
{%- endif %}
