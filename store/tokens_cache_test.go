package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// TestTokenCacheReplicas: a replica keeps the tokens it checked, and a
// change made through another (a role taken away, a user disabled, a
// token revoked) reaches it at its next read of the authorisation epoch;
// a change made through itself, at once.
func TestTokenCacheReplicas(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			rs := storetest.Replicas(t, storetest.Config(t, d), 2)
			a, b := rs[0], rs[1]
			f := storetest.Seed(t, a)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); b.KeepAuthCache(ctx) }()
			t.Cleanup(func() { cancel(); <-done })
			admin := storetest.As(f.Admin)
			sw := f.SocialWorker
			secret, _, err := a.CreateToken(storetest.As(sw), sw.ID, "test", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			check := func(want error, roles ...lantern.Role) {
				t.Helper()
				u, err := b.TokenUser(context.Background(), secret)
				if !errors.Is(err, want) {
					t.Fatalf("the other replica checked the token: %v, want %v", err, want)
				}
				if err != nil {
					return
				}
				got := slices.Clone(u.Roles)
				slices.Sort(got)
				slices.Sort(roles)
				if !slices.Equal(got, roles) {
					t.Fatalf("the other replica's roles: %v, want %v", u.Roles, roles)
				}
			}
			// Checked once the cache is kept, it holds the token.
			for deadline := time.Now().Add(10 * time.Second); b.AuthCached() < 1; time.Sleep(10 * time.Millisecond) {
				check(nil, sw.Roles...)
				if time.Now().After(deadline) {
					t.Fatalf("the other replica keeps no checked token: %d", b.AuthCached())
				}
			}
			check(nil, sw.Roles...) // from the cache
			update := func(roles []lantern.Role, disabled bool) {
				t.Helper()
				u, err := a.FindUserByID(admin, sw.ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.UpdateUser(admin, sw.ID, u.Version, lantern.UserUpdate{Name: u.Name, AgencyID: u.AgencyID, Roles: roles, Disabled: disabled}); err != nil {
					t.Fatal(err)
				}
			}
			update([]lantern.Role{lantern.RoleSocialWorker, lantern.RoleAuditor}, false) // another role, which needs no approval
			if err := b.PollAuthEpoch(context.Background()); err != nil {
				t.Fatal(err)
			}
			check(nil, lantern.RoleSocialWorker, lantern.RoleAuditor)
			update([]lantern.Role{lantern.RoleSocialWorker, lantern.RoleAuditor}, true)
			if err := b.PollAuthEpoch(context.Background()); err != nil {
				t.Fatal(err)
			}
			check(store.ErrBadToken)
			update([]lantern.Role{lantern.RoleSocialWorker, lantern.RoleAuditor}, false)
			// (Disabling revoked the token.) The running poll, unprompted: a
			// token revoked through one replica stops working on the other
			// (within a quarter second; the test allows ten, and asserts only
			// that it happens).
			secret, tok, err := a.CreateToken(storetest.As(sw), sw.ID, "again", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			check(nil, lantern.RoleSocialWorker, lantern.RoleAuditor)
			if err := a.RevokeToken(storetest.As(sw), tok.ID); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if _, err := b.TokenUser(context.Background(), secret); errors.Is(err, store.ErrBadToken) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("a token revoked through one replica still works on the other")
				}
			}
			// Revoked through the replica that checks it: at once.
			secret2, tok2, err := b.CreateToken(storetest.As(sw), sw.ID, "second", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.TokenUser(context.Background(), secret2); err != nil {
				t.Fatal(err)
			}
			if err := b.RevokeToken(storetest.As(sw), tok2.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := b.TokenUser(context.Background(), secret2); !errors.Is(err, store.ErrBadToken) {
				t.Fatalf("revoked on this replica, still checked: %v", err)
			}
		})
	}
}
