{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set idName = A + 'ID' -%}
// Package event defines the domain events of the ${{ A }} aggregate. EventType
// and Version are the contract with consumers: change a payload incompatibly
// only together with a new Version.
package event

import (
	"time"

	"github.com/google/uuid"
)

// Event is something that happened to an aggregate.
type Event interface {
	// EventType names the event, for example "${{ values.aggSnake }}.created".
	EventType() string
	// Version is the schema version of the payload.
	Version() int
	// AggregateID identifies the aggregate the event belongs to.
	AggregateID() uuid.UUID
	// OccurredAt is when it happened (UTC).
	OccurredAt() time.Time
}

// ${{ A }}Created is recorded when ${{ an }} ${{ a }} is created.
type ${{ A }}Created struct {
	${{ idName }} uuid.UUID
	${{ pad('At', idName | length) }} time.Time
}

// EventType implements Event.
func (${{ A }}Created) EventType() string { return "${{ values.aggSnake }}.created" }

// Version implements Event.
func (${{ A }}Created) Version() int { return 1 }

// AggregateID implements Event.
func (e ${{ A }}Created) AggregateID() uuid.UUID { return e.${{ idName }} }

// OccurredAt implements Event.
func (e ${{ A }}Created) OccurredAt() time.Time { return e.At }
{%- if values.hasStateMachine %}
{%- set w = [idName | length, 10] | sort | last %}

// ${{ A }}StatusChanged is recorded by every status transition.
type ${{ A }}StatusChanged struct {
	${{ pad(idName, w) }} uuid.UUID
	${{ pad('Transition', w) }} string
	${{ pad('From', w) }} string
	${{ pad('To', w) }} string
	${{ pad('At', w) }} time.Time
}

// EventType implements Event.
func (${{ A }}StatusChanged) EventType() string { return "${{ values.aggSnake }}.status_changed" }

// Version implements Event.
func (${{ A }}StatusChanged) Version() int { return 1 }

// AggregateID implements Event.
func (e ${{ A }}StatusChanged) AggregateID() uuid.UUID { return e.${{ idName }} }

// OccurredAt implements Event.
func (e ${{ A }}StatusChanged) OccurredAt() time.Time { return e.At }
{%- endif %}
