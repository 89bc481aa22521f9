package browser_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"lantern/app"
	"lantern/demo"
	"lantern/store/storetest"
)

// TestDemoBanner: a server started with demonstration data says so on
// every page, signed in or not; its accounts sign in without two factors.
func TestDemoBanner(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	b := openTab(t, startDemo(t), nil)

	wantBanner := func(page string) {
		t.Helper()
		got := b.text(".govuk-phase-banner")
		if !strings.Contains(got, "Demonstration") || !strings.Contains(got, "demonstration data") {
			t.Errorf("%s page: phase banner %q, want it to say this is demonstration data", page, got)
		}
	}
	b.wantStatus("sign-in page", b.navigate("/sign-in"), 200)
	wantBanner("sign in")
	if got := b.text("main .govuk-inset-text"); !strings.Contains(got, "demonstration") {
		t.Errorf("sign-in page: no word of demonstration accounts in the inset text (%q)", got)
	}
	b.checkPage("sign in (demonstration)")

	b.fill("email", "social.worker@northmoor.example.org")
	b.fill("password", demo.Password)
	b.wantStatus("sign in", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/", "Lantern")
	wantBanner("home")
	b.checkPage("home (demonstration)")

	b.wantStatus("children list", b.click(`.govuk-service-navigation a[href="/children"]`), 200)
	wantBanner("children")
	if got := b.text("main table caption"); got != "36 children" {
		t.Errorf("demonstration children list caption %q, want 36 children", got)
	}
	if got := b.text(".govuk-pagination__next"); !strings.Contains(got, "Next") {
		t.Errorf("36 children at 25 a page, but no link to the next page (%q)", got)
	}
	b.checkPage("children (demonstration)")
}

// startDemo runs a server with demonstration data on SQLite and returns its
// URL. It is apptest.Start without the storetest fixture:
// apptest.Start(t, "sqlite", apptest.Options{Demo: true}) fails, because
// the fixture's agency "Northmoor Children's Services" is also a
// demonstration agency, and agency names are unique.
func startDemo(t *testing.T) string {
	t.Helper()
	c := app.Defaults()
	c.Addr = "127.0.0.1:0"
	c.DataDir = storetest.Config(t, "sqlite").DataDir
	c.Demo = true
	m := &app.Main{Config: c, Log: app.NewLogger(io.Discard, "error"), Out: io.Discard}
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m.URL()
}
