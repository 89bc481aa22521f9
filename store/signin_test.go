package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// A burst of wrong passwords sent at once from one address is counted
// before any is hashed: the limit's worth are checked, and the rest refused
// without hashing (all were hashed, and the server's memory grew by 19 MiB
// a hash).
func TestSignInBurstIsCountedBeforeHashing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: "198.51.100.20", Why: "POST /sign-in"})
		const n = 100
		codes := make(chan lantern.Code, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := s.CheckPassword(ctx, f.Teacher.Email, fmt.Sprintf("wrong password %d", i))
				codes <- lantern.ErrorCode(err)
			}()
		}
		close(start)
		wg.Wait()
		close(codes)
		got := map[lantern.Code]int{}
		for c := range codes {
			got[c]++
		}
		if got[lantern.EUNAUTHORIZED]+got[lantern.ERATELIMITED] != n {
			t.Errorf("answers %v: want only wrong-password and rate-limited", got)
		}
		failures, _, _ := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "signin.failure", Limit: 500})
		if len(failures) != store.MaxPairFailures {
			t.Errorf("%d passwords checked, want %d: the rest are refused before hashing", len(failures), store.MaxPairFailures)
		}
		refused, _, _ := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "signin.refused", Limit: 500})
		if len(refused) != n-store.MaxPairFailures {
			t.Errorf("%d refused, want %d", len(refused), n-store.MaxPairFailures)
		}
	})
}

// Past the bound on hashes at once, a sign-in is turned away as busy, and
// not counted: it may be made again in a moment.
func TestSignInPastTheHashBoundIsBusyAndNotCounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: "198.51.100.21", Why: "POST /sign-in"})
		// Fill every slot and every place in the queue.
		gate := s.HashGate()
		var held []func()
		for {
			rel, err := gate.Acquire(context.Background())
			if err != nil {
				break
			}
			held = append(held, rel)
		}
		waiting, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if rel, err := gate.Acquire(waiting); err == nil {
					rel()
				}
			}()
		}
		time.Sleep(50 * time.Millisecond) // let the waiters queue
		for range store.MaxPairFailures + 2 {
			_, err := s.CheckPassword(ctx, f.Teacher.Email, "wrong password")
			wantCode(t, err, lantern.EUNAVAILABLE)
		}
		cancel()
		wg.Wait()
		for _, rel := range held {
			rel()
		}
		// None of those was counted: the limit's worth of wrong passwords
		// may still be tried, and the right one after them is locked out.
		for i := range store.MaxPairFailures {
			_, err := s.CheckPassword(ctx, f.Teacher.Email, "wrong password")
			if i < store.MaxPairFailures-1 {
				wantCode(t, err, lantern.EUNAUTHORIZED)
			} else {
				wantCode(t, err, lantern.ERATELIMITED)
			}
		}
	})
}

// Made-up API tokens are counted apart from passwords: a flood of them from
// a school's one address locks no one's sign-in there.
func TestRefusedTokensDoNotLockPasswordSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: "198.51.100.22", Why: "GET /api/v1/me"})
		for range store.MaxTokenFailures {
			if err := s.TokenRefused(ctx); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, s.TokenRefused(ctx), lantern.ERATELIMITED)
		if _, err := s.CheckPassword(ctx, f.Teacher.Email, storetest.Password); err != nil {
			t.Errorf("a password sign-in from the address: %v", err)
		}
	})
}
