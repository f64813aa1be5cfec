package fx

import (
	"fmt"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"${{ values.module }}/internal/adapter/outbound/grpcclient"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/infrastructure/config"
)

// ExternalModule provides the clients of the services ${{ values.serviceName }} calls,
// each as its output port; their connections close when the application stops.
var ExternalModule = fx.Options(
{%- for d in values.dependencies %}
	fx.Provide(new${{ d.pascal }}Client),
{%- endfor %}
)
{%- for d in values.dependencies %}

func new${{ d.pascal }}Client(lc fx.Lifecycle, cfg *config.Config, logger *zap.Logger) (output.${{ d.pascal }}Client, error) {
	dep := cfg.Dependencies.${{ d.pascal }}
	c, err := grpcclient.New${{ d.pascal }}Client(grpcclient.Options{
		Target:          dep.Addr,
		Timeout:         dep.Timeout,
		BreakerFailures: dep.BreakerFailures,
		BreakerOpenFor:  dep.BreakerOpenFor,
	}, logger)
	if err != nil {
		return nil, fmt.Errorf("${{ d.serviceName }} client: %w", err)
	}
	lc.Append(fx.StopHook(c.Close))
	return c, nil
}
{%- endfor %}
