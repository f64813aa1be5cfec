-- Queries of the accounts table; `sqlc generate` (run in db/) writes ../sqlcgen.

-- name: CreateAccount :execrows
-- A row with the same request_id is kept: 0 rows means the key was used
-- (GetAccountByRequestID returns the first result).
INSERT INTO accounts (
    id,
    owner_id,
    display_name,
    balance_amount,
    balance_currency,
    opened_at,
    tier,
    note,
    status,
    request_id,
    version,
    created_at,
    updated_at
) VALUES (
    $1,
    $2,
    $3,
    $4,
    $5,
    $6,
    $7,
    $8,
    $9,
    $10,
    $11,
    $12,
    $13
)
ON CONFLICT (request_id) DO NOTHING;

-- name: GetAccountByRequestID :one
SELECT * FROM accounts
WHERE request_id = $1;

-- name: GetAccount :one
SELECT * FROM accounts
WHERE id = $1;

-- name: GetAccountForUpdate :one
SELECT * FROM accounts
WHERE id = $1
FOR UPDATE;

-- name: ListAccounts :many
SELECT * FROM accounts
WHERE sqlc.narg(after_id)::uuid IS NULL OR id > sqlc.narg(after_id)::uuid
ORDER BY id
LIMIT sqlc.arg(page_limit);

-- name: UpdateAccount :execrows
-- Writes the changed values and the next version, only over the version that
-- was read; created_at is never rewritten.
UPDATE accounts SET
    owner_id = $2,
    display_name = $3,
    balance_amount = $4,
    balance_currency = $5,
    opened_at = $6,
    tier = $7,
    note = $8,
    status = $9,
    updated_at = $10,
    version = $11
WHERE id = $1 AND version = $11 - 1;

-- name: DeleteAccount :execrows
DELETE FROM accounts
WHERE id = $1;
