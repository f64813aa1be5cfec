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
{%- set names = ['ID', 'CreatedAt', 'UpdatedAt', 'Version'] %}{% for f in values.fields %}{% set _ = names.push(go(f.name) | string) %}{% endfor -%}
{%- set w = names | sort(true, false, 'length') | first | length -%}
// Package response holds the output DTOs of the application layer: flat data,
// no domain types, grouped by feature.
package response

import (
	"time"

	"github.com/google/uuid"
)

// Money is an amount: whole units plus nano units (10^-9) of an ISO 4217 currency.
type Money struct {
	CurrencyCode string
	Units        int64
	Nanos        int32
}

// ${{ A }} is ${{ an }} ${{ a }} as the application returns it. Enums are given by name
// ("" for an absent optional enum); optional values are nil when absent.
type ${{ A }} struct {
	${{ pad('ID', w) }} uuid.UUID
{%- for f in values.fields %}
	${{ pad(go(f.name), w) }} ${{ dtotype(f) }}
{%- endfor %}
{%- if values.hasStateMachine %}
	${{ pad('Status', w) }} string
{%- endif %}
	${{ pad('Version', w) }} int64
	${{ pad('CreatedAt', w) }} time.Time
	${{ pad('UpdatedAt', w) }} time.Time
}
