{%- set pkg = values.job.name | replace('_', '') + 'uc' -%}
{%- set J = values.job.name | replace('_', ' ') | title | replace(' ', '') -%}
{%- set A = values.aggregate -%}
package integration

import (
	"context"
	"errors"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"${{ values.pkgModule }}/job"

	"${{ values.module }}/internal/adapter/outbound/persistence"
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/usecase/${{ pkg }}"
)

// Test${{ J }}Job runs the job's use case as the runner does, through the
// job.Definition its module registers, over a database holding more than one
// page of ${{ values.aggPlural | replace(r/([a-z0-9])([A-Z])/g, "$1 $2") | lower }}.
func Test${{ J }}Job(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	const stored = 105
	for range stored {
		if _, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()}); err != nil {
			t.Fatal(err)
		}
	}

	core, logs := observer.New(zapcore.InfoLevel)
	var defs []job.Definition
	app := fxtest.New(t,
		fx.Supply(a.pool, zap.New(core)),
		persistence.Module(),
		${{ pkg }}.Module(),
		fx.Invoke(fx.Annotate(func(d []job.Definition) { defs = d }, fx.ParamTags(`group:"jobs"`))),
	)
	app.RequireStart()
	defer app.RequireStop()
	if len(defs) != 1 {
		t.Fatalf("${{ pkg }}.Module registered %d job definitions, want 1", len(defs))
	}
	def := defs[0]
	if def.Job.Name() != "${{ values.job.name }}" || def.Schedule != ${{ pkg }}.Schedule || def.Timeout != ${{ pkg }}.Timeout {
		t.Errorf("definition = %s %q %v, want the job's name, schedule and timeout", def.Job.Name(), def.Schedule, def.Timeout)
	}
	if period, err := job.Period(def.Schedule); err != nil || def.Timeout > period {
		t.Errorf("schedule %q: period %v, %v; want a valid schedule no shorter than the timeout %v", def.Schedule, period, err, def.Timeout)
	}

	if err := def.Job.Execute(ctx); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	counted := logs.FilterField(zap.Int("${{ values.table }}", stored)).Len()
	if counted != 1 {
		t.Errorf("logs %v: want one entry counting %d ${{ values.table }}", logs.All(), stored)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := def.Job.Execute(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Execute with a cancelled context: %v, want context.Canceled", err)
	}
}
