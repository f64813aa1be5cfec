{%- macro pb(s) -%}{%- for p in s.split('_') -%}${{ p | capitalize }}{%- endfor -%}{%- endmacro -%}
{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set P = g.plural -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set sig %}{% for f in g.fields %},${{ f.type }}{% endfor %},{% endset -%}
{%- set hasTime = ',timestamp,' in sig -%}
{%- set checked = [] %}{% for f in g.fields %}{% if f.type in ['string', 'uuid', 'timestamp'] %}{% set _ = checked.push(f) %}{% endif %}{% endfor -%}
package integration

import (
	"context"
	"testing"
{%- if hasTime %}
	"time"
{%- endif %}

	"github.com/google/uuid"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
{%- if hasTime %}
	"google.golang.org/protobuf/types/known/timestamppb"
{%- endif %}

	apperrors "${{ values.pkgModule }}/errors"
{% if values.protoPkg < 'common' %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% else %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% endif %}
	grpchandler "${{ values.module }}/internal/adapter/inbound/grpc"
	"${{ values.module }}/internal/adapter/outbound/persistence"
	"${{ values.module }}/internal/application/usecase/${{ g.lower }}uc"
	"${{ values.module }}/internal/infrastructure/server"
	"${{ values.module }}/tests/testdb"
)

// new${{ A }}Handler wires the ${{ A }} repository, use cases and gRPC handler with
// Fx over a fresh database with every migration applied.
func new${{ A }}Handler(t *testing.T) *grpchandler.${{ A }}Handler {
	t.Helper()
	pool, _ := testdb.New(t)
	var h *grpchandler.${{ A }}Handler
	app := fxtest.New(t,
		fx.Supply(pool),
		fx.Provide(persistence.New${{ A }}Repository),
		${{ g.lower }}uc.Module(),
		fx.Provide(grpchandler.New${{ A }}Handler),
		fx.Populate(&h),
	)
	app.RequireStart()
	t.Cleanup(app.RequireStop)
	return h
}

func sample${{ A }}Request() *${{ PB }}.Create${{ A }}Request {
	req := &${{ PB }}.Create${{ A }}Request{}
{%- for f in g.fields %}
	req.${{ pb(f.name) }} = ${{ {'string': '"sample ' + f.name | replace('_', ' ') + '"', 'int': '42', 'bool': 'true', 'uuid': 'uuid.NewString()', 'timestamp': 'timestamppb.New(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))'}[f.type] }}
{%- endfor %}
	return req
}

// changed${{ A }}Request sets every field of the ${{ a }} id to a value other than
// sample${{ A }}Request's, at the version the client read.
func changed${{ A }}Request(id string, version int64) *${{ PB }}.Update${{ A }}Request {
	req := &${{ PB }}.Update${{ A }}Request{Id: id, Version: version}
{%- for f in g.fields %}
	req.${{ pb(f.name) }} = ${{ {'string': '"changed ' + f.name | replace('_', ' ') + '"', 'int': '7', 'bool': 'false', 'uuid': 'uuid.NewString()', 'timestamp': 'timestamppb.New(time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC))'}[f.type] }}
{%- endfor %}
	return req
}

func want${{ A }}Code(t *testing.T, what string, err error, code apperrors.ErrorCode) {
	t.Helper()
	if got := apperrors.CodeOf(err); got != code {
		t.Errorf("%s: code %q (%v), want %s", what, got, err, code)
	}
}

