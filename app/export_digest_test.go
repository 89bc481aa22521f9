package app

import "time"

// SetDigestPoll makes the digest's scheduler look again every d, for tests,
// until the returned function restores it.
func SetDigestPoll(d time.Duration) (restore func()) {
	old := digestPoll
	digestPoll = d
	return func() { digestPoll = old }
}
