package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"lantern/app/apptest"
	"lantern/store/storetest"
	"lantern/web"
)

// TestIdleTimeout: every page says when the session ends if nothing is
// done and offers more time; a form sent after the session ended is held,
// sealed, and offered back to the same person once they sign in again.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{}) // 10:00 UTC, 22 November 2026
			f := e.f
			c := e.createChild(f.SocialWorker, "Ida", "Idle")
			sw := mpgSignIn(t, e.srv, f.SocialWorker.Email)
			b := sw.b

			// The page says when; more time is a POST, with or without script.
			wantPage(t, b.get("/children"), 200, `id="session-expiry"`, `datetime="2026-11-22T10:29:00Z"`, ">10:29</time>",
				`action="/session/extend"`, `name="next" value="/children"`)
			wantRedirect(t, b.post("/session/extend", url.Values{"next": {"/children"}}), "/children")
			wantRedirect(t, b.post("/session/extend", url.Values{"next": {"//evil.example.net/x"}}), "/")
			if r := b.post("/session/extend", url.Values{}, "Accept", "application/json"); r.status != http.StatusNoContent {
				t.Errorf("extend from script: %d", r.status)
			}
			e.clock.Add(25 * time.Minute)
			if r := b.post("/session/extend", url.Values{}, "Accept", "application/json"); r.status != http.StatusNoContent {
				t.Fatalf("extend after 25 minutes: %d", r.status)
			}
			e.clock.Add(25 * time.Minute) // 50 minutes in all, 25 since the extension
			wantPage(t, b.get("/children"), 200)

			// Thirty-one idle minutes, then the concern is sent: it is held.
			e.clock.Add(31 * time.Minute)
			words := "He said the man in the blue car gives him vapes"
			concern := url.Values{"summary": {words}, "immediate_risk": {"no"}, "disclosure": {"no"}}
			r := b.post("/children/"+c.ID+"/concerns", concern)
			wantRedirect(t, r, "/sign-in?done=held")
			var sealed string
			if err := e.srv.Store.DB().QueryRow(`SELECT sealed FROM held_forms`).Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(sealed, "vapes") || strings.Contains(sealed, "blue") {
				t.Errorf("the held form is stored readable: %s", sealed)
			}
			wantPage(t, b.get("/sign-in?done=held"), 200, "what you sent was not saved. It is kept for you")

			// Someone else signing in on that browser is not shown it.
			other := newBrowser(t, e.srv)
			other.c.Jar = b.c.Jar
			other.enrol(f.Teacher.Email)
			wantRedirect(t, other.get("/session/held"), "/")
			// (Their visit cleared the browser's cookie: put it back, as the
			// writer's own browser would still have it.)
			held := heldCookie(t, r)
			u, _ := url.Parse(e.srv.URL)
			b.c.Jar.SetCookies(u, []*http.Cookie{held})

			// The writer signs in again and is offered it, once.
			b.password(f.SocialWorker.Email, "/sign-in/two-factor")
			code, err := totp.GenerateCode(sw.secret, e.srv.Store.Now())
			if err != nil {
				t.Fatal(err)
			}
			wantRedirect(t, b.post("/sign-in/two-factor", url.Values{"code": {code}}), "/session/held")
			page := b.get("/session/held")
			wantPage(t, page, 200, "Send what you wrote", `action="/children/`+c.ID+`/concerns"`, `value="`+words+`"`)
			wantRedirect(t, b.get("/session/held"), "/")
			r = b.post("/children/"+c.ID+"/concerns", concern)
			if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "/concerns/") {
				t.Errorf("sending the held concern: %d %s", r.status, r.header.Get("Location"))
			}
		})
	}
}

func heldCookie(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == web.HeldCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie set", web.HeldCookie)
	return nil
}
