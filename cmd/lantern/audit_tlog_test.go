package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lantern/app"
	"lantern/audit"
	"lantern/store"
)

// TestAuditProofCommands: keygen writes a private key file (0600, never
// over another) and prints the public key; a proof printed by prove checks
// with check-proof and that key alone, and one altered, or checked with
// another key, is refused with exit 1 and the reason; a server given a key
// file it cannot read refuses to start, naming it.
func TestAuditProofCommands(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "audit.key")
	r := lanternCmd(t, "", "audit", "keygen", "--to", key)
	if r.code != 0 || len(strings.TrimSpace(r.stdout)) != 44 {
		t.Fatalf("keygen: %d %q %s", r.code, r.stdout, r.msg())
	}
	pub := strings.TrimSpace(r.stdout)
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi.Mode(), err)
	}
	if r := lanternCmd(t, "", "audit", "keygen", "--to", key); r.code == 0 {
		t.Fatal("keygen wrote over a key")
	}
	// Entries, integrated and signed as a serving sequencer would.
	data := filepath.Join(dir, "data")
	st := checkStore(t, store.Config{DataDir: data})
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := lanternCmd(t, "", "agency", "add", "--data", data, "--name", "Northmoor Children's Services", "--kind", "childrens-social-care"); r.code != 0 {
		t.Fatal(r.msg())
	}
	signer, err := audit.LoadSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.IntegrateAudit(context.Background(), signer, "test"); err != nil {
		t.Fatal(err)
	}
	r = lanternCmd(t, "", "audit", "prove", "--data", data, "--seq", "1")
	if r.code != 0 {
		t.Fatalf("prove: %s", r.msg())
	}
	proof := filepath.Join(dir, "proof.json")
	os.WriteFile(proof, []byte(r.stdout), 0o600)
	if r := lanternCmd(t, "", "audit", "check-proof", "--public-key", pub, "--proof", proof); r.code != 0 || !strings.Contains(r.stdout, "proof valid") {
		t.Fatalf("check-proof: %d %q %s", r.code, r.stdout, r.msg())
	}
	bad := filepath.Join(dir, "bad.json")
	var q audit.Proof
	b, _ := os.ReadFile(proof)
	b0 := b
	json.Unmarshal(b, &q)
	q.EntryHash = strings.Repeat("ab", 32)
	b, _ = json.Marshal(q)
	os.WriteFile(bad, b, 0o600)
	if r := lanternCmd(t, "", "audit", "check-proof", "--public-key", pub, "--proof", bad); r.code != 1 || !strings.Contains(r.stdout, "NOT valid") {
		t.Errorf("an altered entry: %d %q", r.code, r.stdout)
	}
	_, other, _ := audit.GenerateKey()
	if r := lanternCmd(t, "", "audit", "check-proof", "--public-key", encodeKey(other), "--proof", proof); r.code != 1 {
		t.Errorf("another key: %d %q", r.code, r.stdout)
	}
	if r := lanternCmd(t, "", "audit", "prove", "--data", data, "--seq", "999"); r.code == 0 {
		t.Errorf("an entry past the checkpoint was proved")
	}
	// Another entry, another checkpoint: the log only grew.
	if r := lanternCmd(t, "", "agency", "add", "--data", data, "--name", "Northmoor Police", "--kind", "police"); r.code != 0 {
		t.Fatal(r.msg())
	}
	var q0 audit.Proof
	json.Unmarshal(b0, &q0)
	grown, err := st.IntegrateAudit(context.Background(), signer, "test")
	if err != nil {
		t.Fatal(err)
	}
	r = lanternCmd(t, "", "audit", "consistency", "--data", data, "--from", strconv.FormatUint(q0.TreeSize, 10), "--to", strconv.FormatUint(grown, 10))
	if r.code != 0 {
		t.Fatalf("consistency: %s", r.msg())
	}
	cons := filepath.Join(dir, "consistency.json")
	os.WriteFile(cons, []byte(r.stdout), 0o600)
	if r := lanternCmd(t, "", "audit", "check-proof", "--public-key", pub, "--proof", cons); r.code != 0 || !strings.Contains(r.stdout, "only grew") {
		t.Fatalf("check the consistency proof: %d %q %s", r.code, r.stdout, r.msg())
	}
	// verify checks the tree against the entries and a witness file.
	cp, _, err := st.AuditCheckpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	line, _ := json.Marshal(audit.Witnessed{Checkpoint: cp})
	witness := filepath.Join(dir, "witness.jsonl")
	os.WriteFile(witness, append(line, '\n'), 0o600)
	if r := lanternCmd(t, "", "audit", "verify", "--data", data, "--witness", witness, "--public-key", pub); r.code != 0 || !strings.Contains(r.stdout, "(1 witnessed)") {
		t.Fatalf("verify with a witness: %d %q %s", r.code, r.stdout, r.msg())
	}
	if r := lanternCmd(t, "", "audit", "verify", "--data", data, "--witness", witness, "--public-key", encodeKey(other)); r.code != 1 || !strings.Contains(r.stdout, "NOT intact") {
		t.Fatalf("a witness checked with another key: %d %q %s", r.code, r.stdout, r.msg())
	}
	// A key file that cannot be read: the server does not start.
	c := app.Defaults()
	c.Addr, c.DataDir, c.AuditKeyFile = "127.0.0.1:0", filepath.Join(dir, "served"), filepath.Join(dir, "no-such.key")
	m := &app.Main{Config: c}
	err = m.Open(context.Background())
	m.Close()
	if err == nil || !strings.Contains(err.Error(), "no-such.key") {
		t.Fatalf("a server with no key file: %v", err)
	}
}
