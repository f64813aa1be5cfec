{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- set r = values.rpc -%}
{%- set names = (['PageSize', 'Cursor'] if r.kind == 'query' else ['ID', 'Version']) %}{% for f in r.fields %}{% set _ = names.push(go(f.name) | string) %}{% endfor -%}
{%- set w = names | sort(true, false, 'length') | first | length -%}
{%- set sig %}{% for f in r.fields %},${{ f.type }}{% endfor %},{% endset -%}
package request
{%- if r.kind == 'command' or ',uuid,' in sig %}

import "github.com/google/uuid"
{%- endif %}

{% if r.kind == 'query' -%}
// ${{ r.name }} is the input of ${{ r.name }}UseCase: the values the ${{ values.table | replace('_', ' ') }} must
// have (enums by name) and the page: PageSize 0 means the default, Cursor ""
// the first page.
type ${{ r.name }} struct {
{%- for f in r.fields %}
	${{ pad(go(f.name), w) }} ${{ {'string': 'string', 'int': 'int64', 'bool': 'bool', 'uuid': 'uuid.UUID', 'enum': 'string'}[f.type] }}
{%- endfor %}
	${{ pad('PageSize', w) }} int
	${{ pad('Cursor', w) }} string
}
{%- else -%}
// ${{ r.name }} is the input of ${{ r.name }}UseCase: the ${{ values.aggSnake | replace('_', ' ') }} ID at the version
// the caller read, and its new values (enums by name).
type ${{ r.name }} struct {
	${{ pad('ID', w) }} uuid.UUID
	${{ pad('Version', w) }} int64
{%- for f in r.fields %}
	${{ pad(go(f.name), w) }} ${{ {'string': 'string', 'int': 'int64', 'bool': 'bool', 'uuid': 'uuid.UUID', 'enum': 'string'}[f.type] }}
{%- endfor %}
}
{%- endif %}
