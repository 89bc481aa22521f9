package store_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/audit"
	"lantern/store/storetest"
)

// BenchmarkAuditTree times, on SQLite, over N entries (LANTERN_AUDIT_N,
// 200,000 by default): integrating them into the tree and signing, making
// and checking an inclusion proof, and verifying the chain and the tree
// whole.
//
//	LANTERN_AUDIT_N=1000000 go test -run '^$' -bench AuditTree -benchtime 1x ./store/
func BenchmarkAuditTree(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("LANTERN_AUDIT_N")); err == nil && v > 0 {
		n = v
	}
	s := storetest.Open(b, "sqlite", nil)
	ctx := context.Background()
	sys := lantern.NewSystemContext(ctx, "bench")
	// N entries, chained as the store chains them, written directly.
	var seq int64
	var head string
	if err := s.DB().QueryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &head); err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	const rows = 500
	tx, err := s.DB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for done := 0; done < n; done += rows {
		k := min(rows, n-done)
		es := make([]*audit.Entry, k)
		for i := range es {
			es[i] = &audit.Entry{At: at.Add(time.Duration(done+i) * time.Millisecond), UserID: "u", Action: "child.read", Entity: "child",
				EntityID: fmt.Sprint(done + i), ChildID: fmt.Sprint(done + i), Why: "bench"}
		}
		seq, head = audit.Chain(seq, head, es)
		var q strings.Builder
		args := make([]any, 0, k*13)
		q.WriteString(`INSERT INTO audit_log (seq, at, user_id, agency_id, ip, action, entity, entity_id, child_id, why, detail, prev_hash, hash) VALUES `)
		for i, e := range es {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, e.Seq, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.UserID, e.AgencyID, e.IP, e.Action, e.Entity, e.EntityID, e.ChildID, e.Why, e.Detail, e.PrevHash, e.Hash)
		}
		if _, err := tx.Exec(q.String(), args...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := tx.Exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, head); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d entries written in %s", seq, time.Since(began).Round(time.Millisecond))
	skey, pub, _ := audit.GenerateKey()
	signer, _ := audit.LoadSignerFrom(skey)
	v, _ := audit.NewKeyVerifier(base64.StdEncoding.EncodeToString(pub))
	b.ResetTimer()
	for range b.N {
		began = time.Now()
		var size uint64
		for size < uint64(seq) {
			if size, err = s.IntegrateAudit(ctx, signer, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("integrated and signed %d entries in %s", size, time.Since(began).Round(time.Millisecond))
		const proofs = 200
		var making, check time.Duration
		for range proofs {
			k := 1 + rand.Int64N(seq)
			t0 := time.Now()
			p, err := s.AuditProof(sys, k)
			if err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if err := p.Check(v); err != nil {
				b.Fatal(err)
			}
			making, check = making+t1.Sub(t0), check+time.Since(t1)
		}
		b.Logf("an inclusion proof: %s to make, %s to check (mean of %d)", making/proofs, check/proofs, proofs)
		began = time.Now()
		if _, err := s.VerifyAudit(ctx); err != nil {
			b.Fatal(err)
		}
		chain := time.Since(began)
		began = time.Now()
		if _, err := s.VerifyAuditTree(ctx, nil); err != nil {
			b.Fatal(err)
		}
		b.Logf("verify: the chain %s, the tree %s", chain.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
	}
}
