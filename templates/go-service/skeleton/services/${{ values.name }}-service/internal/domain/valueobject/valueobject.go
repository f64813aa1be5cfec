{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro enumType(name, values, doc) %}

// ${{ name }} is the ${{ doc }}. The zero value ${{ name }}Unspecified is never valid.
type ${{ name }} int

// ${{ name }} values.
const (
	${{ name }}Unspecified ${{ name }} = iota
{%- for v in values %}
	${{ name }}${{ go(v) }}
{%- endfor %}
)

// Parse${{ name }} returns the ${{ name }} named s (for example "${{ values[0] }}").
func Parse${{ name }}(s string) (${{ name }}, error) {
	switch s {
{%- for v in values %}
	case "${{ v }}":
		return ${{ name }}${{ go(v) }}, nil
{%- endfor %}
	}
	return ${{ name }}Unspecified, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%q is not a valid ${{ doc }}", s))
}

// String returns the name of v, or "" for ${{ name }}Unspecified.
func (v ${{ name }}) String() string {
	switch v {
{%- for v in values %}
	case ${{ name }}${{ go(v) }}:
		return "${{ v }}"
{%- endfor %}
	}
	return ""
}

// IsValid reports whether v is one of the declared values.
func (v ${{ name }}) IsValid() bool { return v.String() != "" }
{%- endmacro -%}
// Package valueobject holds the immutable value objects of the ${{ values.aggregate }} aggregate.
package valueobject

import (
	"fmt"
	"regexp"

	apperrors "${{ values.pkgModule }}/errors"
)

// Money is an amount in one currency, with the same precision as
// common.v1.Money: whole units plus nano units (10^-9).
type Money struct {
	units    int64
	nanos    int32
	currency string
}

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// NewMoney returns the amount units + nanos*10^-9 in currency (ISO 4217, for
// example "USD"). nanos must be within ±999,999,999 and have the sign of units.
func NewMoney(currency string, units int64, nanos int32) (Money, error) {
	if !currencyPattern.MatchString(currency) {
		return Money{}, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("currency %q is not a three-letter ISO 4217 code", currency))
	}
	if nanos <= -1_000_000_000 || nanos >= 1_000_000_000 {
		return Money{}, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("nanos %d is out of range", nanos))
	}
	if (units > 0 && nanos < 0) || (units < 0 && nanos > 0) {
		return Money{}, apperrors.New(apperrors.CodeInvalidArgument, "units and nanos must have the same sign")
	}
	return Money{units: units, nanos: nanos, currency: currency}, nil
}

// Units returns the whole units of the amount.
func (m Money) Units() int64 { return m.units }

// Nanos returns the nano units of the amount.
func (m Money) Nanos() int32 { return m.nanos }

// Currency returns the ISO 4217 currency code.
func (m Money) Currency() string { return m.currency }

// IsZero reports whether m is the zero Money (no currency), which is never a valid amount.
func (m Money) IsZero() bool { return m.currency == "" }

// String formats m as "12.500000000 USD".
func (m Money) String() string {
	sign := ""
	units, nanos := m.units, m.nanos
	if units < 0 || nanos < 0 {
		sign = "-"
		units, nanos = -units, -nanos
	}
	return fmt.Sprintf("%s%d.%09d %s", sign, units, nanos, m.currency)
}
{%- for f in values.fields %}{% if f.type == 'enum' %}${{ enumType(go(f.name), f.values, f.name | replace('_', ' ') + ' of the ' + values.aggregate + ' aggregate') }}
{%- endif %}{% endfor %}
{%- if values.hasStateMachine %}${{ enumType('Status', values.states, 'status of the ' + values.aggregate + ' aggregate') }}
{%- endif %}
