{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- set r = values.rpc -%}
{%- set names = [] %}{% for f in r.fields %}{% set _ = names.push(go(f.name) | string) %}{% endfor -%}
{%- set w = names | sort(true, false, 'length') | first | length -%}
{%- set sig %}{% for f in r.fields %},${{ f.type }}{% endfor %},{% endset -%}
package repository
{%- if ',uuid,' in sig or ',enum,' in sig %}

import (
{%- if ',uuid,' in sig %}
	"github.com/google/uuid"
{%- endif %}
{%- if ',uuid,' in sig and ',enum,' in sig %}
{% endif %}
{%- if ',enum,' in sig %}
	"${{ values.module }}/internal/domain/valueobject"
{%- endif %}
)
{%- endif %}

// ${{ r.name }}Filter selects the ${{ values.table | replace('_', ' ') }} ${{ values.aggregate }}Repository.${{ r.name }} returns:
// those whose values equal these.
type ${{ r.name }}Filter struct {
{%- for f in r.fields %}
	${{ pad(go(f.name), w) }} ${{ {'string': 'string', 'int': 'int64', 'bool': 'bool', 'uuid': 'uuid.UUID', 'enum': 'valueobject.' + go(f.name)}[f.type] }}
{%- endfor %}
}
