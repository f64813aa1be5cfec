-- Run history of the scheduled jobs (the same DDL as in schema/schema.sql).

CREATE TABLE job_runs (
    id uuid PRIMARY KEY,
    job_name text NOT NULL,
    triggered_by text NOT NULL CHECK (triggered_by IN ('cron', 'api')),
    status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    instance_id text NOT NULL,
    scheduled_at timestamptz,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    error text,
    CONSTRAINT job_runs_finished_unless_running CHECK ((status = 'running') = (finished_at IS NULL))
);

CREATE INDEX job_runs_job_started_idx ON job_runs (job_name, started_at DESC);
