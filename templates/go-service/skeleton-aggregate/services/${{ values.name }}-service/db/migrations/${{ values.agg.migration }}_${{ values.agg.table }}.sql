{%- set g = values.agg -%}
-- The ${{ g.name }} aggregate's table (the same DDL as its part of schema/schema.sql).

CREATE TABLE ${{ g.table }} (
    id uuid PRIMARY KEY,
{%- for f in g.fields %}
    ${{ f.name }} ${{ {'string': 'text', 'int': 'bigint', 'bool': 'boolean', 'timestamp': 'timestamptz', 'uuid': 'uuid'}[f.type] }} NOT NULL,
{%- endfor %}
    version bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
