package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestAdmit: past the bound, a request is refused 503 with Retry-After at
// once (the API's as problem+json, a page's as HTML), while those admitted
// go on and health probes are never refused; a freed slot admits again.
func TestAdmit(t *testing.T) {
	release := make(chan struct{})
	var entered sync.WaitGroup
	h, stop := admit(prometheus.NewRegistry(), 2, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			entered.Done()
			<-release
		}
		io.WriteString(w, "ok")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer stop()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	entered.Add(2)
	done := make(chan int, 2)
	for range 2 {
		go func() {
			res, err := http.Get(srv.URL + "/slow")
			if err != nil {
				done <- 0
				return
			}
			res.Body.Close()
			done <- res.StatusCode
		}()
	}
	entered.Wait() // both slots taken
	for _, c := range []struct{ path, ctype, body string }{
		{"/api/v1/children", "application/problem+json", `"status":503`},
		{"/children", "text/html; charset=utf-8", "Lantern is busy"},
	} {
		res, body := get(c.path)
		if res.StatusCode != 503 || res.Header.Get("Retry-After") != "1" || res.Header.Get("Content-Type") != c.ctype || !strings.Contains(body, c.body) {
			t.Errorf("%s when full: %d %v %q", c.path, res.StatusCode, res.Header, body)
		}
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if res, _ := get(p); res.StatusCode != 200 {
			t.Errorf("%s when full: %d, want 200", p, res.StatusCode)
		}
	}
	close(release)
	for range 2 {
		if code := <-done; code != 200 {
			t.Errorf("an admitted request: %d", code)
		}
	}
	if res, body := get("/children"); res.StatusCode != 200 || body != "ok" {
		t.Errorf("after the slots are free: %d %q", res.StatusCode, body)
	}
}

// TestAdmitPanic: an admitted request is answered on a worker; a panic
// there is raised again on the request's own goroutine, as net/http
// expects (http.ErrAbortHandler cuts the answer off), and the worker and
// its slot go on to the next request.
func TestAdmitPanic(t *testing.T) {
	h, stop := admit(prometheus.NewRegistry(), 1, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/abort" {
			panic(http.ErrAbortHandler)
		}
		io.WriteString(w, "ok")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer stop()
	if res, err := http.Get(srv.URL + "/abort"); err == nil {
		res.Body.Close()
		t.Fatalf("an aborted answer arrived: %d", res.StatusCode)
	}
	for range 3 {
		res, err := http.Get(srv.URL + "/after")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || string(b) != "ok" {
			t.Fatalf("after the abort: %d %q (the slot was not freed?)", res.StatusCode, b)
		}
	}
}
