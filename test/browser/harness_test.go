package browser_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	// chromeEnv names the Chromium binary; scripts/test sets it.
	chromeEnv = "LANTERN_TEST_CHROME"
	// shotsEnv, when set, is a folder for screenshots of a few pages.
	shotsEnv = "LANTERN_TEST_SHOTS"
	// actionTimeout bounds every chain of browser actions, so that a page
	// that never loads fails the test instead of hanging it.
	actionTimeout = 60 * time.Second
	// violationBinding is the page function that reports CSP violations.
	violationBinding = "lanternReportViolation"
)

// browserCtx is the one browser every test opens its tabs in; nil when
// LANTERN_TEST_CHROME is not set.
var browserCtx context.Context

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	chrome := os.Getenv(chromeEnv)
	if chrome == "" {
		return m.Run() // each test fails, or under -short skips, in needBrowser
	}
	dir, err := os.MkdirTemp("", "lantern-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	// The first Do starts the browser and ties it to ctx, so it cannot have
	// a deadline of its own; a timer cancels a start that hangs.
	watchdog := time.AfterFunc(actionTimeout, cancel)
	err = chromedp.Do(ctx)
	if !watchdog.Stop() && err == nil {
		err = fmt.Errorf("no answer in %s", actionTimeout)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "browser tests: cannot start %s=%s: %v\n", chromeEnv, chrome, err)
		return 1
	}
	browserCtx = ctx
	return m.Run()
}

// needBrowser stops a test that has no browser: under -short it skips,
// saying why (go test -short runs without Chromium); otherwise it fails.
func needBrowser(t *testing.T) {
	t.Helper()
	if browserCtx != nil {
		return
	}
	if testing.Short() {
		t.Skipf("%s is not set: browser tests need Chromium, and go test -short leaves them out", chromeEnv)
	}
	t.Fatalf("browser tests need Chromium: run `make test` (scripts/test installs it and sets %s), "+
		"or set %s to a Chromium binary such as /usr/bin/chromium (go test -short leaves these tests out)", chromeEnv, chromeEnv)
}

// tab is one browser tab, with what it has seen go wrong.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	mon  *monitor
}

// openTab opens a tab on the server at base. With parent nil the tab is in
// a browser context of its own (its own cookies: every test server is on
// 127.0.0.1, and cookies do not tell ports apart); with a parent tab, in the
// parent's browser context, sharing its cookies.
func openTab(t *testing.T, base string, parent *tab) *tab {
	t.Helper()
	mon := &monitor{requests: map[network.RequestID]string{}, docErrors: map[string]bool{}}
	var ctx context.Context
	var cancel context.CancelFunc
	if parent == nil {
		ctx, cancel = chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext(), chromedp.WithListener(mon.handle))
	} else {
		ctx, cancel = chromedp.NewContext(parent.ctx, chromedp.WithListener(mon.handle))
	}
	t.Cleanup(cancel)
	watchdog := time.AfterFunc(actionTimeout, cancel)
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// Report Content-Security-Policy violations through a binding. A
		// script added this way runs before the page's own, and the page's
		// CSP does not apply to it.
		if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: violationBinding}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
document.addEventListener('securitypolicyviolation', function (e) {
  window.` + violationBinding + `(JSON.stringify({directive: e.effectiveDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample, page: document.location.href}));
});`})
		return err
	}))
	watchdog.Stop()
	if err != nil {
		t.Fatalf("open a browser tab: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: base, mon: mon}
}

// contextWithTimeout is the tab's context with a shorter deadline.
func contextWithTimeout(b *tab, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, d)
}

// run runs one action on the tab with a timeout, failing the test on error.
func run[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser at %s: %v", b.where(), err)
	}
	return v
}

// do runs actions that return nothing.
func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	run(b, chromedp.Steps(actions...))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	return run(b, chromedp.Evaluate[T](js))
}

// where is the page's address, for messages; it never fails the test.
func (b *tab) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return strings.TrimPrefix(loc, b.base)
}

// navigate loads a path and returns the document's HTTP status.
func (b *tab) navigate(path string) int64 {
	b.t.Helper()
	resp := run(b, chromedp.NavigateResponse(b.base+path))
	if resp == nil {
		b.t.Fatalf("navigate to %s: no response", path)
	}
	return resp.Status
}

// follow runs actions that load a new page (a click on a link or a submit
// button, Enter on a form) and returns the new document's HTTP status.
func (b *tab) follow(actions ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("browser at %s: waiting for a new page: %v", b.where(), err)
	}
	if resp == nil {
		b.t.Fatalf("browser at %s: no response for the new page", b.where())
	}
	return resp.Status
}

// click clicks the element sel selects (CSS) and waits for the next page.
func (b *tab) click(sel string) int64 {
	b.t.Helper()
	return b.follow(chromedp.Click(chromedp.CSS(sel)))
}

// press clicks the element sel selects (CSS), on the same page.
func (b *tab) press(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel)))
}

// fill replaces the value of the form field called name by typing.
func (b *tab) fill(name, value string) {
	b.t.Helper()
	sel := `[name=` + jsString(name) + `]`
	// chromedp.SetValue cannot set "" (it takes the empty result for a
	// failure), so the old value is cleared with a script.
	b.do(chromedp.WaitReady(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).value = ''`),
		chromedp.SendKeys(chromedp.CSS(sel), value))
}

