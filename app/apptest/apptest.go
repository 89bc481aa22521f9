// Package apptest starts a whole Lantern server for tests, on a fresh
// SQLite or PostgreSQL database, listening on a loopback port.
package apptest

import (
	"context"
	"io"
	"testing"
	"time"

	"lantern/app"
	"lantern/store/storetest"
)

// Server is a running Lantern with its store and a fixture area.
type Server struct {
	*app.Main
	URL     string
	Fixture *storetest.Fixture
}

// Options adjust the server a test starts.
type Options struct {
	Demo    bool
	MaxBody int64
	// Now, when set, is the store's clock.
	Now func() time.Time
	// Configure, when set, adjusts the configuration before start (a test's
	// mail server, say).
	Configure func(*app.Config)
}

// Start runs a server on dialect d ("sqlite" or "postgres") and seeds the
// storetest fixture (not with Demo, which brings its own). It stops when
// the test ends.
func Start(t testing.TB, d string, opt Options) *Server {
	t.Helper()
	sc := storetest.Config(t, d)
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = sc.DataDir
	c.Database = sc.Postgres
	c.Demo = opt.Demo
	if opt.MaxBody > 0 {
		c.MaxBody = opt.MaxBody
	}
	if opt.Configure != nil {
		opt.Configure(&c)
	}
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard, Now: opt.Now}
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	srv := &Server{Main: m, URL: m.URL()}
	if !opt.Demo { // the demonstration area has its own people
		srv.Fixture = storetest.Seed(t, m.Store)
	}
	return srv
}
