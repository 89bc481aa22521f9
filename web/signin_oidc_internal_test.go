package web

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"lantern/internal/oidctest"
)

// idToken signs in as username for client c at p and returns the ID
// token the provider issued, for nonce.
func idToken(t *testing.T, p *oidctest.Provider, c oidctest.Client, username, nonce string) string {
	t.Helper()
	back := p.Code(t, c, username, "verysecure", "state-1", nonce)
	prov, err := oidc.NewProvider(context.Background(), p.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := oauth2.Config{ClientID: c.ID, ClientSecret: c.Secret, Endpoint: prov.Endpoint(), RedirectURL: c.RedirectURL}
	tok, err := cfg.Exchange(context.Background(), back.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("no id token")
	}
	return raw
}

// The ID token's checks: a token for this client with its nonce passes;
// one for another client (audience), another provider (issuer), another
// tenant, another nonce, one past its expiry, and one with alg none are
// each refused with the reason.
func TestVerifyIDToken(t *testing.T) {
	users := []oidctest.User{
		{Username: "sam@council.example.org", Password: "verysecure", ObjectID: "oid-sam", Tenant: "tenant-1", Name: "Sam", Email: "sam@council.example.org", Roles: []string{"Lantern.SocialWorker"}},
		{Username: "eve@other.example.org", Password: "verysecure", ObjectID: "oid-eve", Tenant: "tenant-2", Name: "Eve", Email: "eve@other.example.org", Roles: []string{"Lantern.SocialWorker"}},
	}
	a := oidctest.Client{ID: "lantern", Secret: "secret-a", RedirectURL: "http://127.0.0.1:1/sign-in/oidc/callback"}
	b := oidctest.Client{ID: "another-app", Secret: "secret-b", RedirectURL: "http://127.0.0.1:2/callback"}
	p := oidctest.Start(t, users, []oidctest.Client{a, b})
	p2 := oidctest.Start(t, users, []oidctest.Client{a})
	ctx := context.Background()
	now := time.Now()
	r := &rp{cfg: OIDCConfig{Issuer: p.URL, ClientID: a.ID, ClientSecret: a.Secret, RedirectURL: a.RedirectURL, Tenant: "tenant-1"},
		now: func() time.Time { return now }}
	prov, err := r.provider(ctx)
	if err != nil {
		t.Fatal(err)
	}
	good := idToken(t, p, a, "sam@council.example.org", "nonce-1")
	c, err := r.verify(ctx, prov, good, "nonce-1")
	if err != nil || c.ObjectID != "oid-sam" || c.Tenant != "tenant-1" || len(c.Roles) != 1 || c.Email != "sam@council.example.org" {
		t.Fatalf("a good token: %+v, %v", c, err)
	}
	_, rest, _ := strings.Cut(good, ".")
	payload, _, _ := strings.Cut(rest, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + "."
	for _, tc := range []struct {
		name, raw, nonce, want string
		later                  time.Duration
	}{
		{"another client's token", idToken(t, p, b, "sam@council.example.org", "nonce-2"), "nonce-2", "audience", 0},
		// Signed by another provider's key: refused at its signature
		// (go-oidc checks the issuer too).
		{"another provider's token", idToken(t, p2, a, "sam@council.example.org", "nonce-3"), "nonce-3", "id token", 0},
		{"another tenant", idToken(t, p, a, "eve@other.example.org", "nonce-4"), "nonce-4", "tenant", 0},
		{"another nonce", good, "nonce-x", "nonce", 0},
		{"no nonce", good, "", "nonce", 0},
		{"expired", good, "nonce-1", "expired", 2 * time.Hour},
		{"alg none", none, "nonce-1", "id token", 0},
	} {
		now = time.Now().Add(tc.later)
		_, err := r.verify(ctx, prov, tc.raw, tc.nonce)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a refusal naming %q", tc.name, err, tc.want)
		}
	}
}
