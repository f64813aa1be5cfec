-- Desired schema of ${{ values.dbIdent }}_db: the single source of truth for sqlc
-- (queries/) and Atlas (`atlas migrate diff --env local <name>` writes migrations/).
{%- set T = values.table %}
{%- set nn = ' NOT NULL' %}

CREATE TABLE ${{ T }} (
    id uuid PRIMARY KEY,
{%- for f in values.fields %}
{%- set nul = '' if f.optional else nn %}
{%- if f.type == 'money' %}
    ${{ f.name }}_amount numeric(28, 9)${{ nul }},
    ${{ f.name }}_currency char(3)${{ nul }},
{%- elif f.type == 'enum' %}
    ${{ f.name }} text${{ nul }} CHECK (${{ f.name }} IN ({% for v in f.values %}'${{ v }}'${{ ', ' if not loop.last }}{% endfor %})),
{%- else %}
    ${{ f.name }} ${{ {'string': 'text', 'int': 'bigint', 'bool': 'boolean', 'timestamp': 'timestamptz', 'uuid': 'uuid'}[f.type] }}${{ nul }},
{%- endif %}
{%- endfor %}
{%- if values.hasStateMachine %}
    status text NOT NULL CHECK (status IN ({% for s in values.states %}'${{ s }}'${{ ', ' if not loop.last }}{% endfor %})),
{%- endif %}
    request_id text CONSTRAINT ${{ T }}_request_id_key UNIQUE CHECK (length(request_id) BETWEEN 1 AND 200),
    version bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
{%- for f in values.fields %}{% if f.type == 'money' and f.optional %},
    CONSTRAINT ${{ T }}_${{ f.name }}_complete CHECK ((${{ f.name }}_amount IS NULL) = (${{ f.name }}_currency IS NULL))
{%- endif %}{% endfor %}
);
{%- if values.hasStateMachine %}

CREATE INDEX ${{ T }}_status_idx ON ${{ T }} (status);
{%- endif %}
{%- if values.stage == 'async' %}

-- Transactional outbox (pkg/outbox): rows are written in the business
-- transaction and published to RabbitMQ by the outbox poller.
CREATE TABLE outbox_events (
    id uuid PRIMARY KEY,
    aggregate_type text NOT NULL,
    aggregate_id text NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    headers jsonb NOT NULL DEFAULT '{}'::jsonb,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'published', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    claim_token uuid,
    available_at timestamptz NOT NULL DEFAULT now(),
    claimed_at timestamptz,
    published_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbox_events_pending_idx ON outbox_events (created_at) WHERE status IN ('pending', 'claimed');

-- Messages a consumer has processed (the inbox): the id is recorded in the
-- transaction of the message's effect, so a redelivered message is skipped.
CREATE TABLE processed_messages (
    consumer text NOT NULL,
    message_id text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

CREATE INDEX processed_messages_processed_at_idx ON processed_messages (processed_at);
{%- endif %}
{%- if values.jobs | length %}

-- Scheduled-job execution history (audit log), written by pkg/job through
-- internal/adapter/outbound/persistence/job_run_store.go; the same table as
-- pkg/job/pgstore.Schema.
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
{%- endif %}
{%- for g in values.aggregates or [] %}

-- The ${{ g.name }} aggregate (added with "Add an aggregate to a service"; its
-- migration is migrations/${{ g.migration }}_${{ g.table }}.sql).
CREATE TABLE ${{ g.table }} (
    id uuid PRIMARY KEY,
{%- for f in g.fields %}
    ${{ f.name }} ${{ {'string': 'text', 'int': 'bigint', 'bool': 'boolean', 'timestamp': 'timestamptz', 'uuid': 'uuid'}[f.type] }} NOT NULL,
{%- endfor %}
    version bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
{%- endfor %}
