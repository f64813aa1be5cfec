-- The consumer inbox: ids of the messages a consumer has processed.

-- name: MarkMessageProcessed :execrows
-- Records the message; 0 rows when it was already processed.
INSERT INTO processed_messages (consumer, message_id)
VALUES ($1, $2)
ON CONFLICT (consumer, message_id) DO NOTHING;

-- name: DeleteProcessedMessagesBefore :execrows
DELETE FROM processed_messages
WHERE processed_at < $1;
