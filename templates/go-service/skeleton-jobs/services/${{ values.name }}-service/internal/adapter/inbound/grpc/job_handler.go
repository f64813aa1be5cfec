{%- set A = values.aggregate -%}
{%- set PB = values.protoPkg + 'v1' -%}
package grpc

import (
	"context"
	"encoding/base64"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/job"
{% if values.protoPkg < 'common' %}	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
	commonv1 "${{ values.pkgModule }}/proto/common/v1"
{% else %}	commonv1 "${{ values.pkgModule }}/proto/common/v1"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"
{% endif -%}
)

// Page sizes of ListJobRuns.
const (
	defaultJobRunsPageSize = 20
	maxJobRunsPageSize     = 100
)

// JobRunner starts runs on demand; pkg/job's Runner implements it.
type JobRunner interface {
	// Trigger starts a run of the named job and returns it while it runs.
	Trigger(ctx context.Context, name string) (job.Run, error)
	// Jobs returns the registered definitions.
	Jobs() []job.Definition
}

// JobHistory pages through the run history; persistence.JobRunStore implements it.
type JobHistory interface {
	// ListBefore returns at most limit runs of a job that started before the
	// run before (uuid.Nil: the latest), newest first.
	ListBefore(ctx context.Context, jobName string, before uuid.UUID, limit int) ([]job.Run, error)
}

// RunJob implements ${{ A }}Service. The runner's errors carry their gRPC code
// (error-mapping interceptor): job.ErrAlreadyRunning is FAILED_PRECONDITION,
// job.ErrUnknownJob NOT_FOUND, job.ErrStopped UNAVAILABLE.
func (h *${{ A }}Handler) RunJob(ctx context.Context, req *${{ PB }}.RunJobRequest) (*${{ PB }}.RunJobResponse, error) {
	if req.GetJobName() == "" {
		return nil, apperrors.New(apperrors.CodeInvalidArgument, "job_name is required")
	}
	run, err := h.jobs.Trigger(ctx, req.GetJobName())
	if err != nil {
		return nil, err
	}
	return &${{ PB }}.RunJobResponse{Run: jobRunPB(run)}, nil
}

// ListJobRuns implements ${{ A }}Service.
func (h *${{ A }}Handler) ListJobRuns(ctx context.Context, req *${{ PB }}.ListJobRunsRequest) (*${{ PB }}.ListJobRunsResponse, error) {
	name := req.GetJobName()
	if name == "" {
		return nil, apperrors.New(apperrors.CodeInvalidArgument, "job_name is required")
	}
	if !h.registered(name) {
		return nil, job.ErrUnknownJob
	}
	size := int(req.GetPagination().GetPageSize())
	switch {
	case size < 0:
		return nil, apperrors.New(apperrors.CodeInvalidArgument, "page_size must not be negative")
	case size == 0:
		size = defaultJobRunsPageSize
	case size > maxJobRunsPageSize:
		size = maxJobRunsPageSize
	}
	before, err := decodeJobRunCursor(req.GetPagination().GetCursor())
	if err != nil {
		return nil, err
	}
	runs, err := h.jobRuns.ListBefore(ctx, name, before, size+1)
	if err != nil {
		return nil, err
	}
	resp := &${{ PB }}.ListJobRunsResponse{Pagination: &commonv1.CursorPaginationResponse{HasMore: len(runs) > size}}
	if resp.Pagination.HasMore {
		runs = runs[:size]
		last := runs[len(runs)-1].ID
		resp.Pagination.NextCursor = base64.RawURLEncoding.EncodeToString(last[:])
	}
	for _, run := range runs {
		resp.Runs = append(resp.Runs, jobRunPB(run))
	}
	return resp, nil
}

func (h *${{ A }}Handler) registered(name string) bool {
	for _, def := range h.jobs.Jobs() {
		if def.Job.Name() == name {
			return true
		}
	}
	return false
}

func decodeJobRunCursor(cursor string) (uuid.UUID, error) {
	if cursor == "" {
		return uuid.Nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		var id uuid.UUID
		if id, err = uuid.FromBytes(raw); err == nil {
			return id, nil
		}
	}
	return uuid.Nil, apperrors.New(apperrors.CodeInvalidArgument, "cursor is not one returned by a previous page")
}

// The proto enums of the job history; a value missing here is UNSPECIFIED.
var (
	jobTriggerPB = map[job.Trigger]${{ PB }}.JobTrigger{
		job.TriggerCron: ${{ PB }}.JobTrigger_JOB_TRIGGER_CRON,
		job.TriggerAPI:  ${{ PB }}.JobTrigger_JOB_TRIGGER_API,
	}
	jobStatusPB = map[job.Status]${{ PB }}.JobRunStatus{
		job.StatusRunning:   ${{ PB }}.JobRunStatus_JOB_RUN_STATUS_RUNNING,
		job.StatusSucceeded: ${{ PB }}.JobRunStatus_JOB_RUN_STATUS_SUCCEEDED,
		job.StatusFailed:    ${{ PB }}.JobRunStatus_JOB_RUN_STATUS_FAILED,
		job.StatusSkipped:   ${{ PB }}.JobRunStatus_JOB_RUN_STATUS_SKIPPED,
	}
)

func jobRunPB(run job.Run) *${{ PB }}.JobRun {
	out := &${{ PB }}.JobRun{
		Id:        run.ID.String(),
		JobName:   run.Job,
		Trigger:   jobTriggerPB[run.Trigger],
		Status:    jobStatusPB[run.Status],
		Instance:  run.Instance,
		StartTime: timestamppb.New(run.StartedAt),
		Error:     run.Error,
	}
	if !run.ScheduledAt.IsZero() {
		out.ScheduleTime = timestamppb.New(run.ScheduledAt)
	}
	if !run.FinishedAt.IsZero() {
		out.FinishTime = timestamppb.New(run.FinishedAt)
	}
	return out
}
