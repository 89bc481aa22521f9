package audit_test

import (
	"errors"
	"testing"
	"time"

	"lantern/audit"
)

func chain(n int) []*audit.Entry {
	var es []*audit.Entry
	at := time.Date(2026, 11, 22, 10, 0, 0, 123456789, time.UTC)
	for i := range n {
		es = append(es, &audit.Entry{At: at.Add(time.Duration(i) * time.Second), UserID: "u1", Action: "child.read", EntityID: "c1", Why: "GET /x"})
	}
	audit.Chain(0, audit.Genesis, es)
	return es
}

func verify(es []*audit.Entry, headSeq int64, headHash string) error {
	v := audit.NewVerifier()
	for _, e := range es {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return v.End(headSeq, headHash)
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(es []*audit.Entry) ([]*audit.Entry, int64, string)
		wantSeq int64 // 0: intact
	}{
		{"intact", func(es []*audit.Entry) ([]*audit.Entry, int64, string) { return es, 5, es[4].Hash }, 0},
		{"altered detail", func(es []*audit.Entry) ([]*audit.Entry, int64, string) {
			es[2].Detail = "changed"
			return es, 5, es[4].Hash
		}, 3},
		{"altered time", func(es []*audit.Entry) ([]*audit.Entry, int64, string) {
			es[1].At = es[1].At.Add(time.Second)
			return es, 5, es[4].Hash
		}, 2},
		{"altered and rehashed", func(es []*audit.Entry) ([]*audit.Entry, int64, string) {
			es[1].UserID = "u2"
			es[1].Hash = audit.Sum(es[1].PrevHash, es[1])
			return es, 5, es[4].Hash
		}, 3},
		{"removed from the middle", func(es []*audit.Entry) ([]*audit.Entry, int64, string) {
			return append(es[:2:2], es[3:]...), 5, es[4].Hash
		}, 3},
		{"removed from the end", func(es []*audit.Entry) ([]*audit.Entry, int64, string) { return es[:4], 5, es[4].Hash }, 5},
		{"reordered", func(es []*audit.Entry) ([]*audit.Entry, int64, string) {
			es[1], es[2] = es[2], es[1]
			return es, 5, es[4].Hash
		}, 2},
		{"renumbered after removal", func(es []*audit.Entry) ([]*audit.Entry, int64, string) {
			es = append(es[:2:2], es[3:]...)
			for i, e := range es {
				e.Seq = int64(i + 1)
			}
			return es, 4, es[3].Hash
		}, 3},
		{"head not moved", func(es []*audit.Entry) ([]*audit.Entry, int64, string) { return es, 4, es[3].Hash }, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, hs, hh := tt.tamper(chain(5))
			err := verify(es, hs, hh)
			if tt.wantSeq == 0 {
				if err != nil {
					t.Fatalf("intact chain: %v", err)
				}
				return
			}
			var p *audit.Problem
			if !errors.As(err, &p) {
				t.Fatalf("tampering not found: %v", err)
			}
			if p.Seq != tt.wantSeq {
				t.Errorf("first bad entry = %d (%s), want %d", p.Seq, p.Reason, tt.wantSeq)
			}
		})
	}
}

func TestChainNormalisesTime(t *testing.T) {
	es := chain(1)
	if es[0].At.Nanosecond()%1000 != 0 {
		t.Errorf("time not rounded to microseconds: %v", es[0].At)
	}
	if audit.Sum(audit.Genesis, es[0]) != es[0].Hash {
		t.Error("hash does not match contents")
	}
}
