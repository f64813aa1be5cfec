-- Initial schema of ledger_db (the same DDL as schema/schema.sql).

CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL,
    display_name text NOT NULL,
    balance_amount numeric(28, 9) NOT NULL,
    balance_currency char(3) NOT NULL,
    opened_at timestamptz NOT NULL,
    tier text NOT NULL CHECK (tier IN ('basic', 'premium')),
    note text,
    status text NOT NULL CHECK (status IN ('open', 'frozen', 'closed')),
    request_id text CONSTRAINT accounts_request_id_key UNIQUE CHECK (length(request_id) BETWEEN 1 AND 200),
    version bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE INDEX accounts_status_idx ON accounts (status);
