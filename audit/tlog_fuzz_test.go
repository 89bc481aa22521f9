package audit

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"
)

// FuzzCheckProof: a proof read from a file (lantern audit check-proof) is
// untrusted; whatever it holds, checking it answers, and never panics or
// passes a proof that was not made.
func FuzzCheckProof(f *testing.F) {
	_, pub, err := GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	v, err := NewKeyVerifier(base64.StdEncoding.EncodeToString(pub))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"seq":1,"entry_hash":"` + Genesis + `","leaf_index":0,"tree_size":1,"root":"` + Genesis + `","proof":[],"checkpoint":"lantern/audit\n1\nAAAA\n\n— lantern-audit x\n"}`))
	f.Add([]byte(`{"seq":-5,"leaf_index":18446744073709551615,"tree_size":0,"proof":["zz"]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Proof
		if json.Unmarshal(b, &p) != nil {
			return
		}
		if err := p.Check(v); err == nil {
			t.Fatalf("a proof no key of ours signed was accepted: %s", b)
		}
	})
}

// FuzzReadWitness: a witness file is read from other storage; whatever it
// holds, reading it answers and never panics.
func FuzzReadWitness(f *testing.F) {
	_, pub, _ := GenerateKey()
	v, _ := NewKeyVerifier(base64.StdEncoding.EncodeToString(pub))
	f.Add([]byte(`{"at":"2026-12-02T10:00:00Z","checkpoint":"lantern/audit\n3\nq83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\n\n— lantern-audit AAAA\n"}` + "\n"))
	f.Add([]byte("\n\n{}\n"))
	f.Add([]byte(`{"checkpoint":"lantern/audit\n-1\n\n"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadWitness(bytes.NewReader(b), nil)
		if cps, err := ReadWitness(bytes.NewReader(b), v); err == nil && len(cps) > 0 {
			t.Fatalf("a checkpoint no key of ours signed was accepted: %q", b)
		}
	})
}
