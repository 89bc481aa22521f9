package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"lantern"
	"lantern/store"
)

// Single sign-on with OpenID Connect (docs/sessions.md#single-sign-on), as
// councils' directories (Microsoft Entra ID) offer it: the authorisation
// code flow with PKCE (S256), a state and a nonce each used once, the ID
// token verified (signature by the issuer's published keys, RS256 only;
// issuer; audience; expiry) and its tenant checked. People are keyed by
// tenant and object id; their roles and agency come from the token's app
// roles through the configured map.

// OIDCConfig configures single sign-on; Issuer empty turns it off.
type OIDCConfig struct {
	// Issuer is the tenant's issuer, such as
	// https://login.microsoftonline.com/TENANT/v2.0.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is Lantern's callback, as registered with the provider:
	// BASE/sign-in/oidc/callback.
	RedirectURL string
	// Tenant is the directory's tenant id: a token of another tenant is
	// refused whatever its issuer says.
	Tenant string
	// Roles maps the token's app roles to Lantern's roles and agencies: a
	// person with none mapped gets no account.
	Roles store.RoleMap
	// Label names the directory on the sign-in page.
	Label string
}

// rp is the relying party: the provider's configuration, fetched when
// first needed (and again after a failure), and the token verifier.
type rp struct {
	cfg OIDCConfig
	now func() time.Time
	mu  sync.Mutex
	p   *oidc.Provider
}

func (r *rp) provider(ctx context.Context) (*oidc.Provider, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.p != nil {
		return r.p, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, http.DefaultClient), r.cfg.Issuer)
	if err != nil {
		return nil, err
	}
	r.p = p
	return p, nil
}

func (r *rp) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: r.cfg.ClientID, ClientSecret: r.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: r.cfg.RedirectURL, Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

// claims are what Lantern reads of an ID token: Entra's names.
type claims struct {
	Nonce             string   `json:"nonce"`
	Tenant            string   `json:"tid"`
	ObjectID          string   `json:"oid"`
	Name              string   `json:"name"`
	Email             string   `json:"email"`
	PreferredUsername string   `json:"preferred_username"`
	Roles             []string `json:"roles"`
}

// errRefused is a sign-in the directory's answer does not allow; why is
// for the audit trail, never the page.
type errRefused struct{ why string }

func (e *errRefused) Error() string { return e.why }

func refused(format string, a ...any) error { return &errRefused{fmt.Sprintf(format, a...)} }

// verify checks a raw ID token for nonce, and reads who it names.
func (r *rp) verify(ctx context.Context, p *oidc.Provider, raw, nonce string) (*claims, error) {
	v := p.Verifier(&oidc.Config{ClientID: r.cfg.ClientID, Now: r.now, SupportedSigningAlgs: []string{oidc.RS256}})
	tok, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, refused("id token: %v", err)
	}
	var c claims
	if err := tok.Claims(&c); err != nil {
		return nil, refused("id token claims: %v", err)
	}
	switch {
	case nonce == "" || c.Nonce != nonce:
		return nil, refused("id token: the nonce is not this sign-in's")
	case r.cfg.Tenant != "" && c.Tenant != r.cfg.Tenant:
		return nil, refused("id token: tenant %q is not the area's", c.Tenant)
	case c.ObjectID == "" && tok.Subject == "":
		return nil, refused("id token: no object id")
	}
	if c.ObjectID == "" {
		c.ObjectID = tok.Subject
	}
	if c.Email == "" {
		c.Email = c.PreferredUsername
	}
	return &c, nil
}

func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oidcStart sends the person to their directory to sign in.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	if s.rp == nil {
		s.error(w, r, lantern.NotFound("Page"))
		return
	}
	p, err := s.rp.provider(r.Context())
	if err != nil {
		s.log.Error("single sign-on: the provider cannot be reached", "issuer", s.rp.cfg.Issuer, "err", err)
		s.renderSignIn(w, r, http.StatusServiceUnavailable, "", "Your council's sign-in cannot be reached just now. Try again in a few minutes.")
		return
	}
	state, nonce, verifier := randomText(32), randomText(32), oauth2.GenerateVerifier()
	if err := s.st.BeginOIDC(r.Context(), state, nonce, verifier); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, s.rp.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
}

