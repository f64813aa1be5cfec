package lock

import "errors"

// ErrNotAcquired is returned by Acquire when another owner holds the key.
var ErrNotAcquired = errors.New("lock: held by another owner")

// ErrNotHeld is returned by Release and Refresh when the lock is no longer
// held by this owner: it expired, or another owner acquired it since.
var ErrNotHeld = errors.New("lock: not held by this owner")
