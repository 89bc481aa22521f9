// Package oidctest runs a real OpenID provider in a test: zitadel/oidc's
// provider (its example server and storage), with users whose ID tokens
// carry Microsoft Entra ID's claims (tid, oid, roles), as a council's
// directory would issue them.
package oidctest

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is someone the directory signs in.
type User struct {
	Username, Password string
	// ObjectID is their oid (and subject); Tenant their tid.
	ObjectID, Tenant string
	Name, Email      string
	Roles            []string
}

// Client is an application registered with the provider.
type Client struct {
	ID, Secret, RedirectURL string
}

// Provider is a running OpenID provider.
type Provider struct {
	URL string
	srv *httptest.Server
}

type users map[string]*User

func (u users) GetUserByID(id string) *storage.User {
	for _, x := range u {
		if x.ObjectID == id {
			return toStorage(x)
		}
	}
	return nil
}

func (u users) GetUserByUsername(name string) *storage.User {
	if x, ok := u[name]; ok {
		return toStorage(x)
	}
	return nil
}

func (u users) ExampleClientID() string { return "service" }

func toStorage(x *User) *storage.User {
	return &storage.User{ID: x.ObjectID, Username: x.Username, Password: x.Password, FirstName: x.Name, Email: x.Email,
		EmailVerified: true, PreferredLanguage: language.English}
}

// entra adds Entra ID's claims to every ID token.
type entra struct {
	*storage.Storage
	users users
}

func (e *entra) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := e.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	for _, x := range e.users {
		if x.ObjectID == req.GetSubject() {
			ui.AppendClaims("tid", x.Tenant)
			ui.AppendClaims("oid", x.ObjectID)
			ui.AppendClaims("name", x.Name)
			ui.AppendClaims("preferred_username", x.Email)
			if len(x.Roles) > 0 {
				ui.AppendClaims("roles", x.Roles)
			}
		}
	}
	return nil
}

// Start runs a provider with us and clients until the test ends.
func Start(t testing.TB, us []User, clients []Client) *Provider {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + l.Addr().String()
	byName := users{}
	for i := range us {
		byName[us[i].Username] = &us[i]
	}
	cs := map[string]*storage.Client{}
	for _, c := range clients {
		cs[c.ID] = storage.WebClient(c.ID, c.Secret, c.RedirectURL)
	}
	st := &entra{Storage: storage.NewStorageWithClients(byName, cs), users: byName}
	// The example server logs every request through the default logger.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	srv := httptest.NewUnstartedServer(exampleop.SetupServer(issuer, st, nil, false))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return &Provider{URL: issuer, srv: srv}
}

// Browser is a person's browser: it keeps cookies and follows redirects.
func Browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

// SignIn follows start (the relying party's sign-in address) to the
// provider's login form, signs in as username, and returns the response
// at the end of the redirects.
func (p *Provider) SignIn(t testing.TB, b *http.Client, start, username, password string) *http.Response {
	t.Helper()
	resp, err := b.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	if !strings.HasPrefix(resp.Request.URL.String(), p.URL) || id == "" {
		t.Fatalf("not at the provider's login form: %d %s", resp.StatusCode, resp.Request.URL)
	}
	resp, err = b.PostForm(p.URL+"/login/username", url.Values{"id": {id}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// Code signs in as username for client, stopping at the redirect back to
// it, and returns the redirect's address (its code and state).
func (p *Provider) Code(t testing.TB, c Client, username, password, state, nonce string) *url.URL {
	t.Helper()
	b := Browser()
	var back *url.URL
	b.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), c.RedirectURL) {
			back = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}
	q := url.Values{"client_id": {c.ID}, "redirect_uri": {c.RedirectURL}, "response_type": {"code"}, "scope": {"openid profile email"},
		"state": {state}, "nonce": {nonce}}
	resp := p.SignIn(t, b, p.URL+"/auth?"+q.Encode(), username, password)
	resp.Body.Close()
	if back == nil {
		t.Fatalf("the provider did not send back to %s: %d %s", c.RedirectURL, resp.StatusCode, resp.Request.URL)
	}
	return back
}
