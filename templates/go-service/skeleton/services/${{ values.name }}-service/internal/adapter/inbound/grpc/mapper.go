{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- macro pb(s) -%}{%- for p in s.split('_') -%}${{ p | capitalize }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set UA = values.aggSnake | upper -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% if f.optional %}?{% endif %}{% endfor %},{% endset -%}
{%- set hasMoney = ',money' in sig -%}
{%- set hasTime = ',timestamp' in sig -%}
{%- set hasUUID = ',uuid' in sig -%}
{%- macro mapFields(out) %}
{%- for f in values.fields %}
{%- set N = go(f.name) %}
{%- set P = pb(f.name) %}
{%- if f.type == 'uuid' and f.optional %}
	if in.${{ P }} != nil {
		v, err := parseUUID("${{ f.name }}", *in.${{ P }})
		errs = append(errs, err)
		${{ out }}.${{ N }} = &v
	}
{%- elif f.type == 'uuid' %}
	${{ out }}.${{ N }}, err = parseUUID("${{ f.name }}", in.Get${{ P }}())
	errs = append(errs, err)
{%- elif f.type == 'money' and f.optional %}
	if in.${{ P }} != nil {
		m := moneyFromPB(in.${{ P }})
		${{ out }}.${{ N }} = &m
	}
{%- elif f.type == 'money' %}
	${{ out }}.${{ N }} = moneyFromPB(in.Get${{ P }}())
{%- elif f.type == 'timestamp' and f.optional %}
	if in.${{ P }} != nil {
		t, err := timeFromPB("${{ f.name }}", in.${{ P }})
		errs = append(errs, err)
		${{ out }}.${{ N }} = &t
	}
{%- elif f.type == 'timestamp' %}
	${{ out }}.${{ N }}, err = timeFromPB("${{ f.name }}", in.Get${{ P }}())
	errs = append(errs, err)
{%- elif f.type == 'enum' %}
	${{ out }}.${{ N }} = ${{ values.aggCamel }}${{ go(f.name) }}Name(in.Get${{ P }}())
{%- elif f.optional %}
	${{ out }}.${{ N }} = in.${{ P }}
{%- else %}
	${{ out }}.${{ N }} = in.Get${{ P }}()
{%- endif %}
{%- endfor %}
{%- endmacro %}
{%- macro enumMappers(goName, pbType, prefix, names) %}

func ${{ values.aggCamel }}${{ goName }}Name(v ${{ PB }}.${{ pbType }}) string {
	switch v {
{%- for n in names %}
	case ${{ PB }}.${{ pbType }}_${{ prefix }}_${{ n | upper }}:
		return "${{ n }}"
{%- endfor %}
	case ${{ PB }}.${{ pbType }}_${{ prefix }}_UNSPECIFIED:
		return ""
	}
	return v.String()
}

func ${{ values.aggCamel }}${{ goName }}ToPB(name string) ${{ PB }}.${{ pbType }} {
	switch name {
{%- for n in names %}
	case "${{ n }}":
		return ${{ PB }}.${{ pbType }}_${{ prefix }}_${{ n | upper }}
{%- endfor %}
	}
	return ${{ PB }}.${{ pbType }}_${{ prefix }}_UNSPECIFIED
}
{%- endmacro -%}
package grpc

import (
{%- if hasUUID or hasTime %}
	"errors"
{%- endif %}
	"fmt"
{%- if hasTime %}
	"time"
{%- endif %}

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	apperrors "${{ values.pkgModule }}/errors"
{%- if hasMoney and values.protoPkg > 'common' %}
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{%- endif %}
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{%- if hasMoney and values.protoPkg < 'common' %}
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{%- endif %}

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
)

func parseUUID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%s: %q is not a UUID", field, s))
	}
	return id, nil
}
{%- if hasTime %}

func timeFromPB(field string, ts *timestamppb.Timestamp) (time.Time, error) {
	if ts == nil {
		return time.Time{}, nil
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%s: %v", field, err))
	}
	return ts.AsTime(), nil
}
{%- endif %}
{%- if hasMoney %}

func moneyFromPB(m *commonv1.Money) request.Money {
	return request.Money{CurrencyCode: m.GetCurrencyCode(), Units: m.GetUnits(), Nanos: m.GetNanos()}
}

