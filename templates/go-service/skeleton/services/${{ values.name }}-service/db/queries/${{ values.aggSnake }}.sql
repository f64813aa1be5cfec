{%- set A = values.aggregate %}
{%- set T = values.table %}
{%- set cols = [] %}
{%- for f in values.fields %}{% if f.type == 'money' %}{% set _ = cols.push(f.name + '_amount') %}{% set _ = cols.push(f.name + '_currency') %}{% else %}{% set _ = cols.push(f.name) %}{% endif %}{% endfor %}
{%- if values.hasStateMachine %}{% set _ = cols.push('status') %}{% endif -%}
-- Queries of the ${{ T }} table; `sqlc generate` (run in db/) writes ../sqlcgen.

-- name: Create${{ A }} :exec
INSERT INTO ${{ T }} (
    id,
{%- for c in cols %}
    ${{ c }},
{%- endfor %}
    created_at,
    updated_at
) VALUES (
    $1,
{%- for c in cols %}
    $${{ loop.index + 1 }},
{%- endfor %}
    $${{ cols | length + 2 }},
    $${{ cols | length + 3 }}
);

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
UPDATE ${{ T }} SET
{%- for c in cols %}
    ${{ c }} = $${{ loop.index + 1 }},
{%- endfor %}
    created_at = $${{ cols | length + 2 }},
    updated_at = $${{ cols | length + 3 }}
WHERE id = $1;

-- name: Delete${{ A }} :execrows
DELETE FROM ${{ T }}
WHERE id = $1;
