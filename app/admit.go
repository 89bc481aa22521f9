package app

import (
	"net/http"
	"runtime"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Admission control (README, "Running it for real"): a bound on the requests
// in flight, past which a request is answered 503 with Retry-After at once
// rather than queued, so that under twice the load it can serve the server
// keeps answering those it admits in time instead of making everyone wait.
// Health probes are never refused: an overloaded server is alive and ready.

// DefaultMaxInFlight sizes the bound from the machine: enough requests in
// flight to keep every CPU busy while others wait on the database's
// durable writes, few enough that the last admitted is answered in well
// under 100 ms.
func DefaultMaxInFlight() int { return 64 * runtime.GOMAXPROCS(0) }

// DefaultMaxConnections bounds open connections: each idle one costs some
// 10-20 KiB, so 10,000 stay well inside a few hundred MiB.
const DefaultMaxConnections = 10_000

// busyAPI and busyPage are the answers to a request refused: nothing read,
// nothing computed, so that refusing costs next to nothing.
const (
	busyAPI  = `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"Lantern is busy: try again in a second"}`
	busyPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lantern is busy</title></head>` +
		`<body><main><h1>Lantern is busy</h1><p>Too many requests are being answered at once. Try again in a second: nothing you sent was stored.</p></main></body></html>`
)

// admit refuses requests past max in flight (0 or less: no bound). stop
// ends its workers; a request that comes after is answered on its own
// goroutine.
func admit(reg prometheus.Registerer, max int, next http.Handler) (h http.Handler, stop func()) {
	if max <= 0 {
		return next, func() {}
	}
	shed := prometheus.NewCounter(prometheus.CounterOpts{Name: "lantern_http_shed_total",
		Help: "Requests refused with 503 because too many were in flight (--max-in-flight)."})
	inFlight := prometheus.NewGauge(prometheus.GaugeOpts{Name: "lantern_http_in_flight", Help: "Requests being answered now."})
	reg.MustRegister(shed, inFlight)
	slots := make(chan struct{}, max)
	// An admitted request is answered by one of max workers, not on its
	// connection's goroutine: a handler's calls (the database's above all)
	// grow the stack of the goroutine they run on, and Go keeps that
	// stack until a collection shrinks it. On the connections' goroutines,
	// 8,000 connections kept some 32 KiB each; on the workers' only max do.
	jobs, quit := make(chan job), make(chan struct{})
	for range max {
		go work(jobs, quit, next)
	}
	var once sync.Once
	stop = func() { once.Do(func() { close(quit) }) }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		default:
			shed.Inc()
			h := w.Header()
			h.Set("Retry-After", "1")
			h.Set("Cache-Control", "no-store")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
			if strings.HasPrefix(r.URL.Path, "/api/") {
				h.Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(busyAPI))
			} else {
				h.Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(busyPage))
			}
			return
		}
		inFlight.Inc()
		defer func() {
			inFlight.Dec()
			<-slots
		}()
		done := make(chan any, 1)
		select {
		case jobs <- job{w, r, done}:
		case <-quit:
			next.ServeHTTP(w, r)
			return
		}
		// The handler has returned when done is sent: only then may the
		// connection go on. Its panic is raised again here, where net/http
		// expects it (http.ErrAbortHandler, or one to log).
		if p := <-done; p != nil {
			panic(p)
		}
	}), stop
}

type job struct {
	w    http.ResponseWriter
	r    *http.Request
	done chan<- any
}

// work answers admitted requests until quit.
func work(jobs <-chan job, quit <-chan struct{}, next http.Handler) {
	for {
		select {
		case j := <-jobs:
			serveJob(j, next)
		case <-quit:
			return
		}
	}
}

func serveJob(j job, next http.Handler) {
	var p any
	defer func() { j.done <- p }()
	defer func() { p = recover() }()
	next.ServeHTTP(j.w, j.r)
}
