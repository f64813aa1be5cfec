-- Outbox monitoring (the outbox itself is written and polled by pkg/outbox).

-- name: CountOutboxBacklog :one
SELECT count(*) FROM outbox_events
WHERE status IN ('pending', 'claimed');

-- name: CountFailedOutboxEvents :one
SELECT count(*) FROM outbox_events
WHERE status = 'failed';