// path is the current address without the server's base.
func (b *tab) path() string {
	b.t.Helper()
	return strings.TrimPrefix(run(b, chromedp.Location()), b.base)
}

func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// text is the visible text of the first element sel selects, trimmed, or ""
// when there is none.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(eval[string](b, `(function(){ const e = document.querySelector(`+jsString(sel)+`); return e ? e.innerText : '' })()`))
}

// texts are the visible texts of every element sel selects, trimmed.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, `Array.from(document.querySelectorAll(`+jsString(sel)+`), e => e.innerText.trim())`)
}

// title is the document's title.
func (b *tab) title() string {
	b.t.Helper()
	return run(b, chromedp.Title())
}

// wantPage fails unless the page is at path (without its query) with the
// heading h1.
func (b *tab) wantPage(path, h1 string) {
	b.t.Helper()
	got := b.path()
	if i := strings.IndexByte(got, '?'); i >= 0 {
		got = got[:i]
	}
	if got != path {
		b.t.Fatalf("at %s, want %s (heading %q)", b.path(), path, b.text("h1"))
	}
	if h := b.text("h1"); h != h1 {
		b.t.Fatalf("at %s: heading %q, want %q", path, h, h1)
	}
}

// wantStatus fails unless got is want.
func (b *tab) wantStatus(what string, got, want int64) {
	b.t.Helper()
	if got != want {
		b.t.Fatalf("%s: HTTP status %d, want %d (at %s, heading %q)", what, got, want, b.path(), b.text("h1"))
	}
}

// checkPage checks a freshly loaded page: GOV.UK Frontend's JavaScript ran
// under the CSP, nothing went wrong in the browser, and axe finds no WCAG
// 2.2 AA violations.
func (b *tab) checkPage(name string) {
	b.t.Helper()
	b.settled(name)
	b.axe(name)
	b.describedBy(name)
}

// describedBy checks the GOV.UK pattern axe does not: every error message
// and hint in a form group is named by the aria-describedby of a control
// (or its fieldset) in that group, so a screen reader reads it with the
// field.
func (b *tab) describedBy(name string) {
	b.t.Helper()
	for _, m := range eval[[]string](b, describedByJS) {
		b.t.Errorf("%s page (%s): %s", name, b.where(), m)
	}
}

const describedByJS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('.govuk-form-group .govuk-error-message, .govuk-form-group .govuk-hint')) {
    if (el.closest('.govuk-checkboxes__item, .govuk-radios__item')) continue; // an item's own hint: checked below
    const group = el.closest('.govuk-form-group');
    const what = el.classList.contains('govuk-hint') ? 'hint' : 'error message';
    if (!el.id) { out.push(what + ' without an id: ' + el.textContent.trim().slice(0, 80)); continue; }
    const refs = [...group.querySelectorAll('[aria-describedby]')].filter(c => c.getAttribute('aria-describedby').split(/\s+/).includes(el.id));
    if (refs.length === 0) out.push(what + ' #' + el.id + ' is not in any control\'s aria-describedby: ' + el.textContent.trim().slice(0, 80));
  }
  for (const el of document.querySelectorAll('.govuk-checkboxes__item .govuk-hint, .govuk-radios__item .govuk-hint')) {
    if (!el.id || !document.querySelector('[aria-describedby~="' + el.id + '"]')) out.push('item hint ' + (el.id || '(no id)') + ' is not in its control\'s aria-describedby');
  }
  for (const c of document.querySelectorAll('[aria-describedby]')) {
    for (const id of c.getAttribute('aria-describedby').split(/\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) out.push((c.id || c.tagName) + ' is described by #' + id + ', which is not on the page');
    }
  }
  return out;
})()`

// settled checks that app.js initialised GOV.UK Frontend and that the
// browser saw no script error, CSP violation or failed request.
func (b *tab) settled(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	var err error
	// A poll begun as the page's document is replaced (a late navigation
	// event of the step before) loses its execution context: poll again
	// in the new one.
	for range 3 {
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.body.classList.contains('govuk-frontend-supported')`,
			chromedp.WithPollingTimeout(5*time.Second))); err == nil || !strings.Contains(err.Error(), "Cannot find context") {
			break
		}
	}
	if err != nil {
		b.t.Errorf("%s page (%s): body never got the class govuk-frontend-supported, so app.js did not initialise GOV.UK Frontend: %v", name, b.where(), err)
	}
	b.noProblems(name)
}

