{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set checked = [] %}{% for f in g.fields %}{% if f.type in ['string', 'uuid', 'timestamp'] %}{% set _ = checked.push(f) %}{% endif %}{% endfor -%}
package entity_test

import (
{%- if checked | length %}
	"strings"
{%- endif %}
	"testing"
	"time"

	"github.com/google/uuid"

	apperrors "${{ values.pkgModule }}/errors"

	"${{ values.module }}/internal/domain/entity"
)

func sample${{ A }}Fields() entity.${{ A }}Fields {
	var f entity.${{ A }}Fields
{%- for f in g.fields %}
	f.${{ go(f.name) }} = ${{ {'string': '"sample ' + f.name | replace('_', ' ') + '"', 'int': 'int64(42)', 'bool': 'true', 'uuid': 'uuid.New()', 'timestamp': 'time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC)'}[f.type] }}
{%- endfor %}
	return f
}

func TestNew${{ A }}(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 891, time.FixedZone("CET", 3600))
	f := sample${{ A }}Fields()
	e, err := entity.New${{ A }}(f, now)
	if err != nil {
		t.Fatalf("New${{ A }}: %v", err)
	}
	if e.ID() == uuid.Nil || e.ID().Version() != 7 {
		t.Errorf("id %s is not a UUIDv7", e.ID())
	}
	if e.Version() != 1 {
		t.Errorf("version = %d, want 1", e.Version())
	}
	want := now.UTC().Truncate(time.Microsecond)
	if !e.CreatedAt().Equal(want) || !e.UpdatedAt().Equal(want) || e.CreatedAt().Location() != time.UTC {
		t.Errorf("created %v, updated %v, want %v in UTC", e.CreatedAt(), e.UpdatedAt(), want)
	}
{%- for f in g.fields %}
{%- if f.type == 'timestamp' %}
	if !e.Fields().${{ go(f.name) }}.Equal(f.${{ go(f.name) }}.Truncate(time.Microsecond)) {
		t.Errorf("${{ f.name }} = %v, want %v to the microsecond", e.Fields().${{ go(f.name) }}, f.${{ go(f.name) }})
	}
{%- else %}
	if e.Fields().${{ go(f.name) }} != f.${{ go(f.name) }} {
		t.Errorf("${{ f.name }} = %v, want %v", e.Fields().${{ go(f.name) }}, f.${{ go(f.name) }})
	}
{%- endif %}
{%- endfor %}
	other, err := entity.New${{ A }}(f, now)
	if err != nil {
		t.Fatal(err)
	}
	if other.ID() == e.ID() {
		t.Error("two ${{ a }}s got the same id")
	}
}
{%- if checked | length %}

func TestNew${{ A }}RefusesBrokenInvariants(t *testing.T) {
	t.Parallel()
	var empty entity.${{ A }}Fields
	_, err := entity.New${{ A }}(empty, time.Now())
	if err == nil {
		t.Fatal("a ${{ a }} without its required fields was created")
	}
	if got := apperrors.CodeOf(err); got != apperrors.CodeInvalidArgument {
		t.Errorf("code = %s, want INVALID_ARGUMENT", got)
	}
	// Every violation is reported at once.
	for _, want := range []string{{% for f in checked %}"${{ f.name }} is required"${{ ', ' if not loop.last }}{% endfor %}} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err.Error(), want)
		}
	}
{%- for f in checked %}
	{
		f := sample${{ A }}Fields()
{%- if f.type == 'string' %}
		f.${{ go(f.name) }} = "   "
{%- elif f.type == 'uuid' %}
		f.${{ go(f.name) }} = uuid.Nil
{%- else %}
		f.${{ go(f.name) }} = time.Time{}
{%- endif %}
		if _, err := entity.New${{ A }}(f, time.Now()); err == nil || !strings.Contains(err.Error(), "${{ f.name }} is required") {
			t.Errorf("without ${{ f.name | replace('_', ' ') }}: %v", err)
		}
	}
{%- endfor %}
}
{%- endif %}

func Test${{ A }}Update(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	e, err := entity.New${{ A }}(sample${{ A }}Fields(), created)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.CheckVersion(1); err != nil {
		t.Errorf("CheckVersion(1) of a new ${{ a }}: %v", err)
	}
	if got := apperrors.CodeOf(e.CheckVersion(2)); got != apperrors.CodeAborted {
		t.Errorf("CheckVersion(2) of a new ${{ a }}: code %s, want ABORTED", got)
	}
	f := sample${{ A }}Fields()
{%- for f in g.fields %}
	f.${{ go(f.name) }} = ${{ {'string': '"changed ' + f.name | replace('_', ' ') + '"', 'int': 'int64(7)', 'bool': 'false', 'uuid': 'uuid.New()', 'timestamp': 'time.Date(2031, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CET", 3600))'}[f.type] }}
{%- endfor %}
	later := created.Add(time.Hour + 321)
	if err := e.Update(f, later); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if e.Version() != 2 || !e.UpdatedAt().Equal(later.Truncate(time.Microsecond)) || !e.CreatedAt().Equal(created) {
		t.Errorf("after Update: version %d, updated %v, created %v", e.Version(), e.UpdatedAt(), e.CreatedAt())
	}
{%- for f in g.fields %}
{%- if f.type == 'timestamp' %}
	if got := e.Fields().${{ go(f.name) }}; !got.Equal(f.${{ go(f.name) }}.Truncate(time.Microsecond)) || got.Location() != time.UTC {
		t.Errorf("${{ f.name }} = %v, want %v in UTC to the microsecond", got, f.${{ go(f.name) }})
	}
{%- else %}
	if e.Fields().${{ go(f.name) }} != f.${{ go(f.name) }} {
		t.Errorf("${{ f.name }} = %v, want %v", e.Fields().${{ go(f.name) }}, f.${{ go(f.name) }})
	}
{%- endif %}
{%- endfor %}
{%- if checked | length %}
	// A change that breaks an invariant leaves the ${{ a }} as it was.
	if err := e.Update(entity.${{ A }}Fields{}, later.Add(time.Hour)); apperrors.CodeOf(err) != apperrors.CodeInvalidArgument {
		t.Errorf("Update without the required fields: %v, want INVALID_ARGUMENT", err)
	}
	if e.Version() != 2 {
		t.Errorf("a refused Update changed the version to %d", e.Version())
	}
{%- endif %}
}

func TestUnmarshal${{ A }}FromDB(t *testing.T) {
	t.Parallel()
	now := time.Now()
	id := uuid.Must(uuid.NewV7())
	e, err := entity.Unmarshal${{ A }}FromDB(id, sample${{ A }}Fields(), 3, now, now)
	if err != nil {
		t.Fatalf("a valid row: %v", err)
	}
	if e.ID() != id || e.Version() != 3 {
		t.Errorf("got %s at version %d", e.ID(), e.Version())
	}
	if _, err := entity.Unmarshal${{ A }}FromDB(uuid.Nil, sample${{ A }}Fields(), 1, now, now); err == nil {
		t.Error("a row with the nil id was accepted")
	}
	if _, err := entity.Unmarshal${{ A }}FromDB(id, sample${{ A }}Fields(), 0, now, now); err == nil {
		t.Error("a row at version 0 was accepted")
	}
{%- if checked | length %}
	if _, err := entity.Unmarshal${{ A }}FromDB(id, entity.${{ A }}Fields{}, 1, now, now); err == nil {
		t.Error("a row without its required fields was accepted")
	}
{%- endif %}
}
