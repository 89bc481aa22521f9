package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lantern/app"
	"lantern/audit"
	"lantern/store"
)

// TestWitnessCosigns: another agency's witness (lantern witness serve, on
// a real listener) cosigns the checkpoints a server running with
// --audit-cosigner sends it; audit verify --cosigner checks the latest
// cosigned checkpoint against the log, and says NOT intact when the log's
// cosignatures are gone or the witness's key is another.
func TestWitnessCosigns(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	logKeyFile, wKeyFile := filepath.Join(dir, "audit.key"), filepath.Join(dir, "witness.key")
	r := lanternCmd(t, "", "audit", "keygen", "--to", logKeyFile)
	if r.code != 0 {
		t.Fatal(r.msg())
	}
	pub := strings.TrimSpace(r.stdout)
	r = lanternCmd(t, "", "witness", "keygen", "--name", "police.example.org", "--to", wKeyFile)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "police.example.org+") {
		t.Fatalf("witness keygen: %q %s", r.stdout, r.msg())
	}
	wkey := strings.TrimSpace(r.stdout)
	if r := lanternCmd(t, "", "witness", "keygen", "--name", "police.example.org", "--to", wKeyFile); r.code == 0 {
		t.Fatal("witness keygen wrote over a key")
	}

	// The witness, as its own command would run it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	state := filepath.Join(dir, "witness-state.json")
	served := make(chan result, 1)
	go func() {
		var out, errb strings.Builder
		code, err := run(ctx, []string{"witness", "serve", "--key", wKeyFile, "--log-key", pub, "--state", state, "--addr", addr}, strings.NewReader(""), &out, &errb)
		served <- result{code, out.String(), errb.String(), err}
	}()
	waitListening(t, addr)
	// Refused as the protocol says: a GET, and a body that is no request.
	if resp, err := http.Get("http://" + addr + "/add-checkpoint"); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET add-checkpoint: %v %v", resp, err)
	}
	resp, err := http.Post("http://"+addr+"/add-checkpoint", "text/plain", strings.NewReader("old 0\n\nnot a checkpoint"))
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an unsigned checkpoint: %v %v", resp, err)
	}

	// Lantern, signing and sending each checkpoint to the witness.
	c := app.Defaults()
	c.Addr, c.DataDir, c.AuditKeyFile = "127.0.0.1:0", filepath.Join(dir, "data"), logKeyFile
	c.AuditCosigner, c.AuditCosignerKey = "http://"+addr, wkey
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if r := lanternCmd(t, "", "agency", "add", "--data", c.DataDir, "--name", "Northmoor Children's Services", "--kind", "childrens-social-care"); r.code != 0 {
		t.Fatal(r.msg())
	}
	// The agency's entries are chained, integrated, signed and cosigned
	// within a few of the server's turns.
	deadline := time.Now().Add(30 * time.Second)
	var cosigned string
	for cosigned == "" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if cosigned, err = m.Store.LatestCosigned(context.Background(), "police.example.org"); err != nil {
			t.Fatal(err)
		}
	}
	if cosigned == "" {
		t.Fatal("no checkpoint was cosigned within 30s")
	}
	var held audit.WitnessState
	if b, err := os.ReadFile(state); err != nil || json.Unmarshal(b, &held) != nil || held.Size == 0 {
		t.Fatalf("the witness's state file: %s %v", b, err)
	}
	m.Close()

	if r := lanternCmd(t, "", "audit", "verify", "--data", c.DataDir, "--cosigner", wkey, "--public-key", pub); r.code != 0 || !strings.Contains(r.stdout, "intact") {
		t.Fatalf("verify --cosigner: %d %q %s", r.code, r.stdout, r.msg())
	}
	if r := lanternCmd(t, "", "audit", "verify", "--data", c.DataDir, "--cosigner", wkey); r.code == 0 {
		t.Fatal("verify --cosigner with no --public-key")
	}
	_, otherKey, _ := audit.GenerateWitnessKey("police.example.org")
	if r := lanternCmd(t, "", "audit", "verify", "--data", c.DataDir, "--cosigner", otherKey, "--public-key", pub); r.code != 1 || !strings.Contains(r.stdout, "NOT intact") {
		t.Fatalf("verify with another witness key of the same name: %d %q %s", r.code, r.stdout, r.msg())
	}
	st := checkStore(t, store.Config{DataDir: c.DataDir})
	if _, err := st.DB().Exec(`DELETE FROM audit_cosignatures`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if r := lanternCmd(t, "", "audit", "verify", "--data", c.DataDir, "--cosigner", wkey, "--public-key", pub); r.code != 1 || !strings.Contains(r.stdout, "no checkpoint cosigned by police.example.org") {
		t.Fatalf("verify with the cosignatures removed: %d %q %s", r.code, r.stdout, r.msg())
	}
	cancel()
	if r := <-served; r.code != 0 {
		t.Fatalf("witness serve: %s", r.msg())
	}
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	for range 200 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s", addr)
}
