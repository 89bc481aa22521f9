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
