package password

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// ErrBusy is Gate.Acquire's answer when too many hashes wait already, or
// one waited too long.
var ErrBusy = errors.New("password: too many hashes at once")

// Gate bounds the hashes computed at once. Each Argon2id hash holds 19 MiB
// for tens of milliseconds; unbounded, a burst of sign-ins held gigabytes.
// A bounded number may wait for a turn, for a bounded time; the rest are
// refused at once, so that the server sheds them instead of queueing them.
type Gate struct {
	slots   chan struct{}
	queue   chan struct{}
	maxWait time.Duration
}

// NewGate lets slots hashes run at once and queue more wait, each for at
// most maxWait. Zero values take defaults: a slot per CPU, sixteen waiting
// per slot, two seconds.
func NewGate(slots, queue int, maxWait time.Duration) *Gate {
	if slots <= 0 {
		slots = runtime.GOMAXPROCS(0)
	}
	if queue <= 0 {
		queue = 16 * slots
	}
	if maxWait <= 0 {
		maxWait = 2 * time.Second
	}
	return &Gate{slots: make(chan struct{}, slots), queue: make(chan struct{}, queue), maxWait: maxWait}
}

// Acquire waits for a turn to hash and returns its release, or ErrBusy
// (or ctx's error) without one.
func (g *Gate) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return g.release, nil
	default:
	}
	select {
	case g.queue <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	defer func() { <-g.queue }()
	t := time.NewTimer(g.maxWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *Gate) release() { <-g.slots }
