// Package audit holds the audit trail's entries and the hash chain that
// makes the trail tamper-evident. It does no I/O: the store appends and
// reads entries, this package says what their hashes must be.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one line of the audit trail: who did what, when, from where and why.
type Entry struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	UserID   string    `json:"user_id,omitempty"`
	AgencyID string    `json:"agency_id,omitempty"`
	IP       string    `json:"ip,omitempty"`
	Action   string    `json:"action"`              // e.g. "child.read", "signin.failure"
	Entity   string    `json:"entity,omitempty"`    // e.g. "child", "user"
	EntityID string    `json:"entity_id,omitempty"` // the record's id
	ChildID  string    `json:"child_id,omitempty"`  // the child concerned, if any
	Why      string    `json:"why"`                 // the page or API call
	Detail   string    `json:"detail,omitempty"`    // ids and field names, never case content
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// Normalise rounds At to the microsecond, the precision both databases keep,
// so the hash computed before storing is the hash of what is read back.
func (e *Entry) Normalise() { e.At = e.At.UTC().Truncate(time.Microsecond) }

// Sum is the hash of e's contents chained to prev.
func Sum(prev string, e *Entry) string {
	h := sha256.New()
	var n [8]byte
	field := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field("lantern-audit-v1")
	field(prev)
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	field(e.At.UTC().Format(time.RFC3339Nano))
	for _, s := range []string{e.UserID, e.AgencyID, e.IP, e.Action, e.Entity, e.EntityID, e.ChildID, e.Why, e.Detail} {
		field(s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Chain links entries onto a head: it assigns each its sequence number and
// hashes. It returns the new head.
func Chain(headSeq int64, headHash string, entries []*Entry) (int64, string) {
	for _, e := range entries {
		e.Normalise()
		headSeq++
		e.Seq = headSeq
		e.PrevHash = headHash
		e.Hash = Sum(headHash, e)
		headHash = e.Hash
	}
	return headSeq, headHash
}

// Verifier checks entries one by one, in sequence order, as they are read.
type Verifier struct {
	seq  int64
	hash string
	n    int64
}

// NewVerifier starts at the beginning of the trail.
func NewVerifier() *Verifier { return &Verifier{hash: Genesis} }

// Problem names the first entry found altered, removed or reordered.
type Problem struct {
	Seq    int64
	Reason string
}

func (p *Problem) Error() string { return fmt.Sprintf("audit entry %d: %s", p.Seq, p.Reason) }

// Next checks the next entry read from the store.
func (v *Verifier) Next(e *Entry) error {
	want := v.seq + 1
	switch {
	case e.Seq < want:
		return &Problem{e.Seq, fmt.Sprintf("out of order: it follows entry %d", v.seq)}
	case e.Seq > want:
		return &Problem{want, fmt.Sprintf("removed: the trail jumps from entry %d to entry %d", v.seq, e.Seq)}
	case e.PrevHash != v.hash:
		return &Problem{e.Seq, "does not follow the entry before it: an entry was altered, removed or reordered"}
	case Sum(e.PrevHash, e) != e.Hash:
		return &Problem{e.Seq, "altered: its contents do not match its hash"}
	}
	v.seq, v.hash = e.Seq, e.Hash
	v.n++
	return nil
}

// End checks the trail ends where the store's head says it does, so that
// entries removed from the end are found too.
func (v *Verifier) End(headSeq int64, headHash string) error {
	switch {
	case headSeq > v.seq:
		return &Problem{v.seq + 1, fmt.Sprintf("removed: the trail ends at entry %d but the head records entry %d", v.seq, headSeq)}
	case headSeq < v.seq:
		return &Problem{headSeq + 1, fmt.Sprintf("not recorded at the head: the head records entry %d", headSeq)}
	case headHash != v.hash:
		return &Problem{v.seq, "altered: the head's hash does not match the last entry"}
	}
	return nil
}

// Count is the number of entries verified so far.
func (v *Verifier) Count() int64 { return v.n }
