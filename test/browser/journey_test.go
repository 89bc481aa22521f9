package browser_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"lantern/app/apptest"
	"lantern/store/storetest"
)

// TestMainJourney is a social worker's first day, on SQLite and PostgreSQL:
// sign in, set up two factors, save the recovery codes, add a child (first
// with nothing filled in), find the child in the list; then sign out and
// sign in again with the second factor. Every page is checked with axe and
// for script errors, CSP violations and failed requests.
func TestMainJourney(t *testing.T) {
	needBrowser(t)
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			srv := apptest.Start(t, d, apptest.Options{})
			sw := srv.Fixture.SocialWorker
			b := openTab(t, srv.URL, nil)

			secret, codes := b.enrol(sw.Email, storetest.Password)

			// Home.
			b.wantStatus("continue from the recovery codes", b.click(`main a.govuk-button[href="/"]`), 200)
			b.wantPage("/", "Lantern")
			if got := b.text("main .govuk-body-l"); got != "Welcome, "+sw.Name+"." {
				t.Errorf("home greets %q", got)
			}
			links := b.texts("main ul a.govuk-link")
			for _, want := range []string{"Find a child", "Add a child"} {
				if !slices.Contains(links, want) {
					t.Errorf("home page links %q, want %q among them", links, want)
				}
			}
			if got := b.text(".govuk-phase-banner"); got != "" {
				t.Errorf("a server without demonstration data shows the banner %q", got)
			}
			b.checkPage("home")

			// Add a child, submitting nothing first.
			b.wantStatus("Add a child link", b.click(`main a[href="/children/new"]`), 200)
			b.wantPage("/children/new", "Add a child")
			if got := b.title(); got != "Add a child – Lantern" {
				t.Errorf("add a child: title %q", got)
			}
			b.checkPage("add a child (empty)")

			b.wantStatus("submit the empty form", b.click(`main form button[type=submit]`), 422)
			b.wantPage("/children", "Add a child")
			if got := b.title(); !strings.HasPrefix(got, "Error: ") {
				t.Errorf("form with errors: title %q does not start with \"Error: \"", got)
			}
			b.checkErrorSummary(map[string]string{
				"#given_name":    "Enter",
				"#family_name":   "Enter",
				"#date_of_birth": "date of birth",
				"#gender":        "gender",
			})
			b.checkPage("add a child with errors")
			b.screenshot(d + "-add-child-errors")

			// Fill it in properly.
			b.fill("given_name", "Amara")
			b.fill("family_name", "Okafor")
			b.fill("dob-day", "27")
			b.fill("dob-month", "3")
			b.fill("dob-year", "2012")
			b.press(`input[name=gender][value=female]`)
			b.wantStatus("create the record", b.click(`main form button[type=submit]`), 200)
			if p := b.path(); !regexp.MustCompile(`^/children/[^/?]+\?done=created$`).MatchString(p) {
				t.Fatalf("after creating a child, at %s", p)
			}
			childPath := strings.TrimSuffix(b.path(), "?done=created")
			b.wantPage(childPath, "Amara Okafor")
			if got := b.text(".govuk-notification-banner--success"); !strings.Contains(got, "The child's record has been created") {
				t.Errorf("success banner says %q", got)
			}
			rows := b.summaryRows()
			for k, want := range map[string]string{"Date of birth": "27 March 2012", "Gender": "Female"} {
				if !strings.HasPrefix(rows[k], want) {
					t.Errorf("child's record: %s is %q, want %q", k, rows[k], want)
				}
			}
			b.checkPage("child's record")
			b.screenshot(d + "-child")

			// The list.
			b.wantStatus("Children in the navigation", b.click(`.govuk-service-navigation a[href="/children"]`), 200)
			b.wantPage("/children", "Children")
			if got := b.text("main table caption"); got != "1 child" {
				t.Errorf("children list caption %q", got)
			}
			if got := eval[string](b, `(document.querySelector('main table a[href="`+childPath+`"]') || {}).textContent || ''`); got != "Okafor, Amara" {
				t.Errorf("children list: link to %s says %q, want \"Okafor, Amara\"", childPath, got)
			}
			b.checkPage("children list")

			// Second sign-in: the second factor is asked for, a wrong code
			// is refused, a recovery code works once, a TOTP code works.
			b.signOut()
			b.signInAgain(sw.Email)
			wrong := wrongCode(secret)
			b.fill("code", wrong)
			b.wantStatus("a wrong security code", b.click(`main form button[type=submit]`), 401)
			b.wantPage("/sign-in/two-factor", "Enter your security code")
			if got := b.title(); !strings.HasPrefix(got, "Error: ") {
				t.Errorf("wrong code: title %q does not start with \"Error: \"", got)
			}
			b.checkErrorSummary(map[string]string{"#code": "Enter a correct security code"})
			b.checkPage("two-factor code with an error")

			b.fill("code", codes[0])
			b.wantStatus("a recovery code", b.click(`main form button[type=submit]`), 200)
			b.wantPage("/", "Lantern")
			b.wantStatus("Your account", b.click(`.govuk-service-navigation a[href="/account"]`), 200)
			b.wantPage("/account", "Your account")
			if got := b.summaryRows()["Recovery codes left"]; got != "9" {
				t.Errorf("after using one recovery code, the account page says %q left, want 9", got)
			}
			b.checkPage("your account")

			b.signOut()
			b.signInAgain(sw.Email)
			b.fill("code", codes[0])
			b.wantStatus("a recovery code used twice", b.click(`main form button[type=submit]`), 401)
			if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Enter a correct security code") {
				t.Errorf("a used recovery code: error summary %q", got)
			}
			b.noProblems("two-factor code with an error")

			// The code for the next 30-second step: the enrolment's step is
			// used up, and the server accepts one step of clock skew.
			next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			b.fill("code", next)
			b.wantStatus("the next TOTP code", b.click(`main form button[type=submit]`), 200)
			b.wantPage("/", "Lantern")
			b.noProblems("home")
		})
	}
}

