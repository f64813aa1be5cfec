{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- macro gotype(f) -%}
{%- if f.type == 'enum' -%}valueobject.${{ go(f.name) }}
{%- else -%}${{ '*' if f.optional }}${{ {'string': 'string', 'int': 'int64', 'bool': 'bool', 'money': 'valueobject.Money', 'timestamp': 'time.Time', 'uuid': 'uuid.UUID'}[f.type] }}
{%- endif -%}
{%- endmacro -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% endfor %},{% endset -%}
{%- set needVO = (',money,' in sig) or (',enum,' in sig) or values.hasStateMachine -%}
{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set finals = (values.finalStates or []) if values.hasStateMachine else [] -%}
{%- set names = [] %}{% for f in values.fields %}{% set _ = names.push(go(f.name) | string) %}{% endfor -%}
{%- set w = names | sort(true, false, 'length') | first | length -%}
// Package entity holds the ${{ A }} aggregate root${{ ' and its state machine' if values.hasStateMachine }}.
package entity

import (
	"errors"
	"fmt"
{%- if values.hasStateMachine %}
	"slices"
{%- endif %}
	"strings"
	"time"

	"github.com/google/uuid"

	apperrors "${{ values.pkgModule }}/errors"

	"${{ values.module }}/internal/domain/event"
{%- if needVO %}
	"${{ values.module }}/internal/domain/valueobject"
{%- endif %}
)

// Err${{ A }}NotFound is returned when no ${{ a }} has the requested id.
var Err${{ A }}NotFound = apperrors.New(apperrors.CodeNotFound, "${{ a }} not found")
{%- if values.hasStateMachine %}

// ErrInvalidTransition is the cause of every rejected status transition;
// match it with errors.Is.
var ErrInvalidTransition = errors.New("invalid status transition")
{%- endif %}

// ${{ A }}Fields are the values clients choose when they create or update ${{ an }} ${{ a }}.
// Optional values are pointers${{ ' (enums use their Unspecified value)' if values.fields | selectattr('values') | length }}; nil means absent.
type ${{ A }}Fields struct {
{%- for f in values.fields %}
	${{ pad(go(f.name), w) }} ${{ gotype(f) }}
{%- endfor %}
}

// Validate checks every invariant of f and reports all violations at once.
func (f ${{ A }}Fields) Validate() error {
	var problems []string
{%- for f in values.fields %}
{%- set n = 'f.' + go(f.name) %}
{%- if f.type == 'enum' %}
{%- if f.optional %}
	if ${{ n }} != valueobject.${{ go(f.name) }}Unspecified && !${{ n }}.IsValid() {
		problems = append(problems, "${{ f.name }} is not a valid value")
	}
{%- else %}
	if !${{ n }}.IsValid() {
		problems = append(problems, "${{ f.name }} is required")
	}
{%- endif %}
{%- elif f.type == 'string' and not f.optional %}
	if strings.TrimSpace(${{ n }}) == "" {
		problems = append(problems, "${{ f.name }} is required")
	}
{%- elif f.type == 'uuid' and not f.optional %}
	if ${{ n }} == uuid.Nil {
		problems = append(problems, "${{ f.name }} is required")
	}
{%- elif f.type == 'uuid' %}
	if ${{ n }} != nil && *${{ n }} == uuid.Nil {
		problems = append(problems, "${{ f.name }} must not be the nil UUID")
	}
{%- elif (f.type == 'money' or f.type == 'timestamp') and not f.optional %}
	if ${{ n }}.IsZero() {
		problems = append(problems, "${{ f.name }} is required")
	}
{%- elif f.type == 'money' or f.type == 'timestamp' %}
	if ${{ n }} != nil && ${{ n }}.IsZero() {
		problems = append(problems, "${{ f.name }} must not be zero when set")
	}
{%- endif %}
{%- endfor %}
	if len(problems) > 0 {
		return apperrors.New(apperrors.CodeInvalidArgument, "invalid ${{ a }}: "+strings.Join(problems, "; "))
	}
	return nil
}

