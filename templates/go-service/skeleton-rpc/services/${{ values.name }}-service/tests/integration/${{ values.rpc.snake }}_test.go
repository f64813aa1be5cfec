{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro other(f) -%}
{%- if f.type == 'enum' -%}"${{ f.values[1] if f.values | length > 1 else f.values[0] }}"
{%- else -%}${{ {'string': '"other ' + f.name | replace('_', ' ') + '"', 'int': 'int64(7)', 'bool': 'false', 'uuid': 'uuid.New()'}[f.type] }}
{%- endif -%}
{%- endmacro -%}
{%- macro changed(f) -%}
{%- if f.type == 'enum' -%}"${{ f.values | last }}"
{%- else -%}${{ {'string': '"changed ' + f.name | replace('_', ' ') + '"', 'int': 'int64(43)', 'bool': 'false', 'uuid': 'uuid.New()'}[f.type] }}
{%- endif -%}
{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set r = values.rpc -%}
{%- set async = values.stage == 'async' -%}
{%- set sig %}{% for f in r.fields %},${{ f.type }}{% endfor %},{% endset -%}
{%- set differs = [] %}{% for f in r.fields %}{% if f.type != 'enum' or f.values | length > 1 %}{% set _ = differs.push(f) %}{% endif %}{% endfor -%}
{%- set enums = [] %}{% for f in r.fields %}{% if f.type == 'enum' %}{% set _ = enums.push(f) %}{% endif %}{% endfor -%}
package integration

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"

	"${{ values.pkgModule }}/database"
{% if async %}
	"${{ values.module }}/internal/adapter/outbound/persistence"
	"${{ values.module }}/internal/adapter/outbound/publisher"
{%- else %}
	"${{ values.module }}/internal/adapter/outbound/persistence"
{%- endif %}
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/application/service"
{%- for p in [values.aggLower + 'uc', r.pkg] | sort %}
	"${{ values.module }}/internal/application/usecase/${{ p }}"
{%- endfor %}
	"${{ values.module }}/tests/testdb"
)

// new${{ r.name }}App wires the persistence adapter, the application services
// and the ${{ A }} and ${{ r.name }} use cases with Fx over a fresh database.
func new${{ r.name }}App(t *testing.T) (service.${{ A }}Service, input.Create${{ A }}UseCase, input.${{ r.name }}UseCase) {
	t.Helper()
	pool, _ := testdb.New(t)
	var (
		svc    service.${{ A }}Service
		create input.Create${{ A }}UseCase
		uc     input.${{ r.name }}UseCase
	)
	fxApp := fxtest.New(t,
		fx.Supply(pool, zap.NewNop()),
		fx.Provide(fx.Annotate(database.NewTxManager, fx.As(new(output.TxManager)))),
		persistence.Module(),
{%- if async %}
		publisher.Module(),
{%- endif %}
		service.Module(),
		${{ values.aggLower }}uc.Module(),
		${{ r.pkg }}.Module(),
		fx.Populate(&svc, &create, &uc),
	)
	fxApp.RequireStart()
	t.Cleanup(fxApp.RequireStop)
	return svc, create, uc
}
{%- if r.kind == 'query' %}

