package browser_test

import (
	"context"
	"fmt"
	"io"
	"slices"
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
		// Its words are readable: each text node's colour against the
		// background behind it has at least the WCAG AA contrast of 4.5.
		for _, c := range eval[[]string](b, bannerContrastJS) {
			t.Errorf("%s page: demonstration banner: %s", page, c)
		}
		// It, and the line saying who is signed in, are in a landmark (the
		// page's banner), not loose between landmarks.
		for _, sel := range []string{".app-demo-banner", ".app-signed-in"} {
			if eval[bool](b, `!!document.querySelector('`+sel+`')`) && !eval[bool](b, `!!document.querySelector('`+sel+`').closest('header, nav, main, footer, [role]')`) {
				t.Errorf("%s page: %s is outside every landmark", page, sel)
			}
		}
		if page != "sign in" && !eval[bool](b, `!!document.querySelector('body > header .app-signed-in')`) {
			t.Errorf("%s page: no signed-in line in the page's header", page)
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
	// 49: the sealed record is on the social worker's allow-list.
	if got := b.text("main table caption"); got != "49 children" {
		t.Errorf("demonstration children list caption %q, want 49 children", got)
	}
	if got := b.text(".govuk-pagination__next"); !strings.Contains(got, "Next") {
		t.Errorf("49 children at 25 a page, but no link to the next page (%q)", got)
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

// signInDemo signs a demonstration account in (they have no second factor).
func signInDemo(t *testing.T, base, email string) *tab {
	t.Helper()
	b := openTab(t, base, nil)
	b.wantStatus("sign-in page", b.navigate("/sign-in"), 200)
	b.fill("email", email)
	b.fill("password", demo.Password)
	b.wantStatus("sign in", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/", "Lantern")
	return b
}

// TestDemoAccess: in the demonstration, the CSE coordinator sees every
// child, and each child's "Agencies involved" page says why each agency
// sees the record, linking the meeting an invitation or action came from.
// The school's practitioner sees only the children the school is involved
// with, and is told a record it may not see does not exist.
func TestDemoAccess(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startDemo(t)
	signIn := func(email string) *tab { return signInDemo(t, base, email) }
	// children reads every page of the children list.
	children := func(b *tab) (caption string, ids []string) {
		for page := 1; page < 10; page++ {
			b.wantStatus("children", b.navigate(fmt.Sprintf("/children?page=%d", page)), 200)
			if page == 1 {
				caption = b.text("main table caption")
			}
			ids = append(ids, eval[[]string](b, `Array.from(new Set(Array.from(document.querySelectorAll('main table a[href^="/children/"]'), a => a.getAttribute('href').split('/')[2])))`)...)
			if b.text(".govuk-pagination__next") == "" {
				break
			}
		}
		return caption, ids
	}

	co := signIn("cse.coordinator@northmoor.example.org")
	caption, all := children(co)
	// 49: the coordinator broke the glass on the sealed record as the
	// demonstration loaded, for four hours.
	if caption != "49 children" {
		t.Fatalf("the coordinator's list says %q", caption)
	}
	var meetingLinks int
	for _, id := range all {
		co.wantStatus("agencies involved", co.navigate("/children/"+id+"/agencies"), 200)
		if n := eval[int](co, `document.querySelectorAll('main table a[href^="/meetings/"]').length`); n > 0 && meetingLinks == 0 {
			co.checkPage("agencies involved (demonstration)")
			co.screenshot("demo-involvements")
			co.wantStatus("the meeting an involvement came from", co.click(`main table a[href^="/meetings/"]`), 200)
			if !strings.HasPrefix(co.path(), "/meetings/") {
				t.Errorf("the meeting link leads to %s", co.path())
			}
			meetingLinks += n
		}
	}
	if meetingLinks == 0 {
		t.Errorf("no demonstration child's involvements link a meeting")
	}

	pr := signIn("practitioner@riverside.example.org")
	caption, seen := children(pr)
	if len(seen) == 0 || len(seen) >= len(all) {
		t.Fatalf("the practitioner's list (%q) has %d of %d children", caption, len(seen), len(all))
	}
	pr.checkPage("children, as the school's practitioner (demonstration)")
	pr.wantStatus("a child the school is involved with", pr.navigate("/children/"+seen[0]+"/agencies"), 200)
	if got := pr.text("main table tbody"); !strings.Contains(got, "Riverside Academy") {
		t.Errorf("a child the practitioner sees does not list the school as involved: %q", got)
	}
	for _, id := range all {
		if !slices.Contains(seen, id) {
			pr.wantStatus("a child the school is not involved with", pr.navigate("/children/"+id), 404)
			pr.checkPage("a child the practitioner may not see (demonstration)")
			break
		}
	}
}

// bannerContrastJS lists each element of the demonstration banner whose
// text has a contrast below 4.5 against the first opaque background behind
// it (axe leaves such text "incomplete" when it cannot be sure, so the test
// measures it itself).
const bannerContrastJS = `(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const banner = document.querySelector('.app-demo-banner');
  if (!banner) return ['no .app-demo-banner'];
  for (const el of banner.querySelectorAll('*')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3), back = bg(el);
    const [a, b] = [lum(fg), lum(back)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) out.push(el.className + ': ' + getComputedStyle(el).color + ' on rgb(' + back.join(', ') + '), contrast ' + ratio.toFixed(2));
  }
  return out;
})()`
