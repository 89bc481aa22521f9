package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"lantern/app"
	"lantern/internal/syncbuf"
	"lantern/store/storetest"
)

// The server logs the audit trail's head as it starts and as it stops: a
// log kept elsewhere holds heads that audit verify --head checks against.
func TestServeLogsTheAuditHead(t *testing.T) {
	c := app.Defaults()
	c.DataDir = storetest.DataDir(t)
	c.Addr = "127.0.0.1:0"
	var log syncbuf.Buffer
	m := &app.Main{Config: c, Log: app.NewLogger(&log, "info")}
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	storetest.Seed(t, m.Store) // entries written while it runs
	seq, hash, err := m.Store.AuditHead(context.Background())
	if err != nil || seq < 2 {
		t.Fatalf("head %d %q %v", seq, hash, err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	type head struct {
		Msg  string `json:"msg"`
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	}
	var heads []head
	sc := bufio.NewScanner(bytes.NewReader([]byte(log.String())))
	for sc.Scan() {
		var h head
		if err := json.Unmarshal(sc.Bytes(), &h); err == nil && h.Msg == "audit head" {
			heads = append(heads, h)
		}
	}
	if len(heads) != 2 {
		t.Fatalf("%d audit head lines, want 2 (at start and at stop): %s", len(heads), log.String())
	}
	if first, last := heads[0], heads[1]; first.Seq >= seq || len(first.Hash) != 64 || last.Seq != seq || last.Hash != hash {
		t.Errorf("heads logged %+v, then %+v; the head at stop is %d %s", first, last, seq, hash)
	}
}
