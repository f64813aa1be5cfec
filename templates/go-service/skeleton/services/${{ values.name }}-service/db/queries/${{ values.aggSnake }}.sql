{%- set A = values.aggregate %}
{%- set T = values.table %}
{%- set cols = [] %}
{%- for f in values.fields %}{% if f.type == 'money' %}{% set _ = cols.push(f.name + '_amount') %}{% set _ = cols.push(f.name + '_currency') %}{% else %}{% set _ = cols.push(f.name) %}{% endif %}{% endfor %}
{%- if values.hasStateMachine %}{% set _ = cols.push('status') %}{% endif -%}
-- Queries of the ${{ T }} table; `sqlc generate` (run in db/) writes ../sqlcgen.

-- name: Create${{ A }} :execrows
-- A row with the same request_id is kept: 0 rows means the key was used
-- (Get${{ A }}ByRequestID returns the first result).
INSERT INTO ${{ T }} (
    id,
{%- for c in cols %}
    ${{ c }},
{%- endfor %}
    request_id,
    version,
    created_at,
    updated_at
) VALUES (
    $1,
{%- for c in cols %}
    $${{ loop.index + 1 }},
{%- endfor %}
    $${{ cols | length + 2 }},
    $${{ cols | length + 3 }},
    $${{ cols | length + 4 }},
    $${{ cols | length + 5 }}
)
ON CONFLICT (request_id) DO NOTHING;

-- name: Get${{ A }}ByRequestID :one
SELECT * FROM ${{ T }}
WHERE request_id = $1;

-- name: Get${{ A }} :one
SELECT * FROM ${{ T }}
WHERE id = $1;

-- name: Get${{ A }}ForUpdate :one
SELECT * FROM ${{ T }}
WHERE id = $1
FOR UPDATE;

-- name: List${{ values.aggPlural }} :many
SELECT * FROM ${{ T }}
WHERE sqlc.narg(after_id)::uuid IS NULL OR id > sqlc.narg(after_id)::uuid
ORDER BY id
LIMIT sqlc.arg(page_limit);

-- name: Update${{ A }} :execrows
-- Writes the changed values and the next version, only over the version that
-- was read; created_at is never rewritten.
UPDATE ${{ T }} SET
{%- for c in cols %}
    ${{ c }} = $${{ loop.index + 1 }},
{%- endfor %}
    updated_at = $${{ cols | length + 2 }},
    version = $${{ cols | length + 3 }}
WHERE id = $1 AND version = $${{ cols | length + 3 }} - 1;

-- name: Delete${{ A }} :execrows
DELETE FROM ${{ T }}
WHERE id = $1;
