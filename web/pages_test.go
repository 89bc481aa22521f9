package web_test

import (
	"bytes"
	"image/png"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"lantern"
	"lantern/app/apptest"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/web"
)

// browser is a person's browser: a cookie jar, and redirects shown rather
// than followed.
type browser struct {
	t   *testing.T
	srv *apptest.Server
	c   *http.Client
}

func newBrowser(t *testing.T, srv *apptest.Server) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, srv: srv, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return send(b.t, b.c, req)
}

// post sends a form; hdr is pairs of header names and values.
func (b *browser) post(path string, form url.Values, hdr ...string) response {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return send(b.t, b.c, req)
}

// session is the session cookie's value in the jar, or "".
func (b *browser) session() string {
	u, _ := url.Parse(b.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == web.SessionCookie {
			return c.Value
		}
	}
	return ""
}

// setSession puts a session cookie's value in the jar, as a thief would.
func (b *browser) setSession(v string) {
	u, _ := url.Parse(b.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: v, Path: "/"}})
}

// sessionCookie is the session cookie a response set, or nil.
func sessionCookie(r response) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == web.SessionCookie {
			return c
		}
	}
	return nil
}

func wantRedirect(t *testing.T, r response, to string) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.header.Get("Location") != to {
		t.Fatalf("got %d to %q, want 303 to %q; body %.300s", r.status, r.header.Get("Location"), to, r.body)
	}
}

