package browser_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMonitorSeesProblems shows that the checks every page gets are not
// vacuous: on a page that breaks each rule, the monitor reports a CSP
// violation, an uncaught exception, a console error and a failed request,
// and axe reports an image without alternative text and a field without a
// label.
func TestMonitorSeesProblems(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body>
<h1>Broken</h1>
<script>document.title = 'inline ran'</script>
<img src="/missing.png" alt="">
<img src="/pixel.png">
<form><input type="text" name="unlabelled"></form>
<script src="/broken.js"></script>
</body></html>`))
	})
	mux.HandleFunc("GET /pixel.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pixelPNG)
	})
	mux.HandleFunc("GET /broken.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte("console.error('deliberate console error'); throw new Error('deliberate exception')"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := openTab(t, srv.URL, nil)
	if st := b.navigate("/"); st != 200 {
		t.Fatalf("status %d", st)
	}
	if title := b.title(); title != "Broken" {
		t.Errorf("the inline script ran despite the CSP: title %q", title)
	}
	eval[bool](b, `true`)
	got := strings.Join(b.mon.take(), "\n")
	for _, want := range []string{"Content-Security-Policy violation", "uncaught exception", "deliberate exception",
		"console.error: deliberate console error", "HTTP 404 for Image", "/missing.png"} {
		if !strings.Contains(got, want) {
			t.Errorf("the monitor missed %q; it saw:\n%s", want, got)
		}
	}
	ids := map[string]bool{}
	for _, v := range b.axeViolations("deliberately inaccessible") {
		ids[v.ID] = true
	}
	for _, want := range []string{"image-alt", "label"} {
		if !ids[want] {
			t.Errorf("axe did not report %q; it reported %v", want, ids)
		}
	}
}

// pixelPNG is a 1×1 transparent PNG.
var pixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
