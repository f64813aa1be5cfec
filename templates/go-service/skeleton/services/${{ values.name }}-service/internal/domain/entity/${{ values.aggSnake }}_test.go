{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro sample(f) -%}
{%- if f.type == 'enum' -%}valueobject.${{ go(f.name) }}${{ go(f.values[0]) }}
{%- else -%}
{%- set v = {'string': '"sample ' + f.name | replace('_', ' ') + '"', 'int': 'int64(42)', 'bool': 'true', 'money': 'testMoney(t)', 'timestamp': 'testTime', 'uuid': 'uuid.New()'}[f.type] -%}
${{ ('mapper.Ptr(' + v + ')') if f.optional else v }}
{%- endif -%}
{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% if f.optional %}?{% endif %}{% endfor %},{% endset -%}
{%- set hasOpt = '?' in sig -%}
{%- set hasMoney = ',money' in sig -%}
{%- set hasTime = ',timestamp' in sig -%}
{%- set fromInitial = [] %}{% for t in values.transitions %}{% if t.from == values.states[0] %}{% set _ = fromInitial.push(t) %}{% endif %}{% endfor -%}
{%- set firstRequired = [] %}{% for f in values.fields %}{% if not f.optional %}{% set _ = firstRequired.push(f) %}{% endif %}{% endfor -%}
package entity_test

import (
{%- if values.hasStateMachine and (values.transitions | length) %}
	"errors"
{%- endif %}
	"testing"
	"time"

	"github.com/google/uuid"

	apperrors "${{ values.pkgModule }}/errors"
{%- if hasOpt %}
	"${{ values.pkgModule }}/mapper"
{%- endif %}

	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/internal/domain/event"
{%- if hasMoney or (',enum' in sig) or values.hasStateMachine %}
	"${{ values.module }}/internal/domain/valueobject"
{%- endif %}
)
{%- if hasTime %}

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
{%- endif %}
{%- if hasMoney %}

func testMoney(t *testing.T) valueobject.Money {
	t.Helper()
	m, err := valueobject.NewMoney("USD", 12, 500_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
{%- endif %}

func validFields(t *testing.T) entity.${{ A }}Fields {
	t.Helper()
	var f entity.${{ A }}Fields
{%- for f in values.fields %}
	f.${{ go(f.name) }} = ${{ sample(f) }}
{%- endfor %}
	return f
}

func TestNew${{ A }}(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.FixedZone("UTC+2", 2*60*60))
	e, err := entity.New${{ A }}(validFields(t), now)
	if err != nil {
		t.Fatalf("New${{ A }}: %v", err)
	}
	if e.ID() == uuid.Nil || e.ID().Version() != 7 {
		t.Errorf("id %s is not a UUIDv7", e.ID())
	}
	if want := now.UTC().Truncate(time.Microsecond); !e.CreatedAt().Equal(want) || e.CreatedAt().Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v in UTC", e.CreatedAt(), want)
	}
{%- if values.hasStateMachine %}
	if e.Status() != valueobject.Status${{ go(values.states[0]) }} {
		t.Errorf("Status = %s, want ${{ values.states[0] }}", e.Status())
	}
{%- endif %}
	events := e.PullEvents()
	if len(events) != 1 || events[0].EventType() != "${{ values.aggSnake }}.created" || events[0].AggregateID() != e.ID() {
		t.Errorf("events = %#v, want one ${{ values.aggSnake }}.created", events)
	}
	if len(e.PullEvents()) != 0 {
		t.Error("PullEvents did not forget the events")
	}
	var _ event.Event = event.${{ A }}Created{}
}

func TestNew${{ A }}RejectsInvalidFields(t *testing.T) {
	t.Parallel()
	_, err := entity.New${{ A }}(entity.${{ A }}Fields{}, time.Now())
{%- if firstRequired | length %}
	if apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
		t.Fatalf("New${{ A }}(zero fields) error = %v, want INVALID_ARGUMENT", err)
	}
{%- else %}
	if err != nil {
		t.Fatalf("every field is optional, yet New${{ A }}(zero fields) failed: %v", err)
	}
{%- endif %}
}

func TestUpdateKeepsIdentity(t *testing.T) {
	t.Parallel()
	e, err := entity.New${{ A }}(validFields(t), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	later := e.CreatedAt().Add(time.Hour)
	if err := e.Update(validFields(t), later); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if !e.UpdatedAt().Equal(later) || e.CreatedAt().Equal(later) {
		t.Errorf("UpdatedAt = %v, CreatedAt = %v after an update at %v", e.UpdatedAt(), e.CreatedAt(), later)
	}
{%- if firstRequired | length %}
	if err := e.Update(entity.${{ A }}Fields{}, later); apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
		t.Errorf("Update(zero fields) error = %v, want INVALID_ARGUMENT", err)
	}
{%- endif %}
}
{%- if values.hasStateMachine and (values.transitions | length) %}

func TestTransitions(t *testing.T) {
	t.Parallel()
	e, err := entity.New${{ A }}(validFields(t), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.PullEvents()
{%- if fromInitial | length %}
	if err := e.Apply("${{ fromInitial[0].name }}", time.Now()); err != nil {
		t.Fatalf("${{ fromInitial[0].name }} from ${{ values.states[0] }}: %v", err)
	}
	if e.Status() != valueobject.Status${{ go(fromInitial[0].to) }} {
		t.Errorf("Status = %s, want ${{ fromInitial[0].to }}", e.Status())
	}
	if events := e.PullEvents(); len(events) != 1 || events[0].EventType() != "${{ values.aggSnake }}.status_changed" {
		t.Errorf("events = %#v, want one status_changed", events)
	}
	err = e.Apply("${{ fromInitial[0].name }}", time.Now())
{%- else %}
	err = e.Apply("${{ values.transitions[0].name }}", time.Now())
{%- endif %}
	if !errors.Is(err, entity.ErrInvalidTransition) || apperrors.CodeOf(err) != apperrors.CodeFailedPrecondition {
		t.Errorf("invalid transition error = %v, want ErrInvalidTransition with FAILED_PRECONDITION", err)
	}
	if err := e.Apply("no_such_transition", time.Now()); apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
		t.Errorf("unknown transition error = %v, want INVALID_ARGUMENT", err)
	}
}
{%- endif %}
