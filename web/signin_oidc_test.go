package web_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lantern"
	"lantern/app"
	"lantern/app/apptest"
	"lantern/internal/oidctest"
	"lantern/store/storetest"
)

// freeAddr is an address no one listens on now, for a server whose own
// address must be known before it starts (its callback is registered with
// the provider first).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Single sign-on against a real OpenID provider: a social worker whose
// directory gives her the mapped app role signs in and gets an account
// keyed by tenant and object id (a second sign-in finds the same one, and
// takes up her new name); someone with no mapped role, and someone of
// another tenant, are refused and get no account; the callback replayed
// is refused; each refusal is audited. With passwords off, the password
// form is gone and a password sign-in is refused.
func TestSingleSignOn(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			addr := freeAddr(t)
			base := "http://" + addr
			client := oidctest.Client{ID: "lantern", Secret: "a-client-secret", RedirectURL: base + "/sign-in/oidc/callback"}
			users := []oidctest.User{
				{Username: "sam", Password: "verysecure", ObjectID: "11111111-oid", Tenant: "tenant-1", Name: "Sam Directory",
					Email: "sam@council.example.org", Roles: []string{"Lantern.SocialWorker", "Lantern.Unmapped"}},
				{Username: "nobody", Password: "verysecure", ObjectID: "22222222-oid", Tenant: "tenant-1", Name: "No Role",
					Email: "nobody@council.example.org", Roles: []string{"Lantern.Unmapped"}},
				{Username: "eve", Password: "verysecure", ObjectID: "33333333-oid", Tenant: "tenant-2", Name: "Eve Elsewhere",
					Email: "eve@elsewhere.example.org", Roles: []string{"Lantern.SocialWorker"}},
			}
			p := oidctest.Start(t, users, []oidctest.Client{client})
			dir := t.TempDir()
			secret, roles := filepath.Join(dir, "secret"), filepath.Join(dir, "roles.json")
			os.WriteFile(secret, []byte(client.Secret+"\n"), 0o600)
			m, _ := json.Marshal(map[string]any{"Lantern.SocialWorker": map[string]string{"role": "social-worker", "agency": "Northmoor Children's Services"}})
			os.WriteFile(roles, m, 0o600)
			srv := apptest.Start(t, d, apptest.Options{Configure: func(c *app.Config) {
				c.Addr = addr
				c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecretFile, c.OIDCRedirectURL = p.URL, client.ID, secret, client.RedirectURL
				c.OIDCTenant, c.OIDCRoles, c.OIDCLabel = "tenant-1", roles, "Northmoor Council"
			}})
			if srv.URL != base {
				t.Fatalf("the server is at %s, not %s", srv.URL, base)
			}
			body := func(r *http.Response) string {
				b, _ := io.ReadAll(r.Body)
				r.Body.Close()
				return string(b)
			}
			// The sign-in page offers the directory.
			if r, err := http.Get(base + "/sign-in"); err != nil || !strings.Contains(body(r), "Sign in with Northmoor Council") {
				t.Fatalf("the sign-in page: %v", err)
			}

			b := oidctest.Browser()
			var callback string
			b.CheckRedirect = func(req *http.Request, via []*http.Request) error {
				if strings.HasPrefix(req.URL.String(), client.RedirectURL) {
					callback = req.URL.String()
				}
				return nil
			}
			r := p.SignIn(t, b, base+"/sign-in/oidc", "sam", "verysecure")
			page := body(r)
			if r.StatusCode != 200 || r.Request.URL.Path != "/" || !strings.Contains(page, "Signed in as Sam Directory") {
				t.Fatalf("after signing in: %d at %s: %.400s", r.StatusCode, r.Request.URL, page)
			}
			u, err := srv.Store.FindUserByEmail(sysCtx(), "sam@council.example.org")
			if err != nil || !u.Has(lantern.RoleSocialWorker) || len(u.Roles) != 1 || u.AgencyID != srv.Fixture.CSC.ID {
				t.Fatalf("the account made: %+v, %v", u, err)
			}
			// The callback replayed: its state was used.
			r, err = b.Get(callback)
			if err != nil {
				t.Fatal(err)
			}
			if page := body(r); r.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "did not work") {
				t.Errorf("the callback replayed: %d %.300s", r.StatusCode, page)
			}
			// Again, with a new name: the same account.
			users[0].Name = "Sam Renamed"
			r = p.SignIn(t, oidctest.Browser(), base+"/sign-in/oidc", "sam", "verysecure")
			body(r)
			again, err := srv.Store.FindUserByEmail(sysCtx(), "sam@council.example.org")
			if err != nil || again.ID != u.ID || again.Name != "Sam Renamed" {
				t.Errorf("the second sign-in: %+v, %v (first %s)", again, err, u.ID)
			}

			for _, who := range []string{"nobody", "eve"} {
				r := p.SignIn(t, oidctest.Browser(), base+"/sign-in/oidc", who, "verysecure")
				if page := body(r); r.StatusCode == 200 || !strings.Contains(page, "did not work") {
					t.Errorf("%s: %d %.300s", who, r.StatusCode, page)
				}
			}
			for _, email := range []string{"nobody@council.example.org", "eve@elsewhere.example.org"} {
				if _, err := srv.Store.FindUserByEmail(sysCtx(), email); err == nil {
					t.Errorf("%s got an account", email)
				}
			}
			var refusals int
			if err := srv.Store.SyncAudit(sysCtx()); err != nil {
				t.Fatal(err)
			}
			srv.Store.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'signin.oidc-refused'`).Scan(&refusals)
			if refusals != 3 {
				t.Errorf("%d refusals audited, want 3 (the replay, no role, another tenant)", refusals)
			}
		})
	}
}

// With passwords off, the sign-in page offers only the directory, and a
// password sent anyway is refused, the account's right password too.
func TestNoPasswords(t *testing.T) {
	addr := freeAddr(t)
	client := oidctest.Client{ID: "lantern", Secret: "s", RedirectURL: "http://" + addr + "/sign-in/oidc/callback"}
	p := oidctest.Start(t, nil, []oidctest.Client{client})
	dir := t.TempDir()
	secret, roles := filepath.Join(dir, "secret"), filepath.Join(dir, "roles.json")
	os.WriteFile(secret, []byte("s"), 0o600)
	os.WriteFile(roles, []byte(`{"Lantern.SocialWorker": {"role": "social-worker", "agency": "Northmoor Children's Services"}}`), 0o600)
	srv := apptest.Start(t, "sqlite", apptest.Options{Configure: func(c *app.Config) {
		c.Addr = addr
		c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecretFile, c.OIDCRedirectURL, c.OIDCRoles = p.URL, client.ID, secret, client.RedirectURL, roles
		c.NoPasswords = true
	}})
	r, err := http.Get(srv.URL + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if page := string(b); strings.Contains(page, `name="password"`) || !strings.Contains(page, "/sign-in/oidc") {
		t.Errorf("the sign-in page with passwords off: %.500s", page)
	}
	r, err = http.PostForm(srv.URL+"/sign-in", map[string][]string{"email": {srv.Fixture.Teacher.Email}, "password": {storetest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("a password sign-in with passwords off: %d", r.StatusCode)
	}
}
