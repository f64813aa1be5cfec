{%- set r = values.rpc -%}
-- The query of the ${{ r.name }} RPC; `sqlc generate` (run in db/) writes ../sqlcgen.

-- name: ${{ r.name }} :many
SELECT * FROM ${{ values.table }}
WHERE
{%- for f in r.fields %}
    ${{ f.name }} = sqlc.arg(${{ f.name }})
    AND
{%- endfor %}
    (sqlc.narg(after_id)::uuid IS NULL OR id > sqlc.narg(after_id)::uuid)
ORDER BY id
LIMIT sqlc.arg(page_limit);