// enrol signs in for the first time and sets up two factors. It returns
// the TOTP secret and the recovery codes, and leaves the tab on the
// recovery codes page.
func (b *tab) enrol(email, password string) (secret string, codes []string) {
	t := b.t
	t.Helper()
	b.wantStatus("sign-in page", b.navigate("/sign-in"), 200)
	b.wantPage("/sign-in", "Sign in to Lantern")
	b.checkPage("sign in")
	b.fill("email", email)
	b.fill("password", password)
	b.wantStatus("sign in", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/sign-in/enrol", "Set up two-factor sign-in")
	secret = strings.ReplaceAll(b.text("main code"), " ", "")
	if !regexp.MustCompile(`^[A-Z2-7]{16,}$`).MatchString(secret) {
		t.Fatalf("enrol page: key %q is not base32", secret)
	}
	if w := eval[int](b, `(function(){ const i = document.querySelector('main img[src="/sign-in/enrol/qr.png"]'); return i && i.complete ? i.naturalWidth : 0 })()`); w != 240 {
		t.Errorf("enrol page: the QR code image did not load (natural width %d)", w)
	}
	b.checkPage("enrol")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.fill("code", code)
	b.wantStatus("confirm the code", b.click(`main form button[type=submit]`), 200)
	if h := b.text("h1"); h != "Save your recovery codes" {
		t.Fatalf("after the enrolment code, heading %q (error summary %q)", h, b.text(".govuk-error-summary"))
	}
	codes = b.texts(`main ul[aria-label="Recovery codes"] code`)
	if len(codes) != 10 {
		t.Fatalf("recovery codes page shows %d codes %q, want 10", len(codes), codes)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) < 8 || seen[c] {
			t.Errorf("recovery codes %q: %q is short or repeated", codes, c)
		}
		seen[c] = true
	}
	b.checkPage("recovery codes")
	return secret, codes
}

