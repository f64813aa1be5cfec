{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set T = g.table -%}
-- Queries of the ${{ T }} table (the ${{ A }} aggregate); `sqlc generate` (run in db/) writes ../sqlcgen.

-- name: Create${{ A }} :exec
INSERT INTO ${{ T }} (
    id,
{%- for f in g.fields %}
    ${{ f.name }},
{%- endfor %}
    version,
    created_at,
    updated_at
) VALUES (
    $1,
{%- for f in g.fields %}
    $${{ loop.index + 1 }},
{%- endfor %}
    $${{ g.fields | length + 2 }},
    $${{ g.fields | length + 3 }},
    $${{ g.fields | length + 4 }}
);

-- name: Get${{ A }} :one
SELECT * FROM ${{ T }}
WHERE id = $1;

-- name: List${{ g.plural }} :many
SELECT * FROM ${{ T }}
WHERE sqlc.narg(after_id)::uuid IS NULL OR id > sqlc.narg(after_id)::uuid
ORDER BY id
LIMIT sqlc.arg(page_limit);

-- name: Update${{ A }} :execrows
-- Writes the changed values and the next version, only over the version that
-- was read; created_at is never rewritten.
UPDATE ${{ T }} SET
{%- for f in g.fields %}
    ${{ f.name }} = $${{ loop.index + 1 }},
{%- endfor %}
    updated_at = $${{ g.fields | length + 2 }},
    version = $${{ g.fields | length + 3 }}
WHERE id = $1 AND version = $${{ g.fields | length + 3 }} - 1;

-- name: Delete${{ A }} :execrows
DELETE FROM ${{ T }}
WHERE id = $1;