func Test${{ r.name }}(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, create, uc := new${{ r.name }}App(t)
	createOne := func(f request.${{ A }}Fields) uuid.UUID {
		t.Helper()
		created, err := create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: f})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		return created.ID
	}

	match := sampleFields()
	other := sampleFields()
{%- for f in r.fields %}
	other.${{ go(f.name) }} = ${{ other(f) }}
{%- endfor %}
	first := createOne(match)
{%- if differs | length %}
	createOne(other)
	second := createOne(match)
	want := []uuid.UUID{first, second}
{%- else %}
	// No filter value can differ (one-value enums): every row matches.
	middle := createOne(other)
	second := createOne(match)
	want := []uuid.UUID{first, middle, second}
{%- endif %}

	// One row per page, so the cursor is followed to the end.
	req := &request.${{ r.name }}{PageSize: 1}
{%- for f in r.fields %}
	req.${{ go(f.name) }} = match.${{ go(f.name) }}
{%- endfor %}
	var got []uuid.UUID
	for page := 0; ; page++ {
		if page > len(want) {
			t.Fatalf("more pages than the %d matching rows", len(want))
		}
		res, err := uc.Execute(ctx, req)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, item := range res.Items {
			got = append(got, item.ID)
{%- for f in r.fields %}
			if item.${{ go(f.name) }} != req.${{ go(f.name) }} {
				t.Errorf("row %s: ${{ f.name }} = %v, want %v", item.ID, item.${{ go(f.name) }}, req.${{ go(f.name) }})
			}
{%- endfor %}
		}
		if !res.HasMore {
			break
		}
		req.Cursor = res.NextCursor
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("${{ r.name }} returned %v, want %v", got, want)
	}

	bad := []struct {
		name string
		in   *request.${{ r.name }}
	}{
		{"a negative page size", &request.${{ r.name }}{PageSize: -1}},
		{"a cursor of no page", &request.${{ r.name }}{Cursor: "not a cursor"}},
{%- for f in enums %}
		{"an unknown ${{ f.name | replace('_', ' ') }}", &request.${{ r.name }}{${{ go(f.name) }}: "no_such_value"}},
{%- endfor %}
	}
	for _, c := range bad {
{%- for f in enums %}
		if c.in.${{ go(f.name) }} == "" {
			c.in.${{ go(f.name) }} = match.${{ go(f.name) }}
		}
{%- endfor %}
		if _, err := uc.Execute(ctx, c.in); grpcCode(err) != codes.InvalidArgument {
			t.Errorf("%s: %v (code %s), want InvalidArgument", c.name, err, grpcCode(err))
		}
	}
}
{%- else %}

func Test${{ r.name }}(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, create, uc := new${{ r.name }}App(t)
	created, err := create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatalf("create: %v", err)
	}

	req := &request.${{ r.name }}{ID: created.ID, Version: created.Version}
{%- for f in r.fields %}
	req.${{ go(f.name) }} = ${{ changed(f) }}
{%- endfor %}
	got, err := uc.Execute(ctx, req)
	if err != nil {
		t.Fatalf("${{ r.name }}: %v", err)
	}
	want := *created
{%- for f in r.fields %}
	want.${{ go(f.name) }} = req.${{ go(f.name) }}
{%- endfor %}
	want.Version = created.Version + 1
	want.UpdatedAt = got.UpdatedAt
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("${{ r.name }} returned\n%+v\nwant\n%+v", got, &want)
	}
	if got.UpdatedAt.Before(created.UpdatedAt) {
		t.Errorf("updated at %v, before the creation's %v", got.UpdatedAt, created.UpdatedAt)
	}
	if read, err := svc.Get(ctx, created.ID); err != nil || !reflect.DeepEqual(read, got) {
		t.Errorf("get after ${{ r.name }} = %+v, %v; want %+v", read, err, got)
	}

	// The version read before the change is stale now.
	if _, err := uc.Execute(ctx, req); grpcCode(err) != codes.Aborted {
		t.Errorf("stale version: %v (code %s), want Aborted", err, grpcCode(err))
	}
	missing := *req
	missing.ID = uuid.New()
	if _, err := uc.Execute(ctx, &missing); grpcCode(err) != codes.NotFound {
		t.Errorf("unknown id: %v (code %s), want NotFound", err, grpcCode(err))
	}
{%- for f in enums %}
	bad${{ loop.index }} := *req
	bad${{ loop.index }}.Version = got.Version
	bad${{ loop.index }}.${{ go(f.name) }} = "no_such_value"
	if _, err := uc.Execute(ctx, &bad${{ loop.index }}); grpcCode(err) != codes.InvalidArgument {
		t.Errorf("an unknown ${{ f.name | replace('_', ' ') }}: %v (code %s), want InvalidArgument", err, grpcCode(err))
	}
{%- endfor %}
}
{%- endif %}