// clone returns a deep copy of f, so callers never share pointers with an entity.
func (f ${{ A }}Fields) clone() ${{ A }}Fields {
	c := f
{%- for f in values.fields %}{% if f.optional and f.type != 'enum' %}
	if f.${{ go(f.name) }} != nil {
		v := *f.${{ go(f.name) }}
		c.${{ go(f.name) }} = &v
	}
{%- endif %}{% endfor %}
	return c
}

// ${{ A }} is the aggregate root. Its fields are unexported: create it with
// New${{ A }}, change it through its methods, and rebuild it from storage with
// Unmarshal${{ A }}FromDB.
type ${{ A }} struct {
	id        uuid.UUID
	fields    ${{ A }}Fields
{%- if values.hasStateMachine %}
	status    valueobject.Status
{%- endif %}
	version   int64
	createdAt time.Time
	updatedAt time.Time
	events    []event.Event
}

// New${{ A }} validates fields and returns a new ${{ a }} with a time-ordered id
{%- if values.hasStateMachine %}, in
// status ${{ values.states[0] }}{% endif %}, created at now. It records a ${{ A }}Created event.
func New${{ A }}(fields ${{ A }}Fields, now time.Time) (*${{ A }}, error) {
	if err := fields.Validate(); err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new ${{ a }} id: %w", err)
	}
	now = normalize(now)
	e := &${{ A }}{
		id:        id,
		fields:    fields.clone(),
{%- if values.hasStateMachine %}
		status:    valueobject.Status${{ go(values.states[0]) }},
{%- endif %}
		version:   1,
		createdAt: now,
		updatedAt: now,
	}
	e.record(event.${{ A }}Created{${{ A }}ID: id, At: now})
	return e, nil
}

// Unmarshal${{ A }}FromDB rebuilds ${{ an }} ${{ a }} from stored values. Only the
// persistence adapter calls it; it rejects rows that break an invariant.
func Unmarshal${{ A }}FromDB(id uuid.UUID, fields ${{ A }}Fields, {% if values.hasStateMachine %}status valueobject.Status, {% endif %}version int64, createdAt, updatedAt time.Time) (*${{ A }}, error) {
	if id == uuid.Nil {
		return nil, errors.New("unmarshal ${{ a }}: nil id")
	}
	if version < 1 {
		return nil, fmt.Errorf("unmarshal ${{ a }} %s: version %d is not positive", id, version)
	}
	if err := fields.Validate(); err != nil {
		return nil, fmt.Errorf("unmarshal ${{ a }} %s: %w", id, err)
	}
{%- if values.hasStateMachine %}
	if !status.IsValid() {
		return nil, fmt.Errorf("unmarshal ${{ a }} %s: invalid status %d", id, status)
	}
{%- endif %}
	return &${{ A }}{id: id, fields: fields.clone(), {% if values.hasStateMachine %}status: status, {% endif %}version: version, createdAt: createdAt.UTC(), updatedAt: updatedAt.UTC()}, nil
}

// ID returns the identifier.
func (e *${{ A }}) ID() uuid.UUID { return e.id }

// Fields returns a copy of the client-chosen values.
func (e *${{ A }}) Fields() ${{ A }}Fields { return e.fields.clone() }
{%- if values.hasStateMachine %}

// Status returns the current status.
func (e *${{ A }}) Status() valueobject.Status { return e.status }
{%- endif %}

// Version returns the version: 1 at creation, incremented by every change.
// Clients send back the version they read to update or delete (optimistic
// concurrency).
func (e *${{ A }}) Version() int64 { return e.version }

// CheckVersion returns an ABORTED error unless want is the current version.
func (e *${{ A }}) CheckVersion(want int64) error {
	if want != e.version {
		return apperrors.New(apperrors.CodeAborted,
			fmt.Sprintf("${{ a }} %s is at version %d, not %d: it changed since it was read; read it again", e.id, e.version, want))
	}
	return nil
}
{%- if finals | length %}

