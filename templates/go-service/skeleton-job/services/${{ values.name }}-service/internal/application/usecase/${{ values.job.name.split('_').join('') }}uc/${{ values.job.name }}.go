{%- set pkg = values.job.name | replace('_', '') + 'uc' -%}
{%- set J = values.job.name | replace('_', ' ') | title | replace(' ', '') -%}
{%- set uc = (J | first | lower) + J.slice(1) + 'UseCase' -%}
{%- set A = values.aggregate -%}
{%- set many = values.aggPlural | replace(r/([a-z0-9])([A-Z])/g, "$1 $2") | lower -%}
{%- set timeout = values.job.timeout | replace(r/^([0-9]+)ms$/, "$1 * time.Millisecond") | replace(r/^([0-9]+)s$/, "$1 * time.Second") | replace(r/^([0-9]+)m$/, "$1 * time.Minute") | replace(r/^([0-9]+)h$/, "$1 * time.Hour") -%}
// Package ${{ pkg }} holds the ${{ values.job.name }} job: a use case that the job
// runner (pkg/job) executes on one replica at a time, on its cron schedule and
// when RunJob asks for it.
package ${{ pkg }}

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"${{ values.module }}/internal/domain/repository"
)

// Name identifies the job in its lock, the run history, metrics and logs.
// Schedule is its cron expression (pkg/job.ValidateSchedule: five fields, or
// six with seconds first, in UTC unless it starts with CRON_TZ=) and Timeout
// bounds each run; it may not exceed the time between two ticks.
const (
	Name     = "${{ values.job.name }}"
	Schedule = "${{ values.job.schedule }}"
	Timeout  = ${{ timeout }}
)

// pageSize is how many ${{ many }} one repository call reads.
const pageSize = 100

type ${{ uc }} struct {
	repo   repository.${{ A }}Repository
	logger *zap.Logger
}

func new${{ J }}UseCase(repo repository.${{ A }}Repository, logger *zap.Logger) *${{ uc }} {
	if repo == nil || logger == nil {
		panic("${{ pkg }}: new${{ J }}UseCase needs every dependency")
	}
	return &${{ uc }}{repo: repo, logger: logger.With(zap.String("job", Name))}
}

// Name implements job.Job.
func (u *${{ uc }}) Name() string { return Name }

// Execute reads every ${{ A }} through the repository, a page at a time, and logs
// how many there are. It has the shape of a batch job: bounded reads, and a
// stop as soon as ctx is cancelled (the timeout, a lost lock or the service
// stopping). Do the job's work on each page where the ${{ many }} are counted.
func (u *${{ uc }}) Execute(ctx context.Context) error {
	var (
		after uuid.UUID
		total int
	)
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("${{ values.job.name }}: stopped after %d ${{ many }}: %w", total, err)
		}
		page, err := u.repo.List(ctx, after, pageSize)
		if err != nil {
			return fmt.Errorf("${{ values.job.name }}: list ${{ many }} after %s: %w", after, err)
		}
		total += len(page)
		if len(page) < pageSize {
			break
		}
		after = page[len(page)-1].ID()
	}
	u.logger.Info("${{ many }} counted", zap.Int("${{ values.table }}", total))
	return nil
}