// oidcCallback finishes the sign-in the directory answered: the state is
// this server's and unused, the code is exchanged with the PKCE verifier,
// the ID token verified, and the person's account found or made from it.
// Every refusal is audited with its reason; the page says only that the
// sign-in did not work.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.rp == nil {
		s.error(w, r, lantern.NotFound("Page"))
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	fail := func(why string, status int) {
		s.st.RecordSignInRefusal(ctx, "signin.oidc-refused", why)
		s.renderSignIn(w, r, status, "", "Signing in with your council account did not work. Try again, or ask your administrator.")
	}
	if e := q.Get("error"); e != "" {
		fail("provider: "+lantern.Excerpt(e, 60), http.StatusUnauthorized)
		return
	}
	state, code := q.Get("state"), q.Get("code")
	if state == "" || code == "" || len(state) > 200 || len(code) > 4000 {
		fail("callback: no state or code", http.StatusBadRequest)
		return
	}
	nonce, verifier, ok, err := s.st.TakeOIDC(ctx, state)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !ok {
		fail("callback: the state is unknown, used or too old", http.StatusUnauthorized)
		return
	}
	p, err := s.rp.provider(ctx)
	if err != nil {
		fail("provider unreachable", http.StatusServiceUnavailable)
		return
	}
	xctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, http.DefaultClient), 10*time.Second)
	defer cancel()
	tok, err := s.rp.oauth(p).Exchange(xctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		fail("token exchange: "+lantern.Excerpt(err.Error(), 120), http.StatusUnauthorized)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		fail("token exchange: no id token", http.StatusUnauthorized)
		return
	}
	c, err := s.rp.verify(ctx, p, raw, nonce)
	if err != nil {
		fail(err.Error(), http.StatusUnauthorized)
		return
	}
	u, err := s.st.FederatedSignIn(ctx, store.Federated{Issuer: s.rp.cfg.Issuer, Tenant: c.Tenant, Subject: c.ObjectID, Name: c.Name,
		Email: c.Email, AppRoles: c.Roles}, s.rp.cfg.Roles)
	if err != nil {
		if errors.Is(err, store.ErrNoRole) {
			fail("no mapped role for object "+c.ObjectID, http.StatusForbidden)
			return
		}
		fail("account: "+lantern.Excerpt(lantern.ErrorMessageOrText(err), 160), http.StatusForbidden)
		return
	}
	token, err := s.st.StartSession(ctx, u.ID, store.StageSignedIn, sessionToken(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.setCookie(w, token)
	redirect(w, r, "/")
}

// sessionToken is the request's session's token, replaced by the new one.
func sessionToken(r *http.Request) string {
	if si := sessionFrom(r.Context()); si != nil {
		return si.token
	}
	return ""
}

// signInView is the sign-in page's: whether passwords are taken, and the
// directory's sign-in when there is one.
type signInView struct {
	Password  bool
	Directory string // its name, when single sign-on is on
}

// renderSignIn shows the sign-in page, with a problem if msg is given.
func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, email, msg string) {
	p := s.newPage(r, "Sign in")
	p.HideNav = true
	p.Form = map[string]string{"email": email}
	if msg != "" {
		field := "email"
		if s.rp != nil {
			field = "sso"
		}
		p.Errors = []lantern.FieldError{{Field: field, Message: msg}}
	}
	p.Data = s.signInView()
	s.render(w, r, status, "signin", p)
}

func (s *Server) signInView() signInView {
	v := signInView{Password: !s.cfg.NoPasswords}
	if s.rp != nil {
		v.Directory = s.rp.cfg.Label
		if v.Directory == "" {
			v.Directory = "your council account"
		}
	}
	return v
}
