{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set idName = A + 'ID' -%}
package event

import (
	"time"

	"github.com/google/uuid"
)

// ${{ A }}Updated is recorded when the fields of ${{ an }} ${{ a }} are updated.
type ${{ A }}Updated struct {
	${{ idName }} uuid.UUID
	${{ pad('At', idName | length) }} time.Time
}

// EventType implements Event.
func (${{ A }}Updated) EventType() string { return "${{ values.aggSnake }}.updated" }

// Version implements Event.
func (${{ A }}Updated) Version() int { return 1 }

// AggregateID implements Event.
func (e ${{ A }}Updated) AggregateID() uuid.UUID { return e.${{ idName }} }

// OccurredAt implements Event.
func (e ${{ A }}Updated) OccurredAt() time.Time { return e.At }

// ${{ A }}Deleted is recorded when ${{ an }} ${{ a }} is deleted.
type ${{ A }}Deleted struct {
	${{ idName }} uuid.UUID
	${{ pad('At', idName | length) }} time.Time
}

// EventType implements Event.
func (${{ A }}Deleted) EventType() string { return "${{ values.aggSnake }}.deleted" }

// Version implements Event.
func (${{ A }}Deleted) Version() int { return 1 }

// AggregateID implements Event.
func (e ${{ A }}Deleted) AggregateID() uuid.UUID { return e.${{ idName }} }

// OccurredAt implements Event.
func (e ${{ A }}Deleted) OccurredAt() time.Time { return e.At }