// IsFinal reports whether the status is final ({% for s in finals %}${{ s }}${{ ', ' if not loop.last }}{% endfor %}): the
// ${{ a }} can then no longer be updated or deleted.
func (e *${{ A }}) IsFinal() bool {
	switch e.status {
	case {% for s in finals %}valueobject.Status${{ go(s) }}${{ ', ' if not loop.last }}{% endfor %}:
		return true
	}
	return false
}

// CheckDeletable returns a FAILED_PRECONDITION error in a final status.
func (e *${{ A }}) CheckDeletable() error { return e.checkChangeable("delete") }

func (e *${{ A }}) checkChangeable(op string) error {
	if e.IsFinal() {
		return apperrors.New(apperrors.CodeFailedPrecondition,
			fmt.Sprintf("cannot %s ${{ a }} %s: it is %s, a final status", op, e.id, e.status))
	}
	return nil
}
{%- endif %}

// CreatedAt returns the creation time (UTC, microsecond precision).
func (e *${{ A }}) CreatedAt() time.Time { return e.createdAt }

// UpdatedAt returns the time of the last change (UTC, microsecond precision).
func (e *${{ A }}) UpdatedAt() time.Time { return e.updatedAt }

// Update validates fields and replaces the client-chosen values{% if finals | length %}; a
// ${{ a }} in a final status refuses it{% endif %}.
func (e *${{ A }}) Update(fields ${{ A }}Fields, now time.Time) error {
{%- if finals | length %}
	if err := e.checkChangeable("update"); err != nil {
		return err
	}
{%- endif %}
	if err := fields.Validate(); err != nil {
		return err
	}
	e.fields = fields.clone()
	e.touch(now)
	return nil
}

// touch records a change: the update time and the next version.
func (e *${{ A }}) touch(now time.Time) {
	e.updatedAt = normalize(now)
	e.version++
}
{%- if values.hasStateMachine %}
{%- for name, items in values.transitions | groupby("name") %}

// ${{ go(name) }} moves the ${{ a }} from {% for t in items %}${{ t.from }}${{ ' or ' if not loop.last }}{% endfor %} to ${{ items[0].to }}.
func (e *${{ A }}) ${{ go(name) }}(now time.Time) error {
	return e.transition("${{ name }}", valueobject.Status${{ go(items[0].to) }}, now{% for t in items %}, valueobject.Status${{ go(t.from) }}{% endfor %})
}
{%- endfor %}

// Apply runs the transition named name (for example "${{ values.transitions[0].name }}").
func (e *${{ A }}) Apply(name string, now time.Time) error {
	switch name {
{%- for name, items in values.transitions | groupby("name") %}
	case "${{ name }}":
		return e.${{ go(name) }}(now)
{%- endfor %}
	}
	return apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("unknown ${{ a }} transition %q", name))
}

func (e *${{ A }}) transition(name string, to valueobject.Status, now time.Time, from ...valueobject.Status) error {
	if !slices.Contains(from, e.status) {
		return apperrors.Wrap(apperrors.CodeFailedPrecondition,
			fmt.Sprintf("cannot %s ${{ a }} %s in status %s", name, e.id, e.status), ErrInvalidTransition)
	}
	previous := e.status
	e.status = to
	e.touch(now)
	e.record(event.${{ A }}StatusChanged{${{ A }}ID: e.id, Transition: name, From: previous.String(), To: to.String(), At: e.updatedAt})
	return nil
}
{%- endif %}

// PullEvents returns the domain events recorded since the last call and forgets them.
func (e *${{ A }}) PullEvents() []event.Event {
	events := e.events
	e.events = nil
	return events
}

func (e *${{ A }}) record(ev event.Event) { e.events = append(e.events, ev) }

// normalize keeps times in UTC at PostgreSQL's microsecond precision, so a
// stored and reloaded ${{ a }} compares equal.
func normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
