package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp/totp"

	"lantern/app/apptest"
	"lantern/store/storetest"
)

// focusInfo describes document.activeElement.
type focusInfo struct {
	Tag        string  `json:"tag"`
	ID         string  `json:"id"`
	Class      string  `json:"class"`
	Text       string  `json:"text"`
	Height     float64 `json:"height"`
	Background string  `json:"background"`
	Outline    string  `json:"outline"`
}

func (b *tab) focused() focusInfo {
	b.t.Helper()
	return eval[focusInfo](b, `(function(){
  const a = document.activeElement, s = getComputedStyle(a);
  return {tag: a.tagName, id: a.id, class: a.className, text: a.innerText.trim(),
    height: a.getBoundingClientRect().height, background: s.backgroundColor, outline: s.outlineColor};
})()`)
}

// key presses keys on whatever has focus, as a person at a keyboard would.
func (b *tab) key(keys string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the element with id has focus.
func (b *tab) tabTo(id string) {
	b.t.Helper()
	for range 15 {
		b.key(kb.Tab)
		if b.focused().ID == id {
			return
		}
	}
	b.t.Fatalf("at %s: 15 presses of Tab never reached #%s", b.path(), id)
}

// The GOV.UK focus colour.
const focusYellow = "rgb(255, 221, 0)"

// TestKeyboardOnly signs in and sets up two factors with the keyboard
// alone: Tab first reaches the skip link, which moves focus to the main
// content; the fields take typing; Enter submits.
func TestKeyboardOnly(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := apptest.Start(t, "sqlite", apptest.Options{})
	sw := srv.Fixture.SocialWorker
	b := openTab(t, srv.URL, nil)
	b.wantStatus("sign-in page", b.navigate("/sign-in"), 200)
	b.settled("sign in")

	b.key(kb.Tab)
	f := b.focused()
	if f.Tag != "A" || f.Text != "Skip to main content" || !strings.Contains(f.Class, "govuk-skip-link") {
		t.Fatalf("the first Tab focuses %+v, want the link \"Skip to main content\"", f)
	}
	if f.Height < 10 || f.Background != focusYellow {
		t.Errorf("the focused skip link is not visible with the GOV.UK focus style: height %.0f, background %s", f.Height, f.Background)
	}
	b.key(kb.Enter)
	ctx, cancel := contextWithTimeout(b, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.activeElement.id === 'main-content'`, chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		t.Errorf("Enter on the skip link did not move focus to the main content (focus on %+v): %v", b.focused(), err)
	}

	b.key(kb.Tab)
	if f := b.focused(); f.ID != "email" {
		t.Fatalf("Tab after skipping to the main content focuses %+v, want the email field", f)
	} else if f.Outline != focusYellow {
		t.Errorf("the focused email field has outline colour %s, want the GOV.UK focus colour %s", f.Outline, focusYellow)
	}
	b.key(sw.Email)
	b.key(kb.Tab)
	if f := b.focused(); f.ID != "password" {
		t.Fatalf("Tab from the email field focuses %+v, want the password field", f)
	}
	b.key(storetest.Password)
	b.key(kb.Tab)
	if f := b.focused(); f.Tag != "BUTTON" || f.Text != "Sign in" {
		t.Fatalf("Tab from the password field focuses %+v, want the Sign in button", f)
	} else if f.Background != focusYellow {
		t.Errorf("the focused Sign in button has background %s, want the GOV.UK focus colour %s", f.Background, focusYellow)
	}
	b.wantStatus("Enter on Sign in", b.follow(chromedp.KeyEvent(kb.Enter)), 200)
	b.wantPage("/sign-in/enrol", "Set up two-factor sign-in")
	b.settled("enrol")

	// Enrol: Tab to the code field, type the code, Enter in the field.
	secret := strings.ReplaceAll(b.text("main code"), " ", "")
	b.tabTo("code")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.key(code)
	b.wantStatus("Enter in the code field", b.follow(chromedp.KeyEvent(kb.Enter)), 200)
	if h := b.text("h1"); h != "Save your recovery codes" {
		t.Fatalf("after typing the code and Enter, heading %q (errors %q)", h, b.text(".govuk-error-summary"))
	}
	b.settled("recovery codes")
	for range 15 {
		b.key(kb.Tab)
		if f := b.focused(); f.Tag == "A" && strings.HasPrefix(f.Text, "I have saved my codes") {
			break
		}
	}
	if f := b.focused(); !strings.HasPrefix(f.Text, "I have saved my codes") {
		t.Fatalf("Tab never reached the continue button; focus on %+v", f)
	}
	b.wantStatus("Enter on continue", b.follow(chromedp.KeyEvent(kb.Enter)), 200)
	b.wantPage("/", "Lantern")
	b.settled("home")
}
