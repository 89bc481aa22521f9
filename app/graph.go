package app

import (
	"context"
	"os"

	"golang.org/x/mod/sumdb/note"
)

// startGraph builds the intelligence graph index in the background and
// keeps it current (store.KeepGraph); walks read the database until it is
// ready, so the server serves at once.
func (m *Main) startGraph() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Store.KeepGraph(ctx)
	}()
	m.stopGraphFn = func() {
		cancel()
		<-done
	}
}

func (m *Main) stopGraph() {
	if m.stopGraphFn != nil {
		m.stopGraphFn()
		m.stopGraphFn = nil
	}
}

// startAuthCache keeps checked API tokens in memory (store.KeepAuthCache),
// reading the authorisation epoch so that a change on any replica drops
// them everywhere within a quarter second.
func (m *Main) startAuthCache() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Store.KeepAuthCache(ctx)
	}()
	m.stopAuthFn = func() {
		cancel()
		<-done
	}
}

func (m *Main) stopAuthCache() {
	if m.stopAuthFn != nil {
		m.stopAuthFn()
		m.stopAuthFn = nil
	}
}

// startAuditTree runs the audit log's sequencer (store.KeepAuditTree), on
// every server: of several replicas, the one holding the lease chains the
// queued entries and, with the signer loaded at start, integrates them.
func (m *Main) startAuditTree(signer note.Signer) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Store.KeepAuditTree(ctx, signer, m.Config.AuditWitness)
	}()
	m.stopTreeFn = func() {
		cancel()
		<-done
	}
}

func (m *Main) stopAuditTree() {
	if m.stopTreeFn != nil {
		m.stopTreeFn()
		m.stopTreeFn = nil
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "lantern"
	}
	return h
}
