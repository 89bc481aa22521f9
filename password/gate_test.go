package password

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The gate lets its slots run at once, queues a bounded number more, and
// refuses the rest at once.
func TestGateBoundsHashesAtOnce(t *testing.T) {
	g := NewGate(2, 3, time.Minute)
	var running, most atomic.Int32
	hold := make(chan struct{})
	var wg sync.WaitGroup
	var busy atomic.Int32
	started := make(chan struct{}, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rel, err := g.Acquire(context.Background())
			started <- struct{}{}
			if errors.Is(err, ErrBusy) {
				busy.Add(1)
				return
			} else if err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			<-hold
			running.Add(-1)
			rel()
		}()
	}
	// Two run and three wait; the other five are refused at once, before
	// anything is let go (seven have their answer).
	for range 7 {
		<-started
	}
	if got := busy.Load(); got != 5 {
		t.Errorf("%d refused at once, want 5", got)
	}
	close(hold)
	wg.Wait()
	if most.Load() != 2 {
		t.Errorf("%d ran at once, want 2", most.Load())
	}
	if busy.Load() != 5 {
		t.Errorf("%d refused in all, want 5 (the three waiting ran)", busy.Load())
	}
}

// One that waits too long for a turn is refused, and gives up its place.
func TestGateWaitIsBounded(t *testing.T) {
	g := NewGate(1, 1, 20*time.Millisecond)
	rel, err := g.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Acquire(context.Background()); !errors.Is(err, ErrBusy) {
		t.Fatalf("waited past the bound: %v", err)
	}
	rel()
	rel2, err := g.Acquire(context.Background())
	if err != nil {
		t.Fatalf("after the slot was let go: %v", err)
	}
	rel2()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rel3, _ := g.Acquire(ctx) // a free slot is taken even so
	rel3()
}
