package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"lantern"
	"lantern/store/storetest"
)

// TestAuditQueueReplicas: two replicas append audit entries at once, one
// running the background sequencer and the other chaining in the
// foreground as a search would; every acknowledged read is on the chain
// exactly once, the chain verifies, and nothing is left queued.
func TestAuditQueueReplicas(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			rs := storetest.Replicas(t, storetest.Config(t, d), 2)
			a, b := rs[0], rs[1]
			f := storetest.Seed(t, a)
			sw := storetest.As(f.SocialWorker)
			c, err := a.CreateChild(sw, lantern.ChildInput{GivenName: "Queue", FamilyName: "Test",
				DateOfBirth: lantern.Date{Year: 2011, Month: 3, Day: 4}, Gender: "female"})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); b.KeepAuditTree(ctx, nil, "") }()
			t.Cleanup(func() { cancel(); <-done })

			var acked atomic.Int64
			var wg sync.WaitGroup
			for i := range 8 {
				s := rs[i%2]
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 40 {
						if _, err := s.FindChildByID(sw, c.ID); err != nil {
							t.Error(err)
							return
						}
						acked.Add(1)
					}
				}()
			}
			// A search on the replica that is not the sequencer chains in
			// the foreground while the sequencer runs.
			for range 5 {
				if err := a.SyncAudit(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			wg.Wait()
			if err := a.SyncAudit(context.Background()); err != nil {
				t.Fatal(err)
			}
			n, err := a.VerifyAudit(lantern.NewSystemContext(context.Background(), "test"))
			if err != nil {
				t.Fatalf("verify after %d entries: %v", n, err)
			}
			var reads, distinct, queued int
			db := a.DB()
			if err := db.QueryRow(`SELECT count(*), count(DISTINCT hash) FROM audit_log WHERE action = 'child.read' AND child_id = $1`, c.ID).Scan(&reads, &distinct); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow(`SELECT count(*) FROM audit_queue`).Scan(&queued); err != nil {
				t.Fatal(err)
			}
			if int64(reads) != acked.Load() || distinct != reads || queued != 0 {
				t.Fatalf("%d reads acknowledged; the chain holds %d (%d distinct), %d still queued", acked.Load(), reads, distinct, queued)
			}
		})
	}
}