func wantPage(t *testing.T, r response, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %.2000s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	for _, s := range contains {
		if !strings.Contains(string(r.body), s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

const errorSummary = "There is a problem"

var (
	secretRE   = regexp.MustCompile(`<code class="app-break-word">([A-Z2-7 ]+)</code>`)
	recoveryRE = regexp.MustCompile(`<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>`)
)

// password signs in with the fixture password and expects a redirect to next.
func (b *browser) password(email, next string) {
	b.t.Helper()
	wantRedirect(b.t, b.post("/sign-in", url.Values{"email": {email}, "password": {storetest.Password}}), next)
}

// enrolment is what a first sign-in set up.
type enrolment struct {
	secret string
	codes  []string
}

// enrol signs in for the first time: password, then two-factor set-up.
func (b *browser) enrol(email string) enrolment {
	b.t.Helper()
	b.password(email, "/sign-in/enrol")
	r := b.get("/sign-in/enrol")
	wantPage(b.t, r, 200, "Set up two-factor sign-in")
	m := secretRE.FindSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("no secret on the enrolment page: %s", r.body)
	}
	secret := strings.ReplaceAll(string(m[1]), " ", "")
	code, err := totp.GenerateCode(secret, b.srv.Store.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	r = b.post("/sign-in/enrol", url.Values{"code": {code}})
	wantPage(b.t, r, 200, "Save your recovery codes")
	var codes []string
	for _, m := range recoveryRE.FindAllSubmatch(r.body, -1) {
		codes = append(codes, string(m[1]))
	}
	return enrolment{secret, codes}
}

// signIn signs a fixture user in for the first time (password and
// two-factor enrolment) and returns their browser.
func signIn(t *testing.T, srv *apptest.Server, email string) *http.Client {
	t.Helper()
	b := newBrowser(t, srv)
	b.enrol(email)
	return b.c
}

func browserFor(t *testing.T, srv *apptest.Server, email string) *browser {
	t.Helper()
	return &browser{t: t, srv: srv, c: signIn(t, srv, email)}
}

func auditCount(t *testing.T, st *store.Store, f *storetest.Fixture, filter store.AuditFilter) int {
	t.Helper()
	_, n, err := st.SearchAudit(storetest.As(f.Auditor), filter)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f, clock := e.srv, e.f, e.clock
			// A user whose name must be escaped wherever it is shown.
			odd, err := srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "siobhan@csc.example.org",
				Name: `Siobhán O'Brien <b>&</b>`, AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleSocialWorker}, Password: storetest.Password})
			if err != nil {
				t.Fatal(err)
			}

			t.Run("signed out, a page sends you to sign in", func(t *testing.T) {
				b := newBrowser(t, srv)
				wantRedirect(t, b.get("/children"), "/sign-in")
				wantRedirect(t, b.get("/"), "/sign-in")
				wantPage(t, b.get("/sign-in"), 200, "Sign in to Lantern")
				r := b.post("/children", url.Values{"given_name": {"X"}})
				wantPage(t, r, 401)
			})

			t.Run("a demonstration account does not sign in outside a demonstration", func(t *testing.T) {
				u, err := srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "demo.left@riverside.example.org", Name: "Dee Left",
					AgencyID: f.School.ID, Roles: []lantern.Role{lantern.RolePractitioner}, Password: storetest.Password})
				if err != nil {
					t.Fatal(err)
				}
				if err := srv.Store.SetMFAExempt(sysCtx(), u.ID, true); err != nil {
					t.Fatal(err)
				}
				b := newBrowser(t, srv)
				r := b.post("/sign-in", url.Values{"email": {u.Email}, "password": {storetest.Password}})
				wantPage(t, r, 403, errorSummary, "This is a demonstration account")
				if b.session() != "" {
					t.Errorf("a session for a demonstration account outside a demonstration")
				}
				// Nor through a session or a token from a demonstration run
				// before: the same store, served without --demo now.
				sys := sysCtx()
				tok, err := srv.Store.StartSession(sys, u.ID, store.StageSignedIn, "")
				if err != nil {
					t.Fatal(err)
				}
				old := newBrowser(t, srv)
				old.setSession(tok)
				wantRedirect(t, old.get("/"), "/sign-in")
				secret, _, err := srv.Store.CreateToken(sys, u.ID, "script", time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				if resp := send(t, noRedirect, req); resp.status != http.StatusUnauthorized || !strings.Contains(string(resp.body), "demonstration account") {
					t.Errorf("a demonstration account's token outside a demonstration: %d %s", resp.status, resp.body)
				}
			})

			t.Run("wrong passwords lock the account", func(t *testing.T) {
				b := newBrowser(t, srv)
				for i := 1; i <= 4; i++ {
					r := b.post("/sign-in", url.Values{"email": {f.OtherTeacher.Email}, "password": {"wrong password " + string(rune('0'+i))}})
					wantPage(t, r, 401, "govuk-error-summary", errorSummary, "Enter a correct email address and password")
					if c := sessionCookie(r); c != nil && c.Value != "" {
						t.Errorf("a failed sign-in set a session cookie %q", c.Value)
					}
					if !strings.Contains(string(r.body), `value="`+f.OtherTeacher.Email+`"`) {
						t.Errorf("the email address was not kept in the form")
					}
				}
				r := b.post("/sign-in", url.Values{"email": {f.OtherTeacher.Email}, "password": {"wrong password 5"}})
				wantPage(t, r, 429, errorSummary, "This account is locked")
				// Locked: even the right password is refused.
				r = b.post("/sign-in", url.Values{"email": {f.OtherTeacher.Email}, "password": {storetest.Password}})
				wantPage(t, r, 429, "This account is locked")
				if b.session() != "" {
					t.Errorf("a session cookie after failed sign-ins")
				}
				// The same words for an address that is nobody's.
				for i := 0; i < 5; i++ {
					b.post("/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"wrong"}})
				}
				wantPage(t, b.post("/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"wrong"}}), 429, "This account is locked")

				if n := auditCount(t, srv.Store, f, store.AuditFilter{UserID: f.OtherTeacher.ID, Action: "signin.failure"}); n != 5 {
					t.Errorf("signin.failure entries = %d, want 5", n)
				}
				if n := auditCount(t, srv.Store, f, store.AuditFilter{UserID: f.OtherTeacher.ID, Action: "signin.locked"}); n != 1 {
					t.Errorf("signin.locked entries = %d, want 1", n)
				}
				if n := auditCount(t, srv.Store, f, store.AuditFilter{UserID: f.OtherTeacher.ID, Action: "signin.password"}); n != 0 {
					t.Errorf("signin.password entries = %d for a locked account, want 0", n)
				}
			})

			t.Run("empty form", func(t *testing.T) {
				b := newBrowser(t, srv)
				wantPage(t, b.post("/sign-in", url.Values{}), 422, errorSummary, "Enter your email address", "Enter your password")
			})

			var en enrolment
			firstRan := false
			t.Run("first sign-in sets up two factors", func(t *testing.T) {
				firstRan = true
				b := newBrowser(t, srv)
				r := b.post("/sign-in", url.Values{"email": {"  SIOBHAN@csc.example.org "}, "password": {storetest.Password}})
				wantRedirect(t, r, "/sign-in/enrol")
				c := sessionCookie(r)
				if c == nil || c.Value == "" {
					t.Fatalf("no session cookie: %v", r.header)
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
					t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", c)
				}
				first := c.Value
				// Part-way through, nothing else is reachable.
				wantRedirect(t, b.get("/children"), "/sign-in")
				wantRedirect(t, b.get("/sign-in/two-factor"), "/sign-in")

				r = b.get("/sign-in/enrol")
				wantPage(t, r, 200, "siobhan@csc.example.org")
				m := secretRE.FindSubmatch(r.body)
				if m == nil {
					t.Fatalf("no secret shown: %s", r.body)
				}
				en.secret = strings.ReplaceAll(string(m[1]), " ", "")
				if len(en.secret) < 16 {
					t.Fatalf("secret %q is too short", en.secret)
				}
				// Showing the page again shows the same secret.
				if m2 := secretRE.FindSubmatch(b.get("/sign-in/enrol").body); m2 == nil || string(m2[1]) != string(m[1]) {
					t.Errorf("the secret changed on a second look")
				}

				r = b.get("/sign-in/enrol/qr.png")
				if r.status != 200 || r.header.Get("Content-Type") != "image/png" {
					t.Fatalf("QR code: %d %s", r.status, r.header.Get("Content-Type"))
				}
				if img, err := png.Decode(bytes.NewReader(r.body)); err != nil || img.Bounds().Dx() < 100 {
					t.Errorf("QR code is not a PNG of a useful size: %v", err)
				}

				good, err := totp.GenerateCode(en.secret, clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				wrong := "000000"
				if wrong == good {
					wrong = "111111"
				}
				r = b.post("/sign-in/enrol", url.Values{"code": {wrong}})
				wantPage(t, r, 401, errorSummary, "Enter a correct security code")
				wantPage(t, b.post("/sign-in/enrol", url.Values{"code": {"12"}}), 422, errorSummary)

				r = b.post("/sign-in/enrol", url.Values{"code": {good[:3] + " " + good[3:]}})
				wantPage(t, r, 200, "Save your recovery codes")
				for _, m := range recoveryRE.FindAllSubmatch(r.body, -1) {
					en.codes = append(en.codes, string(m[1]))
				}
				if len(en.codes) != 10 {
					t.Fatalf("%d recovery codes, want 10", len(en.codes))
				}
				if b.session() == first || b.session() == "" {
					t.Errorf("the session cookie was not replaced on signing in")
				}
				r = b.get("/")
				wantPage(t, r, 200, "Welcome, Siobhán O&#39;Brien &lt;b&gt;&amp;&lt;/b&gt;.")
				if strings.Contains(string(r.body), "<b>&</b>") {
					t.Errorf("the user's name is not escaped")
				}
				wantPage(t, b.get("/children"), 200)

				// The part-way session is gone.
				old := newBrowser(t, srv)
				old.setSession(first)
				wantRedirect(t, old.get("/"), "/sign-in")
				wantRedirect(t, old.get("/sign-in/enrol"), "/sign-in")
			})
			if !firstRan {
				// Run alone, a later subtest still needs her two factors.
				en = newBrowser(t, srv).enrol(odd.Email)
			}
			if len(en.codes) != 10 {
				t.Fatal("enrolment failed")
			}

			clock.Add(time.Minute) // the next TOTP step
			// One story: each code is refused once it has been used.
			t.Run("a second sign-in asks for a code, and takes each code once", func(t *testing.T) {
				b := newBrowser(t, srv)
				b.password(odd.Email, "/sign-in/two-factor")
				wantPage(t, b.get("/sign-in/two-factor"), 200, "Enter your security code")
				wantRedirect(t, b.get("/children"), "/sign-in")
				wantPage(t, b.post("/sign-in/two-factor", url.Values{"code": {""}}), 422, errorSummary)
				code, err := totp.GenerateCode(en.secret, clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				wantRedirect(t, b.post("/sign-in/two-factor", url.Values{"code": {code}}), "/")
				wantPage(t, b.get("/"), 200, "Welcome, Siobhán")

				// The same code again is refused.
				b = newBrowser(t, srv)
				b.password(odd.Email, "/sign-in/two-factor")
				wantPage(t, b.post("/sign-in/two-factor", url.Values{"code": {code}}), 401, errorSummary, "Enter a correct security code")
				wantRedirect(t, b.get("/"), "/sign-in")
				// A recovery code works instead, once.
				wantRedirect(t, b.post("/sign-in/two-factor", url.Values{"code": {strings.ToUpper(en.codes[0])}}), "/")
				wantPage(t, b.get("/"), 200)

				// The same recovery code again is refused; the next works.
				b = newBrowser(t, srv)
				b.password(odd.Email, "/sign-in/two-factor")
				wantPage(t, b.post("/sign-in/two-factor", url.Values{"code": {en.codes[0]}}), 401, errorSummary)
				wantRedirect(t, b.get("/children"), "/sign-in")
				wantRedirect(t, b.post("/sign-in/two-factor", url.Values{"code": {en.codes[1]}}), "/")
				wantPage(t, b.get("/account"), 200)
				if n := auditCount(t, srv.Store, f, store.AuditFilter{UserID: odd.ID, Action: "signin.mfa"}); n != 3 {
					t.Errorf("signin.mfa entries = %d, want 3", n)
				}
			})

			t.Run("an idle session ends", func(t *testing.T) {
				clock.Add(time.Minute)
				b := browserFor(t, srv, f.Teacher.Email)
				clock.Add(29 * time.Minute)
				wantPage(t, b.get("/children"), 200) // still within the idle timeout, and touched
				clock.Add(29 * time.Minute)
				wantPage(t, b.get("/children"), 200)
				clock.Add(31 * time.Minute)
				r := b.get("/children")
				wantRedirect(t, r, "/sign-in")
				if c := sessionCookie(r); c == nil || c.MaxAge >= 0 {
					t.Errorf("the ended session's cookie was not cleared: %v", c)
				}
				if b.session() != "" {
					t.Errorf("the browser still holds the session cookie")
				}
			})

			t.Run("a session ends after 12 hours however busy", func(t *testing.T) {
				clock.Add(time.Minute)
				b := browserFor(t, srv, f.SocialWorker.Email)
				for i := 0; i < 24; i++ { // 11 hours 36 minutes
					clock.Add(29 * time.Minute)
					wantPage(t, b.get("/"), 200)
				}
				clock.Add(29 * time.Minute)
				wantRedirect(t, b.get("/"), "/sign-in")
			})

			t.Run("signing out ends the session on the server", func(t *testing.T) {
				clock.Add(time.Minute)
				b := newBrowser(t, srv)
				b.password(odd.Email, "/sign-in/two-factor")
				code, _ := totp.GenerateCode(en.secret, clock.Now())
				wantRedirect(t, b.post("/sign-in/two-factor", url.Values{"code": {code}}), "/")
				stolen := b.session()
				wantPage(t, b.get("/"), 200)
				r := b.post("/sign-out", nil)
				wantPage(t, r, 200, "You have signed out")
				if c := sessionCookie(r); c == nil || c.MaxAge >= 0 {
					t.Errorf("sign-out did not clear the cookie: %v", c)
				}
				thief := newBrowser(t, srv)
				thief.setSession(stolen)
				wantRedirect(t, thief.get("/"), "/sign-in")
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
				if r := send(t, thief.c, req); r.status != 401 {
					t.Errorf("the API took the ended session: %d", r.status)
				}
				if n := auditCount(t, srv.Store, f, store.AuditFilter{UserID: odd.ID, Action: "signout"}); n != 1 {
					t.Errorf("signout entries = %d, want 1", n)
				}
			})
		})
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t, d, apptest.Options{})
			srv, f := e.srv, e.f
			teacherB := browserFor(t, srv, f.Teacher.Email)
			adminB := browserFor(t, srv, f.Admin.Email)
			swB := browserFor(t, srv, f.SocialWorker.Email)
			auditorB := browserFor(t, srv, f.Auditor.Email)

			t.Run("administration is refused to others", func(t *testing.T) {
				for _, path := range []string{"/admin/users", "/admin/users/new", "/admin/agencies", "/admin/users/" + f.Teacher.ID} {
					wantPage(t, teacherB.get(path), 403, "You cannot do that")
				}
				r := teacherB.post("/admin/users", url.Values{"email": {"sneaky@example.org"}, "name": {"Sneaky"}, "agency": {f.School.ID}, "roles": {"admin"}})
				wantPage(t, r, 403)
				if strings.Contains(string(adminB.get("/admin/users").body), "sneaky@example.org") {
					t.Errorf("a teacher created a user")
				}
			})

			t.Run("the administrator adds a user", func(t *testing.T) {
				r := adminB.get("/admin/users")
				wantPage(t, r, 200, "Terry Teacher", "teacher@riverside.example.org")
				r = adminB.post("/admin/users", url.Values{"email": {"New.Person@Riverside.example.org"}, "name": {"New Person"},
					"agency": {f.School.ID}, "roles": {"practitioner", "manager"}})
				if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/admin/users/") {
					t.Fatalf("create user: %d %q %.500s", r.status, r.header.Get("Location"), r.body)
				}
				wantPage(t, adminB.get(r.header.Get("Location")), 200, "The user has been created", "new.person@riverside.example.org")
				wantPage(t, adminB.get("/admin/users"), 200, "New Person", "new.person@riverside.example.org")
			})

			t.Run("one administrator does not both set a password and reset two factors", func(t *testing.T) {
				u, err := srv.Store.CreateUser(sysCtx(), lantern.UserInput{Email: "recovered@riverside.example.org", Name: "Rory Recovered",
					AgencyID: f.School.ID, Roles: []lantern.Role{lantern.RolePractitioner}, Password: storetest.Password})
				if err != nil {
					t.Fatal(err)
				}
				path := "/admin/users/" + u.ID
				if r := adminB.post(path+"/password", url.Values{"new_password": {"a password the admin chose 77"}}); r.status != 303 {
					t.Fatalf("set password: %d %.500s", r.status, r.body)
				}
				r := adminB.post(path+"/reset-two-factor", nil)
				wantPage(t, r, 422, errorSummary, "another administrator must reset their two-factor sign-in")
				wantErrorLinks(t, r, "reset-two-factor")
			})

			t.Run("a bad email address is shown again with the name kept", func(t *testing.T) {
				r := adminB.post("/admin/users", url.Values{"email": {"not-an-email"}, "name": {`Keep <Me> "Here"`},
					"agency": {f.School.ID}, "roles": {"practitioner"}})
				wantPage(t, r, 422, errorSummary, "Enter an email address in the correct format", `value="Keep &lt;Me&gt; &#34;Here&#34;"`, `value="not-an-email"`)
				if !regexp.MustCompile(`value="practitioner"[^>]*checked`).Match(r.body) {
					t.Errorf("the chosen role was not kept: %s", regexp.MustCompile(`<input[^>]*name="roles"[^>]*>`).FindAll(r.body, 3))
				}
				if regexp.MustCompile(`value="admin"[^>]*checked`).Match(r.body) {
					t.Errorf("a role not chosen is checked")
				}
				if strings.Contains(string(adminB.get("/admin/users").body), "Keep &lt;Me&gt;") {
					t.Errorf("the refused user was stored")
				}
			})

			t.Run("a cross-site form is refused", func(t *testing.T) {
				r := adminB.post("/admin/users", url.Values{"email": {"csrf@example.org"}, "name": {"Csrf"}, "agency": {f.School.ID}, "roles": {"admin"}},
					"Sec-Fetch-Site", "cross-site")
				wantPage(t, r, 403)
				if strings.Contains(string(adminB.get("/admin/users").body), "csrf@example.org") {
					t.Errorf("a cross-site form created a user")
				}
			})

			child := e.createChild(f.SocialWorker, "<script>alert(1)</script>", `O'Neil & "Sons"`)

			t.Run("administrators never see children", func(t *testing.T) {
				wantPage(t, adminB.get("/children"), 403, "You cannot see children")
				wantPage(t, adminB.get("/children/"+child.ID), 404, "Page not found")
				wantPage(t, adminB.get("/children/"+child.ID+"/edit"), 404)
				if r := adminB.get("/"); strings.Contains(string(r.body), `href="/children"`) {
					t.Errorf("the administrator's home page links to children")
				}
				wantPage(t, auditorB.get("/children/"+child.ID), 404)
			})

			t.Run("a child's name cannot inject script", func(t *testing.T) {
				for _, path := range []string{"/children/" + child.ID, "/children", "/children?q=script", "/children/" + child.ID + "/edit"} {
					r := swB.get(path)
					wantPage(t, r, 200, "&lt;script&gt;alert(1)&lt;/script&gt;")
					if strings.Contains(string(r.body), "<script>alert(1)") {
						t.Errorf("%s: the raw script tag is in the page", path)
					}
					if strings.Contains(string(r.body), `O'Neil & "Sons"`) {
						t.Errorf("%s: the family name is not escaped", path)
					}
				}
				// The other school does not see it at all, and the page is
				// the same as for no child.
				other := browserFor(t, srv, f.OtherTeacher.Email)
				hidden := other.get("/children/" + child.ID)
				wantPage(t, hidden, 404)
				missing := other.get("/children/0190f0f0-0000-7000-8000-000000000000")
				if !bytes.Equal(hidden.body, missing.body) {
					t.Errorf("the page for a hidden child differs from the page for none")
				}
				wantPage(t, swB.get("/children/%00"), 404)
				wantPage(t, swB.get("/children?q=%00"), 400)
				r := swB.get("/children?q=" + strings.Repeat("a", 50000))
				wantPage(t, r, 422, errorSummary, "characters or fewer")
				wantErrorLinks(t, r, "q")
			})

			t.Run("adding a child through the form", func(t *testing.T) {
				r := teacherB.post("/children", url.Values{"given_name": {"Form"}, "family_name": {"Child"}, "gender": {"male"},
					"dob-day": {"29"}, "dob-month": {"2"}, "dob-year": {"2023"}})
				wantPage(t, r, 422, errorSummary, "Date of birth must be a real date", `value="Form"`)
				r = teacherB.post("/children", url.Values{"given_name": {"Form\xff"}, "family_name": {"Child"}, "gender": {"male"},
					"dob-day": {"1"}, "dob-month": {"3"}, "dob-year": {"2012"}})
				if r.status != 400 && r.status != 422 {
					t.Errorf("a name that is not UTF-8: %d, want 400 or 422", r.status)
				}
				r = teacherB.post("/children", url.Values{"given_name": {"Form"}, "family_name": {"Child"}, "gender": {"male"},
					"dob-day": {"1"}, "dob-month": {"3"}, "dob-year": {"2012"}})
				if r.status != 303 || !strings.HasSuffix(r.header.Get("Location"), "?done=created") {
					t.Fatalf("create: %d %q", r.status, r.header.Get("Location"))
				}
				wantPage(t, teacherB.get(r.header.Get("Location")), 200, "The child&#39;s record has been created", "1 March 2012")
			})

			t.Run("the audit page", func(t *testing.T) {
				// The social worker reads the record, for the trail to show.
				wantPage(t, swB.get("/children/"+child.ID), 200)
				r := auditorB.get("/audit?child=" + child.ID)
				wantPage(t, r, 200, "child.read", "child.create", child.ID, "GET /children/{id}", f.SocialWorker.ID)
				if strings.Contains(string(r.body), "alert(1)") {
					t.Errorf("the audit trail shows case content")
				}
				r = auditorB.get("/audit?child=" + child.ID + "&from=2026-13-01")
				wantPage(t, r, 422, errorSummary, "Enter the date as YYYY-MM-DD", `value="2026-13-01"`)
				wantPage(t, auditorB.get("/audit?from=2026-11-23&to=2026-11-01"), 422, errorSummary, "The end date must be")
				wantPage(t, auditorB.get("/audit?user="+url.QueryEscape(f.SocialWorker.Email)+"&action=child.read"), 200, child.ID)
				for _, b := range []*browser{swB, adminB, teacherB} {
					wantPage(t, b.get("/audit?child="+child.ID), 403, "Only auditors can search the audit trail")
				}
			})
		})
	}
}
