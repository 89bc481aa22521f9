package store_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"lantern"
	"lantern/audit"
	"lantern/store"
	"lantern/store/storetest"
)

// TestAuditTree: the sequencer integrates every entry into the tree and
// signs a checkpoint; an entry's inclusion proof checks offline with the
// public key alone, and fails for a tampered entry, another key, another
// tree or another entry; a second sequencer is refused while the first
// holds the lease; a proof of an old entry holds in a later checkpoint.
func TestAuditTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		skey, pub, err := audit.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		signer, err := audit.LoadSignerFrom(skey)
		if err != nil {
			t.Fatal(err)
		}
		v, err := audit.NewKeyVerifier(encode(pub))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		size, err := s.IntegrateAudit(ctx, signer, "replica-a")
		if err != nil || size == 0 {
			t.Fatalf("integrated %d: %v", size, err)
		}
		if _, err := s.IntegrateAudit(ctx, signer, "replica-b"); !errors.Is(err, store.ErrNotSequencer) {
			t.Fatalf("a second sequencer: %v", err)
		}
		for _, seq := range []int64{1, int64(size) / 2, int64(size)} {
			p, err := s.AuditProof(sys, seq)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Check(v); err != nil {
				t.Fatalf("entry %d's proof: %v", seq, err)
			}
		}
		p, err := s.AuditProof(sys, 2)
		if err != nil {
			t.Fatal(err)
		}
		_, otherPub, _ := audit.GenerateKey()
		other, _ := audit.NewKeyVerifier(encode(otherPub))
		for name, bad := range map[string]func(q *audit.Proof) error{
			"an altered entry": func(q *audit.Proof) error { q.EntryHash = strings.Repeat("ab", 32); return q.Check(v) },
			"another key":      func(q *audit.Proof) error { return q.Check(other) },
			"another root":     func(q *audit.Proof) error { q.Root = strings.Repeat("00", 32); return q.Check(v) },
			"another entry":    func(q *audit.Proof) error { q.Seq, q.LeafIndex = 3, 2; return q.Check(v) },
			"a forged checkpoint": func(q *audit.Proof) error {
				q.Checkpoint = strings.Replace(q.Checkpoint, "\n", "\n1", 1)
				return q.Check(v)
			},
			"a shortened path": func(q *audit.Proof) error { q.Hashes = q.Hashes[1:]; return q.Check(v) },
		} {
			q := *p
			q.Hashes = append([]string(nil), p.Hashes...)
			if err := bad(&q); err == nil {
				t.Errorf("%s: the proof checked", name)
			}
		}
		if _, err := s.AuditProof(storetest.As(f.Admin), 1); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("an administrator proved an entry: %v", err)
		}
		if _, err := s.AuditProof(sys, int64(size)+1); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Errorf("an entry past the checkpoint: %v", err)
		}
		// More entries; the old entry's proof in the new checkpoint.
		if _, err := s.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Tia", FamilyName: "Later", DateOfBirth: lantern.Date{Year: 2012, Month: 5, Day: 1}, Gender: "female"}); err != nil {
			t.Fatal(err)
		}
		grown, err := s.IntegrateAudit(ctx, signer, "replica-a")
		if err != nil || grown <= size {
			t.Fatalf("integrated %d after %d: %v", grown, size, err)
		}
		p, err = s.AuditProof(sys, 2)
		if err != nil || p.TreeSize != grown {
			t.Fatalf("proof in the grown tree: %+v %v", p, err)
		}
		if err := p.Check(v); err != nil {
			t.Fatalf("entry 2 in the grown tree: %v", err)
		}

		// The log of the first checkpoint only grew into the second's.
		c, err := s.AuditConsistency(sys, size, grown)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Check(v); err != nil {
			t.Fatalf("consistency %d to %d: %v", size, grown, err)
		}
		swapped := audit.Consistency{From: c.To, To: c.From, Hashes: c.Hashes}
		if swapped.Check(v) == nil {
			t.Error("a consistency proof checked backwards")
		}
		if len(c.Hashes) > 0 {
			bent := audit.Consistency{From: c.From, To: c.To, Hashes: append([]string{strings.Repeat("ef", 32)}, c.Hashes[1:]...)}
			if bent.Check(v) == nil {
				t.Error("a consistency proof with a changed hash checked")
			}
		}
		if c.Check(other) == nil {
			t.Error("a consistency proof checked with another key")
		}
		if _, err := s.AuditConsistency(sys, size, grown+1); lantern.ErrorCode(err) != lantern.EINVALID {
			t.Errorf("a size never signed: %v", err)
		}
		// verify: the tree agrees with the entries, and with a witness.
		if n, err := s.VerifyAuditTree(ctx, nil); err != nil || n != grown {
			t.Fatalf("verify the tree: %d %v", n, err)
		}
		cp, _, err := s.AuditCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := json.Marshal(audit.Witnessed{At: clock.Now(), Checkpoint: cp})
		witnessed, err := audit.ReadWitness(bytes.NewReader(append(line, '\n')), v)
		if err != nil || len(witnessed) != 1 || witnessed[0].Size != grown {
			t.Fatalf("the witness file: %+v %v", witnessed, err)
		}
		if _, err := audit.ReadWitness(bytes.NewReader(append(line, '\n')), other); err == nil {
			t.Error("a witness file checked with another key")
		}
		if _, err := s.VerifyAuditTree(ctx, witnessed); err != nil {
			t.Fatalf("verify with the witness: %v", err)
		}
		// Someone who can write the database rewrites entry 2...
		dropGuards(t, s)
		if _, err := s.DB().Exec(`UPDATE audit_log SET hash = '` + strings.Repeat("cd", 32) + `' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		var pr *audit.Problem
		if _, err := s.VerifyAuditTree(ctx, nil); !errors.As(err, &pr) || pr.Seq != 2 {
			t.Fatalf("an entry rewritten: %v", err)
		}
		// ...and the tree's own record of it: the witness still catches it.
		for _, q := range []string{`DELETE FROM audit_tree_nodes`, `DELETE FROM audit_checkpoints`} {
			if _, err := s.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.VerifyAuditTree(ctx, witnessed); !errors.As(err, &pr) || pr.Seq != int64(grown) || !strings.Contains(pr.Reason, "witness") {
			t.Fatalf("rewritten with the tree, against the witness: %v", err)
		}
	})
}

func encode(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// TestBenchLimitReadOperatorOnly: the benchmark's limit read checks no
// access rule, so no user may call it.
func TestBenchLimitReadOperatorOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		c, err := s.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: "Tia", FamilyName: "Limit", DateOfBirth: lantern.Date{Year: 2012, Month: 5, Day: 1}, Gender: "female"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.BenchLimitRead(storetest.As(f.Teacher), c.ID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Fatalf("a teacher read through the limit: %v", err)
		}
		if name, err := s.BenchLimitRead(lantern.NewSystemContext(context.Background(), "bench"), c.ID); err != nil || name != "Tia" {
			t.Fatalf("the operator: %q %v", name, err)
		}
	})
}
