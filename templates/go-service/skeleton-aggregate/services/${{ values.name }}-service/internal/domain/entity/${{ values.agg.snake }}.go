{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set names = [] %}{% for f in g.fields %}{% set _ = names.push(go(f.name) | string) %}{% endfor -%}
{%- set w = names | sort(true, false, 'length') | first | length -%}
{%- set sig %}{% for f in g.fields %},${{ f.type }}{% endfor %},{% endset -%}
{%- set checked = (',string,' in sig) or (',uuid,' in sig) or (',timestamp,' in sig) -%}
package entity

import (
	"fmt"
{%- if checked %}
	"strings"
{%- endif %}
	"time"

	"github.com/google/uuid"

	apperrors "${{ values.pkgModule }}/errors"
)

// Err${{ A }}NotFound is returned when no ${{ a }} has the requested id.
var Err${{ A }}NotFound = apperrors.New(apperrors.CodeNotFound, "${{ a }} not found")

// ${{ A }}Fields are the values clients choose when they create ${{ an }} ${{ a }}.
type ${{ A }}Fields struct {
{%- for f in g.fields %}
	${{ pad(go(f.name), w) }} ${{ {'string': 'string', 'int': 'int64', 'bool': 'bool', 'timestamp': 'time.Time', 'uuid': 'uuid.UUID'}[f.type] }}
{%- endfor %}
}

// Validate checks every invariant of f and reports all violations at once
// (INVALID_ARGUMENT).
func (f ${{ A }}Fields) Validate() error {
{%- if checked %}
	var problems []string
{%- for f in g.fields %}
{%- set n = 'f.' + go(f.name) %}
{%- if f.type == 'string' %}
	if strings.TrimSpace(${{ n }}) == "" {
		problems = append(problems, "${{ f.name }} is required")
	}
{%- elif f.type == 'uuid' %}
	if ${{ n }} == uuid.Nil {
		problems = append(problems, "${{ f.name }} is required")
	}
{%- elif f.type == 'timestamp' %}
	if ${{ n }}.IsZero() {
		problems = append(problems, "${{ f.name }} is required")
	}
{%- endif %}
{%- endfor %}
	if len(problems) > 0 {
		return apperrors.New(apperrors.CodeInvalidArgument, "invalid ${{ a }}: "+strings.Join(problems, "; "))
	}
{%- endif %}
	return nil
}

// ${{ A }} is an aggregate root. Its fields are unexported: create it with
// New${{ A }} and rebuild it from storage with Unmarshal${{ A }}FromDB.
type ${{ A }} struct {
	id        uuid.UUID
	fields    ${{ A }}Fields
	version   int64
	createdAt time.Time
	updatedAt time.Time
}

// New${{ A }} validates fields and returns a new ${{ a }} with a time-ordered id,
// at version 1, created at now.
func New${{ A }}(fields ${{ A }}Fields, now time.Time) (*${{ A }}, error) {
	if err := fields.Validate(); err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new ${{ a }} id: %w", err)
	}
	// PostgreSQL keeps microseconds: the stored ${{ a }} equals the returned one.
	now = now.UTC().Truncate(time.Microsecond)
{%- for f in g.fields %}{% if f.type == 'timestamp' %}
	fields.${{ go(f.name) }} = fields.${{ go(f.name) }}.UTC().Truncate(time.Microsecond)
{%- endif %}{% endfor %}
	return &${{ A }}{id: id, fields: fields, version: 1, createdAt: now, updatedAt: now}, nil
}

// Unmarshal${{ A }}FromDB rebuilds ${{ an }} ${{ a }} from a stored row; a row that breaks an
// invariant is an error, never an aggregate.
func Unmarshal${{ A }}FromDB(id uuid.UUID, fields ${{ A }}Fields, version int64, createdAt, updatedAt time.Time) (*${{ A }}, error) {
	if id == uuid.Nil {
		return nil, fmt.Errorf("stored ${{ a }} has the nil id")
	}
	if version < 1 {
		return nil, fmt.Errorf("stored ${{ a }} %s has version %d", id, version)
	}
	if err := fields.Validate(); err != nil {
		return nil, fmt.Errorf("stored ${{ a }} %s: %w", id, err)
	}
	return &${{ A }}{id: id, fields: fields, version: version, createdAt: createdAt.UTC(), updatedAt: updatedAt.UTC()}, nil
}

// ID is the ${{ a }}'s identifier.
func (e *${{ A }}) ID() uuid.UUID { return e.id }

// Fields returns the client-chosen values.
func (e *${{ A }}) Fields() ${{ A }}Fields { return e.fields }

// Version is 1 at creation and incremented by every change. Clients send
// back the version they read to update (optimistic concurrency).
func (e *${{ A }}) Version() int64 { return e.version }

// CheckVersion returns an ABORTED error unless want is the current version.
func (e *${{ A }}) CheckVersion(want int64) error {
	if want != e.version {
		return apperrors.New(apperrors.CodeAborted,
			fmt.Sprintf("${{ a }} %s is at version %d, not %d: it changed since it was read; read it again", e.id, e.version, want))
	}
	return nil
}

// Update validates fields and replaces the client-chosen values: the update
// time becomes now and the version the next one.
func (e *${{ A }}) Update(fields ${{ A }}Fields, now time.Time) error {
	if err := fields.Validate(); err != nil {
		return err
	}
{%- for f in g.fields %}{% if f.type == 'timestamp' %}
	fields.${{ go(f.name) }} = fields.${{ go(f.name) }}.UTC().Truncate(time.Microsecond)
{%- endif %}{% endfor %}
	e.fields = fields
	e.updatedAt = now.UTC().Truncate(time.Microsecond)
	e.version++
	return nil
}

// CreatedAt is when the ${{ a }} was created.
func (e *${{ A }}) CreatedAt() time.Time { return e.createdAt }

// UpdatedAt is when the ${{ a }} was last changed.
func (e *${{ A }}) UpdatedAt() time.Time { return e.updatedAt }
