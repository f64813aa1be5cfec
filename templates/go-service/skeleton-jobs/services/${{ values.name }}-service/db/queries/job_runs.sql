-- Run history of the scheduled jobs (pkg/job), read and written by
-- internal/adapter/outbound/persistence/job_run_store.go; `sqlc generate`
-- (run in db/) writes ../sqlcgen.

-- name: InsertJobRun :exec
INSERT INTO job_runs (
    id,
    job_name,
    triggered_by,
    status,
    instance_id,
    scheduled_at,
    started_at,
    finished_at,
    error
) VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9
);

-- name: FinishJobRun :execrows
UPDATE job_runs
SET status = $2, finished_at = $3, error = $4
WHERE id = $1 AND status = 'running';

-- name: GetJobRun :one
SELECT * FROM job_runs
WHERE id = $1;

-- name: ListJobRuns :many
-- The runs of a job that started before the run before_id (NULL: the
-- latest), newest first.
SELECT * FROM job_runs
WHERE job_runs.job_name = @job_name
  AND (
    sqlc.narg('before_id')::uuid IS NULL
    OR (job_runs.started_at, job_runs.id) < (SELECT b.started_at, b.id FROM job_runs AS b WHERE b.id = sqlc.narg('before_id')::uuid)
  )
ORDER BY job_runs.started_at DESC, job_runs.id DESC
LIMIT @page_limit;