// noProblems fails the test with whatever went wrong in the browser since
// the last check.
func (b *tab) noProblems(name string) {
	b.t.Helper()
	// A round trip, so that every event sent before it has been handled.
	eval[chromedp.Void](b, `0`)
	if ps := b.mon.take(); len(ps) > 0 {
		b.t.Errorf("%s page (%s): the browser reported %d problem(s):\n  %s", name, b.where(), len(ps), strings.Join(ps, "\n  "))
	}
}

// screenshot saves a full-page PNG to $LANTERN_TEST_SHOTS/name.png, when
// that is set.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv(shotsEnv)
	if dir == "" {
		return
	}
	png := run(b, chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// monitor gathers what goes wrong in a tab: uncaught exceptions, console
// errors, CSP violations, failed requests and error responses to anything
// but the page itself (a form with errors is rightly a 422).
type monitor struct {
	mu        sync.Mutex
	problems  []string
	requests  map[network.RequestID]string // URLs, for failed requests
	docErrors map[string]bool              // pages that were 4xx/5xx
}

func (m *monitor) add(format string, args ...any) {
	m.problems = append(m.problems, fmt.Sprintf(format, args...))
}

// take returns the problems seen since the last take.
func (m *monitor) take() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	ps := m.problems
	m.problems = nil
	return ps
}

// handle runs in the tab's event loop, in order; it must be quick.
func (m *monitor) handle(ev any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		m.requests[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			if ev.Type == network.ResourceTypeDocument {
				m.docErrors[ev.Response.URL] = true
			} else {
				m.add("HTTP %d for %s %s", ev.Response.Status, ev.Type, ev.Response.URL)
			}
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			m.add("request failed: %s %s: %s %s", ev.Type, m.requests[ev.RequestID], ev.ErrorText, ev.BlockedReason)
		}
	case *runtime.EventExceptionThrown:
		m.add("uncaught exception: %s", exceptionText(ev.ExceptionDetails))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, remoteText(a))
			}
			m.add("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		// A page's own error status (a form with errors is 422) is the
		// test's to judge; the log names it with the address's #fragment,
		// which the response's address lacks.
		doc, _, _ := strings.Cut(e.URL, "#")
		if e.Level == log.EntryLevelError && !(e.Source == log.EntrySourceNetwork && m.docErrors[doc]) {
			m.add("browser log (%s): %s %s", e.Source, e.Text, e.URL)
		}
	case *runtime.EventBindingCalled:
		if ev.Name == violationBinding {
			m.add("Content-Security-Policy violation: %s", ev.Payload)
		}
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d:%d)", s, d.URL, d.LineNumber+1, d.ColumnNumber+1)
}

func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Description != "" {
		return o.Description
	}
	if len(o.Value) > 0 {
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
		return string(o.Value)
	}
	return string(o.Type)
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeViolation is the part of an axe-core result a failure message needs.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Count   int      `json:"count"`
	Targets []string `json:"targets"`
	Summary string   `json:"summary"`
}

// axe runs axe-core on the page and fails the test with each violation.
func (b *tab) axe(name string) {
	b.t.Helper()
	vs := b.axeViolations(name)
	if len(vs) == 0 {
		return
	}
	var sb strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&sb, "\n  %s (%s): %s [%d element(s): %s] %s\n    %s", v.ID, v.Impact, v.Help, v.Count,
			strings.Join(v.Targets, " | "), v.HelpURL, strings.ReplaceAll(v.Summary, "\n", "\n    "))
	}
	b.t.Errorf("%s page (%s): axe found %d accessibility violation(s):%s", name, b.where(), len(vs), sb.String())
}

// axeViolations runs axe-core (test/axe/axe.min.js) on the page for WCAG
// 2.0, 2.1 and 2.2 A and AA.
func (b *tab) axeViolations(name string) []axeViolation {
	b.t.Helper()
	axeOnce.Do(func() {
		var src []byte
		src, axeErr = os.ReadFile(filepath.Join("..", "axe", "axe.min.js"))
		axeSource = string(src) + "\n;0"
	})
	if axeErr != nil {
		b.t.Fatalf("axe-core: %v", axeErr)
	}
	// Runtime.evaluate is not subject to the page's CSP.
	if !eval[bool](b, `typeof window.axe === 'object'`) {
		eval[chromedp.Void](b, axeSource)
	}
	res := run(b, chromedp.Evaluate[struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}](`axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
}).then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl, count: v.nodes.length,
  targets: v.nodes.slice(0, 4).map(n => n.target.join(' ')),
  summary: v.nodes.length ? (v.nodes[0].failureSummary || '') : ''
}))}))`, chromedp.EvalAwaitPromise))
	if res.Passes == 0 {
		b.t.Errorf("%s page (%s): axe passed no rules at all, so it did not really run", name, b.where())
	}
	return res.Violations
}