// signOut presses Sign out, and checks the session really ended.
func (b *tab) signOut() {
	b.t.Helper()
	b.wantStatus("sign out", b.click(`form[action="/sign-out"] button`), 200)
	b.wantPage("/sign-out", "You have signed out")
	b.checkPage("signed out")
	b.wantStatus("home after signing out", b.navigate("/"), 200)
	b.wantPage("/sign-in", "Sign in to Lantern")
}

// signInAgain signs in with the fixture password, expecting to be asked for
// the second factor.
func (b *tab) signInAgain(email string) {
	b.t.Helper()
	b.fill("email", email)
	b.fill("password", storetest.Password)
	b.wantStatus("sign in again", b.click(`main form button[type=submit]`), 200)
	b.wantPage("/sign-in/two-factor", "Enter your security code")
	b.checkPage("two-factor code")
}

// wrongCode is a six-digit code that no nearby step of secret has.
func wrongCode(secret string) string {
	near := map[string]bool{}
	for d := -2; d <= 2; d++ {
		c, _ := totp.GenerateCode(secret, time.Now().Add(time.Duration(d)*30*time.Second))
		near[c] = true
	}
	for _, c := range []string{"123456", "654321", "111111"} {
		if !near[c] {
			return c
		}
	}
	return "222222"
}

// checkErrorSummary checks the GOV.UK error summary: it has focus (GOV.UK
// Frontend moves focus to it), it links to exactly the fields in want (href
// to a fragment of the message), and each link, clicked, moves focus to a
// form control of that field, as GOV.UK Frontend's error summary does.
func (b *tab) checkErrorSummary(want map[string]string) {
	t := b.t
	t.Helper()
	if !eval[bool](b, `!!document.querySelector('.govuk-error-summary') && document.activeElement === document.querySelector('.govuk-error-summary')`) {
		t.Errorf("at %s: the error summary is missing or does not have focus (active element %s)", b.path(),
			eval[string](b, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'none'`))
	}
	type link struct{ Href, Text string }
	links := eval[[]link](b, `Array.from(document.querySelectorAll('.govuk-error-summary__list a'), a => ({Href: a.getAttribute('href'), Text: a.textContent.trim()}))`)
	got := map[string]string{}
	for _, l := range links {
		got[l.Href] = l.Text
	}
	if len(got) != len(want) {
		t.Errorf("at %s: error summary links %v, want one to each of %v", b.path(), links, want)
	}
	for href, frag := range want {
		msg, ok := got[href]
		if !ok {
			t.Errorf("at %s: error summary has no link to %s (links: %v)", b.path(), href, links)
			continue
		}
		if !strings.Contains(strings.ToLower(msg), strings.ToLower(frag)) {
			t.Errorf("at %s: error summary link to %s says %q, want it to mention %q", b.path(), href, msg, frag)
		}
		// The field's inline error message is there too.
		if eval[string](b, `(function(){ const e = document.querySelector(`+jsString(href)+`); const g = e && e.closest('.govuk-form-group--error'); return g ? (g.querySelector('.govuk-error-message') || {}).textContent || '' : '' })()`) == "" {
			t.Errorf("at %s: the field %s has no inline error message in an error form group", b.path(), href)
		}
		b.press(`.govuk-error-summary__list a[href=` + jsString(href) + `]`)
		focused := eval[string](b, `(function(){ const a = document.activeElement; return a && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName) ? a.id : '' })()`)
		if focused == "" {
			t.Errorf("at %s: the error summary link to %s does not move focus to a form control (focus is on %s)", b.path(), href,
				eval[string](b, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'none'`))
		}
	}
}

// summaryRows reads a GOV.UK summary list: key text to value text.
func (b *tab) summaryRows() map[string]string {
	b.t.Helper()
	return eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll('main .govuk-summary-list__row'),
  r => [r.querySelector('.govuk-summary-list__key').innerText.trim(), r.querySelector('.govuk-summary-list__value').innerText.trim()]))`)
}
