{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro sample(f) -%}
{%- if f.type == 'enum' -%}"${{ f.values[0] }}"
{%- elif f.type == 'money' -%}${{ '&' if f.optional }}request.Money{CurrencyCode: "USD", Units: 12, Nanos: 500_000_000}
{%- else -%}
{%- set v = {'string': '"sample ' + f.name | replace('_', ' ') + '"', 'int': 'int64(42)', 'bool': 'true', 'timestamp': 'testTime', 'uuid': 'uuid.New()'}[f.type] -%}
${{ ('mapper.Ptr(' + v + ')') if f.optional else v }}
{%- endif -%}
{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set P = values.aggPlural -%}
{%- set async = values.stage == 'async' -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% if f.optional %}?{% endif %}{% endfor %},{% endset -%}
{%- set hasOpt = '?' in sig -%}
{%- set fromInitial = [] %}{% for t in values.transitions %}{% if t.from == values.states[0] %}{% set _ = fromInitial.push(t) %}{% endif %}{% endfor -%}
{%- set firstRequired = [] %}{% for f in values.fields %}{% if not f.optional %}{% set _ = firstRequired.push(f) %}{% endif %}{% endfor -%}
{%- set sm = values.hasStateMachine and (values.transitions | length) -%}
{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- set w = 10 if sm else (8 if async else 6) -%}
// Package integration exercises the repository and the use cases against a
// real PostgreSQL database (a fresh one per test, migrations applied).
package integration

import (
	"context"
	"errors"
	"reflect"
	"testing"
{%- if ',timestamp' in sig %}
	"time"
{%- endif %}

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/database"
{%- if hasOpt %}
	"${{ values.pkgModule }}/mapper"
{%- endif %}
	"${{ values.pkgModule }}/middleware/grpc/interceptor"
{% if async %}
	"${{ values.module }}/internal/adapter/inbound/consumer"
{%- endif %}
	"${{ values.module }}/internal/adapter/outbound/persistence"
{%- if async %}
	"${{ values.module }}/internal/adapter/outbound/publisher"
{%- endif %}
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/application/service"
	"${{ values.module }}/internal/application/usecase/${{ values.aggLower }}uc"
	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/tests/testdb"
)
{%- if ',timestamp' in sig %}

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 678000000, time.UTC)
{%- endif %}

type app struct {
	${{ pad('pool', w) }} *pgxpool.Pool
	${{ pad('svc', w) }} service.${{ A }}Service
	${{ pad('create', w) }} input.Create${{ A }}UseCase
	${{ pad('remove', w) }} input.Delete${{ A }}UseCase
{%- if sm %}
	${{ pad('transition', w) }} input.Transition${{ A }}UseCase
{%- endif %}
{%- if async %}
	${{ pad('commands', w) }} *consumer.CommandHandler
{%- endif %}
}

// newApp wires the application layer and the persistence adapter with Fx,
// exactly as the service does, over a fresh database.
func newApp(t *testing.T) *app {
	t.Helper()
	pool, _ := testdb.New(t)
	a := &app{pool: pool}
	fxApp := fxtest.New(t,
		fx.Supply(pool, zap.NewNop()),
		fx.Provide(fx.Annotate(database.NewTxManager, fx.As(new(output.TxManager)))),
		persistence.Module(),
{%- if async %}
		publisher.Module(),
{%- endif %}
		service.Module(),
		${{ values.aggLower }}uc.Module(),
{%- if async %}
		consumer.Module(),
{%- endif %}
		fx.Populate(&a.svc, &a.create, &a.remove{% if sm %}, &a.transition{% endif %}{% if async %}, &a.commands{% endif %}),
	)
	fxApp.RequireStart()
	t.Cleanup(fxApp.RequireStop)
	return a
}

func sampleFields() request.${{ A }}Fields {
	var f request.${{ A }}Fields
{%- for f in values.fields %}
	f.${{ go(f.name) }} = ${{ sample(f) }}
{%- endfor %}
	return f
}

func grpcCode(err error) codes.Code { return status.Code(interceptor.ToStatus(err)) }

func TestCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)

	created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
{%- if values.hasStateMachine %}
	if created.Status != "${{ values.states[0] }}" {
		t.Errorf("status = %q, want ${{ values.states[0] }}", created.Status)
	}
{%- endif %}
	got, err := a.svc.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if !reflect.DeepEqual(got, created) {
		t.Errorf("get returned\n%+v\nwant\n%+v", got, created)
	}

	changed := sampleFields()
	updated, err := a.svc.Update(ctx, &request.Update${{ A }}{ID: created.ID, ${{ A }}Fields: changed})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if !updated.UpdatedAt.After(created.UpdatedAt) || !updated.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("update timestamps: created %v/%v, updated %v/%v", created.CreatedAt, created.UpdatedAt, updated.CreatedAt, updated.UpdatedAt)
	}
	if got, err = a.svc.Get(ctx, created.ID); err != nil || !reflect.DeepEqual(got, updated) {
		t.Errorf("get after update = %+v, %v; want %+v", got, err, updated)
	}

	if err := a.svc.Delete(ctx, created.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = a.svc.Get(ctx, created.ID)
	if !errors.Is(err, entity.Err${{ A }}NotFound) || grpcCode(err) != codes.NotFound {
		t.Errorf("get after delete: %v (code %s), want NotFound", err, grpcCode(err))
	}
	if err := a.svc.Delete(ctx, created.ID); grpcCode(err) != codes.NotFound {
		t.Errorf("second delete: %v, want NotFound", err)
	}
}

func TestNotFoundAndInvalidInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	missing := uuid.New()
	if _, err := a.svc.Get(ctx, missing); grpcCode(err) != codes.NotFound {
		t.Errorf("get missing: %v, want NotFound", err)
	}
	if _, err := a.svc.Update(ctx, &request.Update${{ A }}{ID: missing, ${{ A }}Fields: sampleFields()}); grpcCode(err) != codes.NotFound {
		t.Errorf("update missing: %v, want NotFound", err)
	}
{%- if firstRequired | length %}
	if _, err := a.create.Execute(ctx, &request.Create${{ A }}{}); grpcCode(err) != codes.InvalidArgument {
		t.Errorf("create with zero fields: %v, want InvalidArgument", err)
	}
{%- endif %}
	if _, err := a.svc.List(ctx, &request.List${{ P }}{Cursor: "not a cursor"}); grpcCode(err) != codes.InvalidArgument {
		t.Errorf("list with a bad cursor: %v, want InvalidArgument", err)
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	var want []uuid.UUID
	for range 5 {
		created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, created.ID)
	}
	var got []uuid.UUID
	cursor, pages := "", 0
	for {
		page, err := a.svc.List(ctx, &request.List${{ P }}{PageSize: 2, Cursor: cursor})
		if err != nil {
			t.Fatalf("list page %d: %v", pages+1, err)
		}
		pages++
		for _, item := range page.Items {
			got = append(got, item.ID)
		}
		if !page.HasMore {
			break
		}
		cursor = page.NextCursor
	}
	if pages != 3 || !reflect.DeepEqual(got, want) {
		t.Errorf("listed %v in %d pages, want %v in 3 pages (creation order)", got, pages, want)
	}
}
{%- if sm %}

func TestTransitions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
{%- if fromInitial | length %}
	moved, err := a.transition.Execute(ctx, &request.Transition${{ A }}{ID: created.ID, Transition: "${{ fromInitial[0].name }}"})
	if err != nil {
		t.Fatalf("${{ fromInitial[0].name }}: %v", err)
	}
	if moved.Status != "${{ fromInitial[0].to }}" {
		t.Errorf("status after ${{ fromInitial[0].name }} = %q, want ${{ fromInitial[0].to }}", moved.Status)
	}
	if got, err := a.svc.Get(ctx, created.ID); err != nil || got.Status != "${{ fromInitial[0].to }}" {
		t.Errorf("stored status = %+v, %v; want ${{ fromInitial[0].to }}", got, err)
	}
	_, err = a.transition.Execute(ctx, &request.Transition${{ A }}{ID: created.ID, Transition: "${{ fromInitial[0].name }}"})
{%- else %}
	_, err = a.transition.Execute(ctx, &request.Transition${{ A }}{ID: created.ID, Transition: "${{ values.transitions[0].name }}"})
{%- endif %}
	if !errors.Is(err, entity.ErrInvalidTransition) || grpcCode(err) != codes.FailedPrecondition {
		t.Errorf("invalid transition: %v (code %s), want FailedPrecondition", err, grpcCode(err))
	}
	if _, err := a.transition.Execute(ctx, &request.Transition${{ A }}{ID: uuid.New(), Transition: "${{ values.transitions[0].name }}"}); grpcCode(err) != codes.NotFound {
		t.Errorf("transition of a missing ${{ values.aggSnake | replace('_', ' ') }}: %v, want NotFound", err)
	}
}
{%- endif %}
