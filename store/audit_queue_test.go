package store_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/testonly"

	"lantern"
	"lantern/audit"
	"lantern/store"
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

// TestAuditSequencerDies: sequencers that die mid-batch (their context
// cut at ever later points, each next one a new holder after the lease
// ran out) leave nothing half done: the next resumes, every entry is
// chained once, and the tree and its checkpoint are the tree of all the
// entries, as if none had died.
func TestAuditSequencerDies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		sys := lantern.NewSystemContext(context.Background(), "test")
		const entries = 1000
		for i := range entries {
			if err := s.RecordOperation(sys, "store.test", fmt.Sprintf("entry %d", i)); err != nil {
				t.Fatal(err)
			}
		}
		skey, _, err := audit.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		signer, err := audit.LoadSignerFrom(skey)
		if err != nil {
			t.Fatal(err)
		}
		died := 0
		for i := 1; ; i++ {
			clock.Add(11 * time.Second) // the last holder's lease has run out
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i*i)*50*time.Microsecond)
			size, err := s.IntegrateAudit(ctx, signer, fmt.Sprintf("sequencer-%d", i))
			cancel()
			if err == nil && size >= entries {
				break
			}
			if err == nil {
				continue
			}
			died++
			if i > 400 {
				t.Fatalf("no sequencer finished: %v", err)
			}
		}
		if died == 0 {
			t.Log("no sequencer died mid-batch: the machine was quick")
		}
		var queued, chained int
		if err := s.DB().QueryRow(`SELECT (SELECT count(*) FROM audit_queue), (SELECT count(*) FROM audit_log WHERE action = 'store.test')`).Scan(&queued, &chained); err != nil {
			t.Fatal(err)
		}
		if queued != 0 || chained != entries {
			t.Fatalf("after %d sequencers died: %d chained, %d still queued; want %d and none", died, chained, queued, entries)
		}
		// The tree of every entry, made here from the log alone.
		rows, err := s.DB().Query(`SELECT hash FROM audit_log ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		tree := testonly.New(audit.Hasher)
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				t.Fatal(err)
			}
			leaf, err := audit.LeafHash(h)
			if err != nil {
				t.Fatal(err)
			}
			tree.Append(leaf)
		}
		rows.Close()
		cp, size, err := s.AuditCheckpoint(context.Background())
		if err != nil || size != tree.Size() {
			t.Fatalf("the checkpoint covers %d of %d entries: %v", size, tree.Size(), err)
		}
		v, _ := audit.VerifierOf(skey)
		got, err := audit.OpenCheckpoint(cp, v)
		if err != nil || !bytes.Equal(got.Hash, tree.Hash()) {
			t.Fatalf("after %d sequencers died the checkpoint's root is %x, the tree of the entries %x (%v)", died, got.Hash, tree.Hash(), err)
		}
		if _, err := s.VerifyAuditTree(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d sequencers died mid-batch before one finished", died)
	})
}
