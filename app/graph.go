package app

import "context"

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
