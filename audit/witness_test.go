package audit_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"testing"

	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/note"

	"lantern/audit"
)

type witnessFixture struct {
	tree     *testonly.Tree
	log      note.Signer
	logKey   note.Verifier
	cosigner note.Signer
	wkey     string // the witness's cosignature verifier key
}

func newWitnessFixture(t testing.TB) *witnessFixture {
	t.Helper()
	skey, pub, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := audit.LoadSignerFrom(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := audit.NewKeyVerifier(base64.StdEncoding.EncodeToString(pub))
	if err != nil {
		t.Fatal(err)
	}
	wskey, wvkey, err := audit.GenerateWitnessKey("police.example.org")
	if err != nil {
		t.Fatal(err)
	}
	cosigner, err := fnote.NewSignerForCosignatureV1(wskey)
	if err != nil {
		t.Fatal(err)
	}
	return &witnessFixture{tree: testonly.New(audit.Hasher), log: signer, logKey: v, cosigner: cosigner, wkey: wvkey}
}

// grow appends n leaves and signs a checkpoint of the tree.
func (f *witnessFixture) grow(t testing.TB, n int) string {
	t.Helper()
	for range n {
		f.tree.AppendData([]byte(fmt.Sprintf("entry %d", f.tree.Size())))
	}
	cp, err := audit.SignCheckpoint(f.log, f.tree.Size(), f.tree.Hash())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func (f *witnessFixture) body(t testing.TB, old uint64, cp string) []byte {
	t.Helper()
	var hashes [][]byte
	if old > 0 {
		var err error
		if hashes, err = f.tree.ConsistencyProof(old, f.tree.Size()); err != nil {
			t.Fatal(err)
		}
	}
	return audit.AddCheckpointBody(old, hashes, cp)
}

// TestWitness: a witness cosigns a checkpoint that grew from the one it
// holds, and refuses, with the protocol's status, one from another size,
// another log, another key, a shrunk or forked log, or a malformed body;
// a cosigned checkpoint checks with both keys and not with another.
func TestWitness(t *testing.T) {
	f := newWitnessFixture(t)
	var st audit.WitnessState
	first := f.grow(t, 5)
	st, sig, err := audit.AddCheckpoint(st, f.logKey, f.cosigner, f.body(t, 0, first))
	if err != nil || st.Size != 5 {
		t.Fatalf("the first checkpoint: %v (state %d)", err, st.Size)
	}
	size, root, at, err := audit.CheckCosigned(audit.Cosigned(first, sig), f.logKey, f.wkey)
	if err != nil || size != 5 || string(root) != string(f.tree.Hash()) || at.IsZero() {
		t.Fatalf("the cosigned checkpoint: %d %x %v %v", size, root, at, err)
	}
	_, otherW, _ := audit.GenerateWitnessKey("health.example.org")
	if _, _, _, err := audit.CheckCosigned(audit.Cosigned(first, sig), f.logKey, otherW); err == nil {
		t.Error("a cosignature checked under another witness's key")
	}
	if _, _, _, err := audit.CheckCosigned(first, f.logKey, f.wkey); err == nil {
		t.Error("a checkpoint with no cosignature checked as cosigned")
	}

	second := f.grow(t, 7)
	other := newWitnessFixture(t)
	otherCP := other.grow(t, 12)
	forked := newWitnessFixture(t)
	forked.log, forked.logKey = f.log, f.logKey
	forked.tree.AppendData([]byte("an entry rewritten"))
	forkedCP := forked.grow(t, 11) // the same key, another first entry
	for _, c := range []struct {
		name   string
		body   []byte
		status int
	}{
		{"another size held", f.body(t, 3, second), http.StatusConflict},
		{"another log's key", other.body(t, 5, otherCP), http.StatusForbidden},
		{"a forked log", forked.body(t, 5, forkedCP), http.StatusUnprocessableEntity},
		{"a proof that does not hold", audit.AddCheckpointBody(5, [][]byte{make([]byte, 32)}, second), http.StatusUnprocessableEntity},
		{"no blank line", []byte("old 5\n" + second), http.StatusBadRequest},
		{"no old line", []byte("new 5\n\n" + second), http.StatusBadRequest},
		{"a bad proof line", []byte("old 5\nnot base64!\n\n" + second), http.StatusBadRequest},
		{"a size with a sign", []byte("old +5\n\n" + second), http.StatusBadRequest},
		{"too large", make([]byte, audit.MaxAddCheckpoint+1), http.StatusRequestEntityTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := audit.AddCheckpoint(st, f.logKey, f.cosigner, c.body)
			var we *audit.WitnessError
			if !errors.As(err, &we) || we.Status != c.status {
				t.Fatalf("%v, want status %d", err, c.status)
			}
			if got.Size != st.Size || !bytes.Equal(got.Root, st.Root) {
				t.Fatal("a refused checkpoint changed the witness's state")
			}
			if c.status == http.StatusConflict && we.Size != 5 {
				t.Fatalf("the conflict says the witness holds %d, want 5", we.Size)
			}
		})
	}
	st, _, err = audit.AddCheckpoint(st, f.logKey, f.cosigner, f.body(t, 5, second))
	if err != nil || st.Size != 12 {
		t.Fatalf("the grown checkpoint: %v", err)
	}
	// The same checkpoint again is cosigned again: the log only grew (by 0).
	if _, _, err := audit.AddCheckpoint(st, f.logKey, f.cosigner, f.body(t, 12, second)); err != nil {
		t.Fatalf("the same checkpoint again: %v", err)
	}
	// An older one is refused.
	if _, _, err := audit.AddCheckpoint(st, f.logKey, f.cosigner, audit.AddCheckpointBody(12, nil, first)); err == nil {
		t.Fatal("a smaller checkpoint was cosigned")
	}
}

// FuzzAddCheckpoint: no body a stranger sends a witness makes it panic, or
// cosign what does not grow from the checkpoint it holds.
func FuzzAddCheckpoint(f *testing.F) {
	w := newWitnessFixture(f)
	first := w.grow(f, 3)
	st, _, err := audit.AddCheckpoint(audit.WitnessState{}, w.logKey, w.cosigner, w.body(f, 0, first))
	if err != nil {
		f.Fatal(err)
	}
	second := w.grow(f, 4)
	f.Add(w.body(f, 3, second))
	f.Add([]byte("old 3\n\n" + second))
	f.Add([]byte("old 0\n\n" + first))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, _, err := audit.AddCheckpoint(st, w.logKey, w.cosigner, body)
		if err == nil && got.Size < st.Size {
			t.Fatalf("cosigned a log of %d entries after one of %d", got.Size, st.Size)
		}
	})
}
