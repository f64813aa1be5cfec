{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- macro dtotype(f) -%}
{%- if f.type == 'enum' -%}string
{%- else -%}${{ '*' if f.optional }}${{ {'string': 'string', 'int': 'int64', 'bool': 'bool', 'money': 'Money', 'timestamp': 'time.Time', 'uuid': 'uuid.UUID'}[f.type] }}
{%- endif -%}
{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set names = [] %}{% for f in values.fields %}{% set _ = names.push(go(f.name) | string) %}{% endfor -%}
{%- set w = names | sort(true, false, 'length') | first | length -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% if f.optional %}?{% endif %}{% endfor %},{% endset -%}
// Package request holds the input DTOs of the application layer: flat data,
// no domain types, grouped by feature.
package request

import (
{%- if ',timestamp' in sig %}
	"time"
{% endif %}
	"github.com/google/uuid"
)

// Money is an amount: whole units plus nano units (10^-9) of an ISO 4217 currency.
type Money struct {
	CurrencyCode string
	Units        int64
	Nanos        int32
}

// ${{ A }}Fields are the client-chosen values of ${{ an }} ${{ a }}. Enums are given by
// name ("" for an absent optional enum); optional values are nil when absent.
type ${{ A }}Fields struct {
{%- for f in values.fields %}
	${{ pad(go(f.name), w) }} ${{ dtotype(f) }}
{%- endfor %}
}

// Create${{ A }} is the input of Create${{ A }}UseCase. RequestID is the client's
// idempotency key ("" for none): a repeat returns the first result.
type Create${{ A }} struct {
	${{ A }}Fields
	RequestID string
}

// Update${{ A }} replaces every field of the ${{ a }} ID. Version is the version
// the caller read (ABORTED when it changed since); 0 skips the check, for
// internal callers that hold no version.
type Update${{ A }} struct {
	ID      uuid.UUID
	Version int64
	${{ A }}Fields
}

// Delete${{ A }} is the input of Delete${{ A }}UseCase: the ${{ a }} ID at the
// version the caller read.
type Delete${{ A }} struct {
	ID      uuid.UUID
	Version int64
}

// List${{ values.aggPlural }} asks for one page: PageSize 0 means the default, Cursor
// "" the first page.
type List${{ values.aggPlural }} struct {
	PageSize int
	Cursor   string
}
{%- if values.hasStateMachine %}

// Transition${{ A }} applies the transition named Transition to the ${{ a }} ID.
type Transition${{ A }} struct {
	ID         uuid.UUID
	Transition string
}
{%- endif %}
