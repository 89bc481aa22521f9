package app

import "time"

// SetDigestPoll makes the digest's scheduler look again every d, for tests,
// until the returned function restores it.
func SetDigestPoll(d time.Duration) (restore func()) {
	old := digestPoll
	digestPoll = d
	return func() { digestPoll = old }
}

// DigestLooks is how many times m's digest scheduler has looked at the
// clock, and a channel closed when it next does; running is false when no
// scheduler runs (email is off, or m is closed).
func (m *Main) DigestLooks() (n int, next <-chan struct{}, running bool) {
	d := m.digests
	if d == nil {
		return 0, nil, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.looks, d.looked, true
}
