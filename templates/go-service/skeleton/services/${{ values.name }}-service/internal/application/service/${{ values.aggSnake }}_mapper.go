{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% if f.optional %}?{% endif %}{% endfor %},{% endset -%}
{%- set needCheck = (',enum' in sig) or (',money' in sig) -%}
{%- set needErr = (',enum' in sig) or (',money,' in sig) -%}
package service

import (
{%- if needCheck %}
	"errors"
	"fmt"

	apperrors "${{ values.pkgModule }}/errors"
{% endif %}
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
	"${{ values.module }}/internal/domain/entity"
{%- if needCheck %}
	"${{ values.module }}/internal/domain/valueobject"
{%- endif %}
)

// To${{ A }}Fields converts request values to domain values, collecting every
// invalid value into one InvalidArgument error.
func To${{ A }}Fields(in request.${{ A }}Fields) (entity.${{ A }}Fields, error) {
{%- if needCheck %}
	var errs []error
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
	}
{%- endif %}
{%- if needErr %}
	var err error
{%- endif %}
	out := entity.${{ A }}Fields{}
{%- for f in values.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'enum' and f.optional %}
	if in.${{ N }} != "" {
		out.${{ N }}, err = valueobject.Parse${{ N }}(in.${{ N }})
		check("${{ f.name }}", err)
	}
{%- elif f.type == 'enum' %}
	out.${{ N }}, err = valueobject.Parse${{ N }}(in.${{ N }})
	check("${{ f.name }}", err)
{%- elif f.type == 'money' and f.optional %}
	if in.${{ N }} != nil {
		m, mErr := valueobject.NewMoney(in.${{ N }}.CurrencyCode, in.${{ N }}.Units, in.${{ N }}.Nanos)
		check("${{ f.name }}", mErr)
		out.${{ N }} = &m
	}
{%- elif f.type == 'money' %}
	out.${{ N }}, err = valueobject.NewMoney(in.${{ N }}.CurrencyCode, in.${{ N }}.Units, in.${{ N }}.Nanos)
	check("${{ f.name }}", err)
{%- else %}
	out.${{ N }} = in.${{ N }}
{%- endif %}
{%- endfor %}
{%- if needCheck %}
	if err := errors.Join(errs...); err != nil {
		return entity.${{ A }}Fields{}, apperrors.Wrap(apperrors.CodeInvalidArgument, "invalid ${{ a }}", err)
	}
{%- endif %}
	return out, nil
}

// To${{ A }}Response converts ${{ an }} ${{ a }} to its response DTO.
func To${{ A }}Response(e *entity.${{ A }}) *response.${{ A }} {
	f := e.Fields()
	out := &response.${{ A }}{ID: e.ID(), Version: e.Version(), CreatedAt: e.CreatedAt(), UpdatedAt: e.UpdatedAt()}
{%- if values.hasStateMachine %}
	out.Status = e.Status().String()
{%- endif %}
{%- for f in values.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'enum' %}
	out.${{ N }} = f.${{ N }}.String()
{%- elif f.type == 'money' and f.optional %}
	if f.${{ N }} != nil {
		out.${{ N }} = &response.Money{CurrencyCode: f.${{ N }}.Currency(), Units: f.${{ N }}.Units(), Nanos: f.${{ N }}.Nanos()}
	}
{%- elif f.type == 'money' %}
	out.${{ N }} = response.Money{CurrencyCode: f.${{ N }}.Currency(), Units: f.${{ N }}.Units(), Nanos: f.${{ N }}.Nanos()}
{%- else %}
	out.${{ N }} = f.${{ N }}
{%- endif %}
{%- endfor %}
	return out
}