// Test${{ A }}Lifecycle creates, reads, pages through, updates and deletes ${{ g.table | replace('_', ' ') }}
// through the gRPC handler, on PostgreSQL.
func Test${{ A }}Lifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := new${{ A }}Handler(t)

	var ids []string
	for range 3 {
		req := sample${{ A }}Request()
		res, err := h.Create${{ A }}(ctx, req)
		if err != nil {
			t.Fatalf("Create${{ A }}: %v", err)
		}
		got := res.Get${{ pb(g.snake) }}()
		if got.GetVersion() != 1 || got.GetCreateTime() == nil || got.GetId() == "" {
			t.Fatalf("created %v", got)
		}
{%- for f in g.fields %}
{%- if f.type == 'timestamp' %}
		if !got.Get${{ pb(f.name) }}().AsTime().Equal(req.Get${{ pb(f.name) }}().AsTime()) {
{%- else %}
		if got.Get${{ pb(f.name) }}() != req.Get${{ pb(f.name) }}() {
{%- endif %}
			t.Errorf("${{ f.name }} = %v, want %v", got.Get${{ pb(f.name) }}(), req.Get${{ pb(f.name) }}())
		}
{%- endfor %}
		ids = append(ids, got.GetId())
	}

	read, err := h.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: ids[0]})
	if err != nil {
		t.Fatalf("Get${{ A }}: %v", err)
	}
	if read.Get${{ pb(g.snake) }}().GetId() != ids[0] {
		t.Errorf("Get${{ A }} returned %s, want %s", read.Get${{ pb(g.snake) }}().GetId(), ids[0])
	}

	// One per page: the cursor is followed to the end, in creation order.
	var listed []string
	cursor := ""
	for page := 0; ; page++ {
		if page > len(ids) {
			t.Fatal("more pages than ${{ g.table | replace('_', ' ') }}")
		}
		res, err := h.List${{ P }}(ctx, &${{ PB }}.List${{ P }}Request{Pagination: &commonv1.CursorPaginationRequest{PageSize: 1, Cursor: cursor}})
		if err != nil {
			t.Fatalf("List${{ P }} page %d: %v", page, err)
		}
		for _, item := range res.Get${{ pb(g.table) }}() {
			listed = append(listed, item.GetId())
		}
		if !res.GetPagination().GetHasMore() {
			break
		}
		cursor = res.GetPagination().GetNextCursor()
	}
	if len(listed) != len(ids) {
		t.Fatalf("listed %v, want %v", listed, ids)
	}
	for i := range ids {
		if listed[i] != ids[i] {
			t.Errorf("page %d: %s, want %s", i, listed[i], ids[i])
		}
	}

	// Update at the version read: every field replaced, the next version; the
	// same version again is ABORTED (another writer went first), and the
	// stored ${{ a }} is the updated one.
	upd := changed${{ A }}Request(ids[0], 1)
	updated, err := h.Update${{ A }}(ctx, upd)
	if err != nil {
		t.Fatalf("Update${{ A }}: %v", err)
	}
	if got := updated.Get${{ pb(g.snake) }}(); got.GetVersion() != 2 || got.GetUpdateTime().AsTime().Before(got.GetCreateTime().AsTime()) {
		t.Errorf("updated %v, want version 2", got)
	}
	_, err = h.Update${{ A }}(ctx, upd)
	want${{ A }}Code(t, "an Update${{ A }} at a version that is no longer current", err, apperrors.CodeAborted)
	reread, err := h.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: ids[0]})
	if err != nil {
		t.Fatalf("Get${{ A }} after the update: %v", err)
	}
	if got := reread.Get${{ pb(g.snake) }}(); got.GetVersion() != 2 {
		t.Errorf("stored version %d, want 2", got.GetVersion())
	}
{%- for f in g.fields %}
{%- if f.type == 'timestamp' %}
	if got := reread.Get${{ pb(g.snake) }}().Get${{ pb(f.name) }}(); !got.AsTime().Equal(upd.Get${{ pb(f.name) }}().AsTime()) {
{%- else %}
	if got := reread.Get${{ pb(g.snake) }}().Get${{ pb(f.name) }}(); got != upd.Get${{ pb(f.name) }}() {
{%- endif %}
		t.Errorf("stored ${{ f.name }} = %v, want %v", got, upd.Get${{ pb(f.name) }}())
	}
{%- endfor %}

	if _, err := h.Delete${{ A }}(ctx, &${{ PB }}.Delete${{ A }}Request{Id: ids[1]}); err != nil {
		t.Fatalf("Delete${{ A }}: %v", err)
	}
	_, err = h.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: ids[1]})
	want${{ A }}Code(t, "Get${{ A }} after the delete", err, apperrors.CodeNotFound)
	_, err = h.Delete${{ A }}(ctx, &${{ PB }}.Delete${{ A }}Request{Id: ids[1]})
	want${{ A }}Code(t, "a second Delete${{ A }}", err, apperrors.CodeNotFound)
	_, err = h.Update${{ A }}(ctx, changed${{ A }}Request(ids[1], 1))
	want${{ A }}Code(t, "an Update${{ A }} of a deleted ${{ a }}", err, apperrors.CodeNotFound)
}

// Test${{ A }}BadRequests: what the handler and the aggregate refuse, and that
// every RPC of ${{ A }}Service has roles in the server's authorization policy.
func Test${{ A }}BadRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := new${{ A }}Handler(t)

	_, err := h.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: "not-a-uuid"})
	want${{ A }}Code(t, "an id that is no UUID", err, apperrors.CodeInvalidArgument)
	_, err = h.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: uuid.NewString()})
	want${{ A }}Code(t, "an unknown id", err, apperrors.CodeNotFound)
	_, err = h.List${{ P }}(ctx, &${{ PB }}.List${{ P }}Request{Pagination: &commonv1.CursorPaginationRequest{Cursor: "not a cursor"}})
	want${{ A }}Code(t, "a cursor of no page", err, apperrors.CodeInvalidArgument)
	_, err = h.List${{ P }}(ctx, &${{ PB }}.List${{ P }}Request{Pagination: &commonv1.CursorPaginationRequest{PageSize: -1}})
	want${{ A }}Code(t, "a negative page size", err, apperrors.CodeInvalidArgument)
	_, err = h.Update${{ A }}(ctx, &${{ PB }}.Update${{ A }}Request{Id: uuid.NewString()})
	want${{ A }}Code(t, "an Update${{ A }} without the version read", err, apperrors.CodeInvalidArgument)
	_, err = h.Update${{ A }}(ctx, &${{ PB }}.Update${{ A }}Request{Id: "not-a-uuid", Version: 1})
	want${{ A }}Code(t, "an Update${{ A }} of an id that is no UUID", err, apperrors.CodeInvalidArgument)
{%- if checked | length %}
	_, err = h.Create${{ A }}(ctx, &${{ PB }}.Create${{ A }}Request{})
	want${{ A }}Code(t, "a ${{ a }} without its required fields", err, apperrors.CodeInvalidArgument)
	created, err := h.Create${{ A }}(ctx, sample${{ A }}Request())
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Update${{ A }}(ctx, &${{ PB }}.Update${{ A }}Request{Id: created.Get${{ pb(g.snake) }}().GetId(), Version: 1})
	want${{ A }}Code(t, "an Update${{ A }} without the required fields", err, apperrors.CodeInvalidArgument)
{%- endif %}

	for _, m := range []string{
		${{ PB }}.${{ A }}Service_Create${{ A }}_FullMethodName,
		${{ PB }}.${{ A }}Service_Get${{ A }}_FullMethodName,
		${{ PB }}.${{ A }}Service_List${{ P }}_FullMethodName,
		${{ PB }}.${{ A }}Service_Update${{ A }}_FullMethodName,
		${{ PB }}.${{ A }}Service_Delete${{ A }}_FullMethodName,
	} {
		if len(server.MethodRoles[m]) == 0 {
			t.Errorf("%s has no roles in server.MethodRoles: every call would be denied", m)
		}
	}
}
