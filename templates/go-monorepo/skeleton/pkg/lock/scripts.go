package lock

import "github.com/redis/go-redis/v9"

// The owner check and the change must be one atomic step: between a GET and a
// DEL issued separately the lock could expire and be acquired by another owner,
// whose lock the DEL would then remove. Both scripts return 1 when the caller
// owned the key and 0 otherwise.
var (
	// KEYS[1] lock key, ARGV[1] owner token.
	releaseScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

	// KEYS[1] lock key, ARGV[1] owner token, ARGV[2] new TTL in milliseconds.
	refreshScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`)
)
