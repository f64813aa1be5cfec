{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pb(s) -%}{%- for p in s.split('_') -%}${{ p | capitalize }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set P = values.aggPlural -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set jobs = values.jobs | length -%}
{%- set rpcs = values.rpcs or [] -%}
// Package grpc is the inbound gRPC adapter: it implements ${{ values.protoPkg }}.v1.${{ A }}Service
// by mapping protobuf messages to application DTOs and back. Errors are
// returned as they are; the shared error-mapping interceptor turns domain
// error codes into gRPC status codes.
package grpc

import (
	"context"

	"google.golang.org/grpc"

{% if values.protoPkg < 'common' %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% else %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% endif %}
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
	"${{ values.module }}/internal/application/service"
)

// ${{ A }}Handler serves ${{ A }}Service.
type ${{ A }}Handler struct {
	${{ PB }}.Unimplemented${{ A }}ServiceServer
{% if values.hasStateMachine %}
	svc        service.${{ A }}Service
	create     input.Create${{ A }}UseCase
	remove     input.Delete${{ A }}UseCase
{%- else %}
	svc    service.${{ A }}Service
	create input.Create${{ A }}UseCase
	remove input.Delete${{ A }}UseCase
{%- endif %}
{%- if values.hasStateMachine %}
	transition input.Transition${{ A }}UseCase
{%- endif %}
{%- if jobs %}

	// RunJob and ListJobRuns (job_handler.go).
	jobs    JobRunner
	jobRuns JobHistory
{%- endif %}
{%- for r in rpcs %}

	// ${{ r.name }} (${{ r.snake }}_handler.go).
	${{ r.camel }} input.${{ r.name }}UseCase
{%- endfor %}
}

func new${{ A }}Handler(svc service.${{ A }}Service, create input.Create${{ A }}UseCase, remove input.Delete${{ A }}UseCase{% if values.hasStateMachine %}, transition input.Transition${{ A }}UseCase{% endif %}{% if jobs %}, jobs JobRunner, jobRuns JobHistory{% endif %}{% for r in rpcs %}, ${{ r.camel }} input.${{ r.name }}UseCase{% endfor %}) *${{ A }}Handler {
	if svc == nil || create == nil || remove == nil{% if values.hasStateMachine %} || transition == nil{% endif %}{% if jobs %} || jobs == nil || jobRuns == nil{% endif %}{% for r in rpcs %} || ${{ r.camel }} == nil{% endfor %} {
		panic("grpc: new${{ A }}Handler needs every dependency")
	}
	return &${{ A }}Handler{svc: svc, create: create, remove: remove{% if values.hasStateMachine %}, transition: transition{% endif %}{% if jobs %}, jobs: jobs, jobRuns: jobRuns{% endif %}{% for r in rpcs %}, ${{ r.camel }}: ${{ r.camel }}{% endfor %}}
}

// Register adds the handler to a gRPC server.
func (h *${{ A }}Handler) Register(s grpc.ServiceRegistrar) {
	${{ PB }}.Register${{ A }}ServiceServer(s, h)
}

// Create${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Create${{ A }}(ctx context.Context, req *${{ PB }}.Create${{ A }}Request) (*${{ PB }}.Create${{ A }}Response, error) {
	in, err := toCreateRequest(req)
	if err != nil {
		return nil, err
	}
	out, err := h.create.Execute(ctx, in)
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.Create${{ A }}Response{${{ A }}: toPB(out)}, nil
}

// Get${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Get${{ A }}(ctx context.Context, req *${{ PB }}.Get${{ A }}Request) (*${{ PB }}.Get${{ A }}Response, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	out, err := h.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.Get${{ A }}Response{${{ A }}: toPB(out)}, nil
}

// List${{ P }} implements ${{ A }}Service.
func (h *${{ A }}Handler) List${{ P }}(ctx context.Context, req *${{ PB }}.List${{ P }}Request) (*${{ PB }}.List${{ P }}Response, error) {
	page, err := h.svc.List(ctx, &request.List${{ P }}{
		PageSize: int(req.GetPagination().GetPageSize()),
		Cursor:   req.GetPagination().GetCursor(),
	})
	if err != nil {
		return nil, err
	}
	resp := &${{ PB }}.List${{ P }}Response{
		Pagination: &commonv1.CursorPaginationResponse{NextCursor: page.NextCursor, HasMore: page.HasMore},
	}
	for _, item := range page.Items {
		resp.${{ pb(values.table) }} = append(resp.${{ pb(values.table) }}, toPB(item))
	}
	return resp, nil
}

// Update${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Update${{ A }}(ctx context.Context, req *${{ PB }}.Update${{ A }}Request) (*${{ PB }}.Update${{ A }}Response, error) {
	in, err := toUpdateRequest(req)
	if err != nil {
		return nil, err
	}
	out, err := h.svc.Update(ctx, in)
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.Update${{ A }}Response{${{ A }}: toPB(out)}, nil
}

// Delete${{ A }} implements ${{ A }}Service.
func (h *${{ A }}Handler) Delete${{ A }}(ctx context.Context, req *${{ PB }}.Delete${{ A }}Request) (*${{ PB }}.Delete${{ A }}Response, error) {
	in, err := toDeleteRequest(req)
	if err != nil {
		return nil, err
	}
	if err := h.remove.Execute(ctx, in); err != nil {
		return nil, err
	}
	return &${{ PB }}.Delete${{ A }}Response{}, nil
}
{%- for name, items in values.transitions | groupby("name") %}
{%- set T = go(name) + A %}

// ${{ T }} implements ${{ A }}Service.
func (h *${{ A }}Handler) ${{ T }}(ctx context.Context, req *${{ PB }}.${{ T }}Request) (*${{ PB }}.${{ T }}Response, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	out, err := h.transition.Execute(ctx, &request.Transition${{ A }}{ID: id, Transition: "${{ name }}"})
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.${{ T }}Response{${{ A }}: toPB(out)}, nil
}
{%- endfor %}
