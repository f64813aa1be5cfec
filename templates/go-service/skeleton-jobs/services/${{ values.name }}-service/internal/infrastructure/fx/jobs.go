{%- set pkgs = [] %}{% for j in values.jobs %}{% set _ = pkgs.push(j.name | replace('_', '') + 'uc') %}{% endfor -%}
package fx

import (
	"go.uber.org/fx"

{% for p in pkgs | sort %}	"${{ values.module }}/internal/application/usecase/${{ p }}"
{% endfor -%}
)

// JobUseCases lists the modules of the service's scheduled jobs; each
// provides its use case and a job.Definition (name, schedule, timeout) to
// JobsModule. A new job is a package under internal/application/usecase and
// one line here.
var JobUseCases = fx.Options(
{%- for p in pkgs | sort %}
	${{ p }}.Module(),
{%- endfor %}
)
