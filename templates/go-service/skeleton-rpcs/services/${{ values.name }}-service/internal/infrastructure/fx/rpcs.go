{%- set pkgs = [] %}{% for r in values.rpcs %}{% set _ = pkgs.push(r.pkg) %}{% endfor -%}
package fx

import (
	"go.uber.org/fx"

{% for p in pkgs | sort %}	"${{ values.module }}/internal/application/usecase/${{ p }}"
{% endfor -%}
)

// RPCUseCases lists the modules of the RPCs added to the service after it was
// made (the "Add an RPC to a service" template); each provides the use case
// its handler method (internal/adapter/inbound/grpc/<rpc>_handler.go) calls.
var RPCUseCases = fx.Options(
{%- for p in pkgs | sort %}
	${{ p }}.Module(),
{%- endfor %}
)
