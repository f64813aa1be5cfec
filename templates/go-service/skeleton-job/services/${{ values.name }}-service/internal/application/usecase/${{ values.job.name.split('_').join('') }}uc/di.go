{%- set pkg = values.job.name | replace('_', '') + 'uc' -%}
{%- set J = values.job.name | replace('_', ' ') | title | replace(' ', '') -%}
package ${{ pkg }}

import (
	"go.uber.org/fx"

	"${{ values.pkgModule }}/job"
)

// Module provides the ${{ values.job.name }} use case and registers it with the job
// runner (infrastructure/fx JobsModule) as a job.Definition.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(new${{ J }}UseCase),
		fx.Provide(fx.Annotate(newDefinition, fx.ResultTags(`group:"jobs"`))),
	)
}

func newDefinition(uc *${{ J | first | lower }}${{ J.slice(1) }}UseCase) job.Definition {
	return job.Definition{Job: uc, Schedule: Schedule, Timeout: Timeout}
}
