package app

import (
	"context"
	"time"
)

// auditWitnessEvery is how often the server logs the audit trail's head.
const auditWitnessEvery = time.Hour

// startAuditWitness logs the audit trail's head (the latest entry's number
// and hash) now, every hour and at shutdown. The chain shows an entry
// changed against its neighbours, but whoever can rewrite the database can
// rewrite the chain's tail too; a log kept away from the database keeps
// heads that lantern audit verify --head checks the trail against later.
func (m *Main) startAuditWitness() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	m.stopWitness = func() {
		cancel()
		<-done
		m.logAuditHead(context.Background())
	}
	m.logAuditHead(ctx)
	go func() {
		defer close(done)
		t := time.NewTicker(auditWitnessEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.logAuditHead(ctx)
			}
		}
	}()
}

func (m *Main) logAuditHead(ctx context.Context) {
	seq, hash, err := m.Store.AuditHead(ctx)
	if err != nil {
		m.Log.Warn("audit head not read", "err", err)
		return
	}
	m.Log.Info("audit head", "seq", seq, "hash", hash)
}