func moneyToPB(m response.Money) *commonv1.Money {
	return &commonv1.Money{CurrencyCode: m.CurrencyCode, Units: m.Units, Nanos: m.Nanos}
}
{%- endif %}

// maxRequestIDLength bounds the idempotency key, as the request_id column's CHECK does.
const maxRequestIDLength = 200

func toCreateRequest(in *${{ PB }}.Create${{ A }}Request) (*request.Create${{ A }}, error) {
	if len(in.GetRequestId()) > maxRequestIDLength {
		return nil, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("request_id: %d characters, at most %d", len(in.GetRequestId()), maxRequestIDLength))
	}
	out := &request.Create${{ A }}{RequestID: in.GetRequestId()}
{%- if hasUUID or hasTime %}
	var errs []error
{%- endif %}
{%- if (',uuid,' in sig) or (',timestamp,' in sig) %}
	var err error
{%- endif %}
	${{- mapFields('out') }}
{%- if hasUUID or hasTime %}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
{%- endif %}
	return out, nil
}

func toUpdateRequest(in *${{ PB }}.Update${{ A }}Request) (*request.Update${{ A }}, error) {
	id, err := parseUUID("id", in.GetId())
	if err != nil {
		return nil, err
	}
	version, err := parseVersion(in.GetVersion())
	if err != nil {
		return nil, err
	}
	out := &request.Update${{ A }}{ID: id, Version: version}
{%- if hasUUID or hasTime %}
	var errs []error
{%- endif %}
	${{- mapFields('out') }}
{%- if hasUUID or hasTime %}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
{%- endif %}
	return out, nil
}

func toDeleteRequest(in *${{ PB }}.Delete${{ A }}Request) (*request.Delete${{ A }}, error) {
	id, err := parseUUID("id", in.GetId())
	if err != nil {
		return nil, err
	}
	version, err := parseVersion(in.GetVersion())
	if err != nil {
		return nil, err
	}
	return &request.Delete${{ A }}{ID: id, Version: version}, nil
}

// parseVersion requires the version the client read: Update and Delete are
// conditional on it.
func parseVersion(v int64) (int64, error) {
	if v < 1 {
		return 0, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("version: %d is not a version; send the version of the ${{ values.aggSnake | replace('_', ' ') }} you read", v))
	}
	return v, nil
}

func toPB(in *response.${{ A }}) *${{ PB }}.${{ A }} {
	out := &${{ PB }}.${{ A }}{Id: in.ID.String(), Version: in.Version, CreateTime: timestamppb.New(in.CreatedAt), UpdateTime: timestamppb.New(in.UpdatedAt)}
{%- if values.hasStateMachine %}
	out.Status = ${{ values.aggCamel }}StatusToPB(in.Status)
{%- endif %}
{%- for f in values.fields %}
{%- set N = go(f.name) %}
{%- set P = pb(f.name) %}
{%- if f.type == 'uuid' and f.optional %}
	if in.${{ N }} != nil {
		s := in.${{ N }}.String()
		out.${{ P }} = &s
	}
{%- elif f.type == 'uuid' %}
	out.${{ P }} = in.${{ N }}.String()
{%- elif f.type == 'money' and f.optional %}
	if in.${{ N }} != nil {
		out.${{ P }} = moneyToPB(*in.${{ N }})
	}
{%- elif f.type == 'money' %}
	out.${{ P }} = moneyToPB(in.${{ N }})
{%- elif f.type == 'timestamp' and f.optional %}
	if in.${{ N }} != nil {
		out.${{ P }} = timestamppb.New(*in.${{ N }})
	}
{%- elif f.type == 'timestamp' %}
	out.${{ P }} = timestamppb.New(in.${{ N }})
{%- elif f.type == 'enum' %}
	out.${{ P }} = ${{ values.aggCamel }}${{ go(f.name) }}ToPB(in.${{ N }})
{%- else %}
	out.${{ P }} = in.${{ N }}
{%- endif %}
{%- endfor %}
	return out
}
{%- for f in values.fields %}{% if f.type == 'enum' %}${{ enumMappers(go(f.name), A + pb(f.name), UA + '_' + (f.name | upper), f.values) }}
{%- endif %}{% endfor %}
{%- if values.hasStateMachine %}${{ enumMappers('Status', A + 'Status', UA + '_STATUS', values.states) }}
{%- endif %}
