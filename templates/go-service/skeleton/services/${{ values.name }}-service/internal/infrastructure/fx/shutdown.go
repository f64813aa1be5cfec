{%- set jobs = values.jobs | length -%}
package fx

import (
	"context"
	"time"
)

// The stop budget is SHUTDOWN_TIMEOUT (fx.StopTimeout in main; the pod's
// terminationGracePeriodSeconds is 5s more). Fx runs the stop hooks one after
// another, in reverse order of registration, and each phase below ends at a
// fixed time before the end of the budget, so a slow phase cannot take the
// time of the ones after it:
//
//  1. the gRPC server (grpc_module.go): NOT_SERVING, SHUTDOWN_DRAIN_DELAY,
//     GracefulStop, and Stop when its phase ends;
{%- if jobs %}
//  2. the scheduled jobs (jobs_module.go), which ran on through phase 1:
//     those still running 1s before the end of their phase are cancelled and
//     recorded failed; jobsShare is what phase 1 always leaves them;
{%- endif %}
//  ${{ '3' if jobs else '2' }}. the hooks that only close (${{ 'Redis, ' if jobs }}database pool, logger): closeReserve.

// closeReserve is the end of the budget kept for the hooks that only close:
// a tenth of it, at most 1s.
func closeReserve(budget time.Duration) time.Duration { return min(budget/10, time.Second) }
{%- if jobs %}

// jobsShare is the part of the budget the gRPC server leaves the jobs at
// least: a fifth of it, at most 3s.
func jobsShare(budget time.Duration) time.Duration { return min(budget/5, 3*time.Second) }
{%- endif %}

// grpcPhaseKeeps is what the gRPC server's phase leaves of the budget.
func grpcPhaseKeeps(budget time.Duration) time.Duration {
	return closeReserve(budget){% if jobs %} + jobsShare(budget){% endif %}
}

// withPhaseEnd bounds the stop context ctx to a phase that ends keep before
// the end of the budget (ctx's deadline, else budget from now).
func withPhaseEnd(ctx context.Context, budget, keep time.Duration) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(budget)
	}
	return context.WithDeadline(ctx, deadline.Add(-keep))
}
