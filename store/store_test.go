package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lantern"
	"lantern/audit"
	"lantern/store"
	"lantern/store/storetest"
)

func date(t *testing.T, s string) lantern.Date {
	t.Helper()
	d, err := lantern.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wantCode(t *testing.T, err error, code lantern.Code) {
	t.Helper()
	if got := lantern.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestMigrateIsIdempotentAndRefusesNewerSchema(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, d)
			s, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.CheckSchema(ctx, true); err == nil {
				t.Fatal("an unmigrated database passed the check")
			}
			for range 2 {
				if err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.CheckSchema(ctx, true); err != nil {
				t.Fatal(err)
			}
			// A newer Lantern has been here.
			if _, err := s.DB().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)`); err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); !errors.Is(err, store.ErrSchemaTooNew) {
				t.Fatalf("migrate on a newer schema: %v", err)
			}
			if err := s.CheckSchema(ctx, true); !errors.Is(err, store.ErrSchemaTooNew) {
				t.Fatalf("check on a newer schema: %v", err)
			}
		})
	}
}

func TestChildrenAccessAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		in := lantern.ChildInput{GivenName: "Ava", FamilyName: "Example", DateOfBirth: date(t, "2012-03-01"), Gender: "female"}
		c, err := s.CreateChild(storetest.As(f.Teacher), in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != 1 || c.ID == "" {
			t.Fatalf("created %+v", c)
		}
		for _, tt := range []struct {
			name string
			user *lantern.User
			see  bool
		}{
			{"creator's agency", f.Teacher, true},
			{"children's social care", f.SocialWorker, true},
			{"another school", f.OtherTeacher, false},
			{"administrator", f.Admin, false},
			{"auditor", f.Auditor, false},
		} {
			got, err := s.FindChildByID(storetest.As(tt.user), c.ID)
			if tt.see {
				if err != nil || got.GivenName != "Ava" {
					t.Errorf("%s: %v", tt.name, err)
				}
			} else if lantern.ErrorCode(err) != lantern.ENOTFOUND {
				t.Errorf("%s: want not found, got %v", tt.name, err)
			}
			list, total, err := s.FindChildren(storetest.As(tt.user), lantern.ChildFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if (total == 1 && len(list) == 1) != tt.see {
				t.Errorf("%s: list has %d (total %d)", tt.name, len(list), total)
			}
		}
		// Forged ids are just not found.
		for _, id := range []string{"", "x", "' OR 1=1 --", c.ID + "0"} {
			_, err := s.FindChildByID(storetest.As(f.SocialWorker), id)
			wantCode(t, err, lantern.ENOTFOUND)
		}
		// Name search, with LIKE's wildcards taken literally.
		if list, _, _ := s.FindChildren(storetest.As(f.SocialWorker), lantern.ChildFilter{Name: "exam"}); len(list) != 1 {
			t.Errorf("search by part of the name found %d", len(list))
		}
		if list, _, _ := s.FindChildren(storetest.As(f.SocialWorker), lantern.ChildFilter{Name: "%"}); len(list) != 0 {
			t.Errorf("%% matched %d", len(list))
		}

		// Every read and change is in the trail, with who and why.
		es, _, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{ChildID: c.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range es {
			actions[e.Action]++
			if e.Why == "" || e.IP != "192.0.2.1" {
				t.Errorf("entry %d lacks why or address: %+v", e.Seq, e)
			}
		}
		if actions["child.create"] != 1 || actions["child.read"] != 2 {
			t.Errorf("audit actions for the child: %v", actions)
		}
		// Lists that showed the child are found by child too: the two people
		// who may see the child listed it, and the name search once more.
		if actions["child.list"] != 3 {
			t.Errorf("list reads found by child: %d, want 3 (%v)", actions["child.list"], actions)
		}
		if _, _, err := s.SearchAudit(storetest.As(f.Admin), store.AuditFilter{}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("admin searched the audit trail: %v", err)
		}
		if n, err := s.VerifyAudit(context.Background()); err != nil || n == 0 {
			t.Fatalf("verify: %d, %v", n, err)
		}
	})
}

func TestUpdateChildVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := storetest.As(f.SocialWorker)
		c, err := s.CreateChild(ctx, lantern.ChildInput{GivenName: "Ben", FamilyName: "Sample", DateOfBirth: date(t, "2011-05-05"), Gender: "male"})
		if err != nil {
			t.Fatal(err)
		}
		up := lantern.ChildInput{GivenName: "Benjamin", FamilyName: "Sample", DateOfBirth: c.DateOfBirth, Gender: "male"}
		c2, err := s.UpdateChild(ctx, c.ID, 1, up)
		if err != nil || c2.Version != 2 || c2.GivenName != "Benjamin" {
			t.Fatalf("update: %+v %v", c2, err)
		}
		// The same version again is stale, and carries the current record.
		up.GivenName = "Benji"
		_, err = s.UpdateChild(ctx, c.ID, 1, up)
		wantCode(t, err, lantern.ECONFLICT)
		var le *lantern.Error
		if !errors.As(err, &le) || le.Current.(*lantern.Child).GivenName != "Benjamin" {
			t.Fatalf("conflict lacks the current record: %v", err)
		}
		// Showing the current record is a read of it, and is audited.
		if n := auditActions(t, s, f, c.ID)["conflict.read"]; n != 1 {
			t.Errorf("%d conflict.read entries for the child, want 1", n)
		}
		// Bad input names the field and changes nothing.
		bad := up
		bad.DateOfBirth = date(t, "2027-01-01")
		bad.GivenName = ""
		_, err = s.UpdateChild(ctx, c.ID, 2, bad)
		wantCode(t, err, lantern.EINVALID)
		fields := map[string]bool{}
		for _, fe := range lantern.ErrorFields(err) {
			fields[fe.Field] = true
		}
		if !fields["date_of_birth"] || !fields["given_name"] {
			t.Errorf("fields at fault: %v", lantern.ErrorFields(err))
		}
		got, _ := s.FindChildByID(ctx, c.ID)
		if got.Version != 2 || got.GivenName != "Benjamin" {
			t.Errorf("refused update changed the record: %+v", got)
		}
		// Someone who cannot see the child cannot change it either.
		_, err = s.UpdateChild(storetest.As(f.OtherTeacher), c.ID, 2, up)
		wantCode(t, err, lantern.ENOTFOUND)
	})
}

func TestSignInLimitsAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: "198.51.100.7", Why: "POST /sign-in"})
		if _, err := s.CheckPassword(ctx, "TEACHER@riverside.example.org ", storetest.Password); err != nil {
			t.Fatalf("right password: %v", err)
		}
		// Failures a minute apart from one address: the account is locked
		// from there, and the lock lifts when the first of them leaves the
		// window.
		firstFailure := clock.Now()
		for i := range store.MaxPairFailures {
			if i > 0 {
				clock.Add(time.Minute)
			}
			_, err := s.CheckPassword(ctx, f.Teacher.Email, "wrong password "+fmt.Sprint(i))
			want := lantern.EUNAUTHORIZED
			if i == store.MaxPairFailures-1 {
				want = lantern.ERATELIMITED
			}
			wantCode(t, err, want)
		}
		lockEnds := firstFailure.Add(store.FailureWindow)
		// Locked: even the right password is refused, with the same words.
		_, err := s.CheckPassword(ctx, f.Teacher.Email, storetest.Password)
		if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("locked account signed in: %v", err)
		}
		clock.Set(lockEnds.Add(-time.Second))
		if _, err := s.CheckPassword(ctx, f.Teacher.Email, storetest.Password); !errors.Is(err, store.ErrLocked) {
			t.Fatalf("a second before the lock ends: %v", err)
		}
		// From another address the person still signs in: someone guessing
		// from one place does not lock them out everywhere.
		elsewhere := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: "203.0.113.9", Why: "POST /sign-in"})
		if _, err := s.CheckPassword(elsewhere, f.Teacher.Email, storetest.Password); err != nil {
			t.Fatalf("from another address: %v", err)
		}
		// An unknown account locks the same way, so the lock reveals nothing.
		for range store.MaxPairFailures {
			s.CheckPassword(ctx, "nobody@example.org", "wrong password")
		}
		if _, err := s.CheckPassword(ctx, "nobody@example.org", "x"); !errors.Is(err, store.ErrLocked) {
			t.Errorf("unknown account: %v", err)
		}
		clock.Add(store.FailureWindow + time.Second)
		if _, err := s.CheckPassword(ctx, f.Teacher.Email, storetest.Password); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		es, _, _ := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{UserID: f.Teacher.ID, Action: "signin.locked"})
		if len(es) != 1 {
			t.Errorf("lock-out audited %d times", len(es))
		}

		// Guessing spread over many addresses locks the account itself, and
		// the administrators' page says until when.
		firstFailure = clock.Now()
		for i := range store.MaxAccountFailures {
			if i > 0 {
				clock.Add(10 * time.Second)
			}
			from := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: fmt.Sprintf("198.51.100.%d", 100+i), Why: "POST /sign-in"})
			_, err := s.CheckPassword(from, f.Teacher.Email, "wrong password "+fmt.Sprint(i))
			want := lantern.EUNAUTHORIZED
			if i == store.MaxAccountFailures-1 {
				want = lantern.ERATELIMITED
			}
			wantCode(t, err, want)
		}
		locked, err := s.FindUserByID(storetest.As(f.Admin), f.Teacher.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := firstFailure.Add(store.FailureWindow); locked.LockedUntil == nil || !locked.LockedUntil.Equal(want) {
			t.Errorf("locked until %v, want %v (the first failure's time and the window)", locked.LockedUntil, want)
		}
		if _, err := s.CheckPassword(elsewhere, f.Teacher.Email, storetest.Password); !errors.Is(err, store.ErrLocked) {
			t.Errorf("a locked account from anywhere: %v", err)
		}
		if err := s.Unlock(storetest.As(f.Admin), f.Teacher.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(elsewhere, f.Teacher.Email, storetest.Password); err != nil {
			t.Errorf("unlocked by an administrator: %v", err)
		}

		// Wrong codes after the right password count with wrong passwords,
		// and the right password again does not forgive them: five wrong
		// codes over three sign-ins lock the account.
		other := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: "198.51.100.8", Why: "POST /sign-in"})
		wrong := 0
		for round := range 3 {
			u, err := s.CheckPassword(other, f.SocialWorker.Email, storetest.Password)
			if err != nil {
				t.Fatalf("round %d: the right password: %v", round, err)
			}
			half, err := s.StartSession(other, u.ID, store.StageSecondFactor, "")
			if err != nil {
				t.Fatal(err)
			}
			sess, err := s.FindSession(other, half)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if wrong == store.MaxPairFailures {
					break
				}
				wrong++
				_, err := s.CheckSecondFactor(other, half, sess, "000000")
				if wrong < store.MaxPairFailures {
					wantCode(t, err, lantern.EUNAUTHORIZED)
				} else if !errors.Is(err, store.ErrLocked) {
					t.Errorf("wrong code %d: %v, want the account locked", wrong, err)
				}
			}
		}
		if _, err := s.CheckPassword(other, f.SocialWorker.Email, storetest.Password); !errors.Is(err, store.ErrLocked) {
			t.Errorf("after five wrong codes the right password: %v, want locked", err)
		}
		clock.Add(store.FailureWindow + time.Second)

		// Sessions: idle and absolute timeouts, rotation.
		tok, err := s.StartSession(ctx, f.Teacher.ID, store.StageSignedIn, "")
		if err != nil {
			t.Fatal(err)
		}
		for range 35 { // 11h40m of activity every 20 minutes
			clock.Add(20 * time.Minute)
			if _, err := s.FindSession(ctx, tok); err != nil {
				t.Fatalf("active session ended at %v: %v", clock.Now(), err)
			}
		}
		clock.Add(21 * time.Minute)
		if _, err := s.FindSession(ctx, tok); err == nil {
			t.Error("session outlived 12 hours")
		}
		tok, _ = s.StartSession(ctx, f.Teacher.ID, store.StageSignedIn, "")
		clock.Add(store.IdleTimeout + time.Second)
		if _, err := s.FindSession(ctx, tok); err == nil {
			t.Error("idle session lived")
		}
		tok, _ = s.StartSession(ctx, f.Teacher.ID, store.StageSecondFactor, "")
		tok2, _ := s.StartSession(ctx, f.Teacher.ID, store.StageSignedIn, tok)
		if _, err := s.FindSession(ctx, tok); err == nil {
			t.Error("rotated-out session still lives")
		}
		if sess, err := s.FindSession(ctx, tok2); err != nil || sess.Stage != store.StageSignedIn {
			t.Errorf("rotated-in session: %v", err)
		}
		// Signing in and out are found by who did them.
		if err := s.EndSession(ctx, tok2); err != nil {
			t.Fatal(err)
		}
		for _, action := range []string{"signin.success", "signout"} {
			es, _, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{UserID: f.Teacher.ID, Action: action})
			if err != nil || len(es) == 0 || es[0].AgencyID != f.Teacher.AgencyID {
				t.Errorf("%s by the teacher: %d entries %v", action, len(es), err)
			}
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(context.Background(), "test")
		secret, tok, err := s.CreateToken(sys, f.Teacher.ID, "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, store.TokenPrefix) {
			t.Errorf("token %q lacks its prefix", secret)
		}
		if u, err := s.TokenUser(sys, secret); err != nil || u.ID != f.Teacher.ID {
			t.Fatalf("token user: %v", err)
		}
		// Nobody else's tokens are anyone's business.
		if _, _, err := s.CreateToken(storetest.As(f.OtherTeacher), f.Teacher.ID, "", time.Hour); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("made a token for someone else: %v", err)
		}
		if err := s.RevokeToken(storetest.As(f.OtherTeacher), tok.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("revoked someone else's token: %v", err)
		}
		clock.Add(time.Hour)
		if _, err := s.TokenUser(sys, secret); err == nil {
			t.Error("expired token accepted")
		}
		secret, tok, _ = s.CreateToken(storetest.As(f.Teacher), f.Teacher.ID, "mine", time.Hour)
		if err := s.RevokeToken(storetest.As(f.Teacher), tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(sys, secret); err == nil {
			t.Error("revoked token accepted")
		}
		for _, bad := range []string{"", "lantern_", "lantern_" + strings.Repeat("A", 43), "Bearer x"} {
			if _, err := s.TokenUser(sys, bad); err == nil {
				t.Errorf("token %q accepted", bad)
			}
		}
	})
}

func TestAdministration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		// Only administrators manage users and agencies.
		_, err := s.CreateAgency(storetest.As(f.SocialWorker), lantern.AgencyInput{Name: "X", Kind: lantern.KindHealth})
		wantCode(t, err, lantern.EFORBIDDEN)
		_, err = s.CreateAgency(storetest.As(f.Admin), lantern.AgencyInput{Name: "riverside ACADEMY", Kind: lantern.KindEducation})
		wantCode(t, err, lantern.EINVALID)
		_, err = s.CreateAgency(storetest.As(f.Admin), lantern.AgencyInput{Name: "Clinic", Kind: "hospital"})
		wantCode(t, err, lantern.EINVALID)
		in := lantern.UserInput{Email: "new@example.org", Name: "New Person", AgencyID: f.School.ID, Roles: []lantern.Role{lantern.RolePractitioner}, Password: "password1234"}
		_, err = s.CreateUser(storetest.As(f.Admin), in)
		wantCode(t, err, lantern.EINVALID) // a common password
		in.Password = "short"
		_, err = s.CreateUser(storetest.As(f.Admin), in)
		wantCode(t, err, lantern.EINVALID)
		in.Password = storetest.Password
		in.Roles = []lantern.Role{"superuser"}
		_, err = s.CreateUser(storetest.As(f.Admin), in)
		wantCode(t, err, lantern.EINVALID)
		in.Roles = []lantern.Role{lantern.RolePractitioner}
		u, err := s.CreateUser(storetest.As(f.Admin), in)
		if err != nil {
			t.Fatal(err)
		}
		in.Email = "NEW@example.org"
		_, err = s.CreateUser(storetest.As(f.Admin), in)
		wantCode(t, err, lantern.EINVALID) // same address
		// A change of roles ends the user's sessions.
		ctx := context.Background()
		tok, _ := s.StartSession(ctx, u.ID, store.StageSignedIn, "")
		u2, err := s.UpdateUser(storetest.As(f.Admin), u.ID, u.Version, lantern.UserUpdate{Name: u.Name, AgencyID: u.AgencyID, Roles: []lantern.Role{lantern.RoleManager}})
		if err != nil || !u2.Has(lantern.RoleManager) || u2.Has(lantern.RolePractitioner) {
			t.Fatalf("update user: %v", err)
		}
		if _, err := s.FindSession(ctx, tok); err == nil {
			t.Error("session survived a change of roles")
		}
		_, err = s.UpdateUser(storetest.As(f.Admin), u.ID, u.Version, lantern.UserUpdate{Name: u.Name, AgencyID: u.AgencyID, Roles: u.Roles})
		wantCode(t, err, lantern.ECONFLICT)
		_, err = s.UpdateUser(storetest.As(f.Admin), f.Admin.ID, f.Admin.Version, lantern.UserUpdate{Name: "A", AgencyID: f.CSC.ID, Roles: []lantern.Role{lantern.RoleAuditor}})
		wantCode(t, err, lantern.EINVALID) // may not remove own admin role

		// Separation of duties: no administrator holds a case role, and no
		// one gives themselves access.
		admin := storetest.As(f.Admin)
		_, err = s.CreateUser(admin, lantern.UserInput{Email: "both@csc.example.org", Name: "Bo Both", AgencyID: f.CSC.ID,
			Roles: []lantern.Role{lantern.RoleAdmin, lantern.RoleSocialWorker}})
		wantFields(t, "an administrator who is also a social worker", err, "roles")
		me, err := s.FindUserByID(admin, f.Admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateUser(admin, me.ID, me.Version, lantern.UserUpdate{Name: me.Name, AgencyID: me.AgencyID, Roles: []lantern.Role{lantern.RoleAdmin, lantern.RoleSocialWorker}})
		wantFields(t, "an administrator making themselves a social worker", err, "roles")
		_, err = s.UpdateUser(admin, me.ID, me.Version, lantern.UserUpdate{Name: me.Name, AgencyID: me.AgencyID, Roles: []lantern.Role{lantern.RoleAdmin, lantern.RoleAuditor}})
		wantFields(t, "an administrator making themselves an auditor", err, "roles")
		_, err = s.UpdateUser(admin, me.ID, me.Version, lantern.UserUpdate{Name: me.Name, AgencyID: f.School.ID, Roles: me.Roles})
		wantFields(t, "an administrator moving themselves to another agency", err, "roles")
		renamed, err := s.UpdateUser(admin, me.ID, me.Version, lantern.UserUpdate{Name: "Ada Renamed", AgencyID: me.AgencyID, Roles: me.Roles})
		if err != nil || renamed.Name != "Ada Renamed" {
			t.Errorf("an administrator changing their own name: %+v %v", renamed, err)
		}
		if cs, _, err := s.FindChildren(storetest.As(renamed), lantern.ChildFilter{}); err != nil || len(cs) != 0 {
			t.Errorf("the administrator sees %d children (%v)", len(cs), err)
		}

		// Recovering an account takes two administrators: one who set the
		// password may not also reset the two factors, nor the other way
		// round, until the user has signed in. The user's tokens end.
		second, err := s.CreateUser(admin, lantern.UserInput{Email: "second.admin@csc.example.org", Name: "Sid Second", AgencyID: f.CSC.ID,
			Roles: []lantern.Role{lantern.RoleAdmin}})
		if err != nil {
			t.Fatal(err)
		}
		sys := lantern.NewSystemContext(context.Background(), "test")
		secret, _, err := s.CreateToken(sys, f.SocialWorker.ID, "script", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(admin, f.SocialWorker.ID, "a new password for sam 2026"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(sys, secret); err == nil {
			t.Error("a token outlived its user's password being set by an administrator")
		}
		wantFields(t, "the same administrator resetting the two factors too", s.ResetTwoFactor(admin, f.SocialWorker.ID), "account")
		if err := s.ResetTwoFactor(storetest.As(second), f.SocialWorker.ID); err != nil {
			t.Errorf("a second administrator resetting the two factors: %v", err)
		}
		wantFields(t, "the second administrator setting the password again", s.SetPassword(storetest.As(second), f.SocialWorker.ID, "another new password 2026"), "account")
		if _, err := s.StartSession(sys, f.SocialWorker.ID, store.StageSignedIn, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.ResetTwoFactor(admin, f.SocialWorker.ID); err != nil {
			t.Errorf("after the user signed in, a reset: %v", err)
		}

		// A disabled account's tokens end, and stay ended when it is enabled.
		secret, _, err = s.CreateToken(sys, f.Teacher.ID, "script", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tu, err := s.FindUserByID(admin, f.Teacher.ID)
		if err != nil {
			t.Fatal(err)
		}
		off, err := s.UpdateUser(admin, tu.ID, tu.Version, lantern.UserUpdate{Name: tu.Name, AgencyID: tu.AgencyID, Roles: tu.Roles, Disabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(admin, off.ID, off.Version, lantern.UserUpdate{Name: off.Name, AgencyID: off.AgencyID, Roles: off.Roles}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(sys, secret); err == nil {
			t.Error("a token came back when its user was enabled again")
		}
	})
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		for i := range 5 {
			if _, err := s.CreateChild(storetest.As(f.SocialWorker), lantern.ChildInput{GivenName: fmt.Sprint("C", i), FamilyName: "Test", DateOfBirth: date(t, "2012-01-01"), Gender: "female"}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.VerifyAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// The trail refuses changes; an attacker with the database's keys
		// removes the guard first.
		if _, err := s.DB().Exec(`UPDATE audit_log SET why = 'x' WHERE seq = 3`); err == nil {
			t.Fatal("the audit trail accepted an update")
		}
		if _, err := s.DB().Exec(`DELETE FROM audit_log WHERE seq = 3`); err == nil {
			t.Fatal("the audit trail accepted a delete")
		}
		dropGuards(t, s)
		if _, err := s.DB().Exec(`UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 7`); err != nil {
			t.Fatal(err)
		}
		_, err = s.VerifyAudit(context.Background())
		var p *audit.Problem
		if !errors.As(err, &p) || p.Seq != 7 {
			t.Fatalf("altered entry 7 of %d: verify says %v", n, err)
		}
		if _, err := s.DB().Exec(`DELETE FROM audit_log WHERE seq = 4`); err != nil {
			t.Fatal(err)
		}
		if _, err = s.VerifyAudit(context.Background()); !errors.As(err, &p) || p.Seq != 4 {
			t.Fatalf("removed entry 4: verify says %v", err)
		}
		// The head removed: named as such, not an error from the database.
		if _, err := s.DB().Exec(`DELETE FROM audit_head`); err != nil {
			t.Fatal(err)
		}
		if _, err = s.VerifyAudit(context.Background()); !errors.As(err, &p) || p.Seq != 0 || !strings.Contains(p.Reason, "head") {
			t.Fatalf("removed head: verify says %v", err)
		}
	})
}

func dropGuards(t *testing.T, s *store.Store) {
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if s.Dialect() == "postgres" {
		stmts = []string{`DROP TRIGGER audit_log_no_change ON audit_log`}
	}
	for _, q := range stmts {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// Concurrent reads share audit commits, and every one is recorded.
func TestConcurrentReadsAreAllAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := storetest.As(f.SocialWorker)
		c, err := s.CreateChild(ctx, lantern.ChildInput{GivenName: "Cat", FamilyName: "Sample", DateOfBirth: date(t, "2010-10-10"), Gender: "female"})
		if err != nil {
			t.Fatal(err)
		}
		const readers, each = 16, 20
		stats := s.ReadAuditStats()
		var wg sync.WaitGroup
		errs := make(chan error, readers*each)
		for range readers {
			wg.Go(func() {
				for range each {
					if _, err := s.FindChildByID(ctx, c.ID); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		_, total, err := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{ChildID: c.ID, Action: "child.read"})
		if err != nil || total != readers*each {
			t.Fatalf("reads audited: %d of %d (%v)", total, readers*each, err)
		}
		// The counters saw every entry, in at most one commit each; the
		// audit search itself is one more.
		after := s.ReadAuditStats()
		entries, commits := after.Entries-stats.Entries, after.Commits-stats.Commits
		if entries != readers*each+1 || commits < 2 || commits > entries || after.Busy <= stats.Busy {
			t.Errorf("read audit stats: %d entries in %d commits, busy %v then %v", entries, commits, stats.Busy, after.Busy)
		}
		if _, err := s.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// Alone lets one process at a time run under a key: two stores on one
// database (as two replicas) never overlap in it.
func TestAlone(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			stores := storetest.Replicas(t, storetest.Config(t, d), 2)
			var inside, most atomic.Int32
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := stores[i%2].Alone(context.Background(), 42, func() error {
						n := inside.Add(1)
						for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
						}
						time.Sleep(5 * time.Millisecond)
						inside.Add(-1)
						return nil
					})
					if err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if d == "postgres" && most.Load() != 1 {
				t.Errorf("%d ran at once under one key", most.Load())
			}
		})
	}
}

// The database files are the owner's alone, and a data folder that other
// users of the machine can read is refused (the files were 0644, and a
// folder Lantern did not make was used as it was).
func TestDataFolderAndFilesArePrivate(t *testing.T) {
	dir := storetest.DataDir(t)
	s, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAgency(lantern.NewSystemContext(context.Background(), "test"), lantern.AgencyInput{Name: "Riverside Academy", Kind: lantern.KindEducation}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{store.SQLiteFile, store.SQLiteFile + "-wal", store.SQLiteFile + "-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %#o, want 0600", name, perm)
		}
	}
	s.Close()

	open := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	_, err = store.Open(context.Background(), store.Config{DataDir: open})
	if err == nil || !strings.Contains(err.Error(), "chmod 700 "+open) {
		t.Fatalf("a folder others can read: %v, want a refusal saying how to make it private", err)
	}
	if _, err := os.Stat(filepath.Join(open, store.SQLiteFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a database was made in the refused folder: %v", err)
	}
	// A new folder is made private.
	made := filepath.Join(t.TempDir(), "new", "data")
	s, err = store.Open(context.Background(), store.Config{DataDir: made})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, err := os.Stat(made); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("a new data folder: %v %v, want mode 0700", fi.Mode().Perm(), err)
	}
}

// One administrator alone cannot give themselves sight of every child: an
// account with a case role and a password the administrator chose, a new
// account that sees every child, a case role given to an account they may
// hold, an account with one moved to another agency, or the password of an
// account with no second factor, waits for a second administrator before
// it signs in or its tokens work. Both acts are audited. Roles fit their agency.
func TestOneAdministratorCannotOpenAnAccountAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		admin := storetest.As(f.Admin)
		sys := lantern.NewSystemContext(context.Background(), "test")
		second, err := s.CreateUser(sys, lantern.UserInput{Email: "second.admin@csc.example.org", Name: "Sid Second", AgencyID: f.CSC.ID,
			Roles: []lantern.Role{lantern.RoleAdmin}})
		if err != nil {
			t.Fatal(err)
		}
		signin := lantern.NewContextWithRequest(context.Background(), lantern.RequestInfo{IP: "198.51.100.30", Why: "POST /sign-in"})
		chosen := "a phrase the administrator chose"
		mine, err := s.CreateUser(admin, lantern.UserInput{Email: "mine@csc.example.org", Name: "My Account", AgencyID: f.CSC.ID,
			Roles: []lantern.Role{lantern.RoleSocialWorker}, Password: chosen})
		if err != nil {
			t.Fatal(err)
		}
		if !mine.AwaitingApproval() {
			t.Error("the new account does not wait for approval")
		}
		if _, err := s.CheckPassword(signin, mine.Email, chosen); !errors.Is(err, store.ErrAwaitingApproval) {
			t.Fatalf("the account signs in before a second administrator approves it: %v", err)
		}
		wantFields(t, "approving one's own change", s.ApproveUser(admin, mine.ID), "approve")
		if err := s.ApproveUser(storetest.As(second), mine.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(signin, mine.Email, chosen); err != nil {
			t.Errorf("after approval: %v", err)
		}
		wantFields(t, "approving again", s.ApproveUser(storetest.As(second), mine.ID), "approve")

		// An account without a case role needs no approval; one given later
		// waits again, and its token stops working until approved.
		aud, err := s.CreateUser(admin, lantern.UserInput{Email: "aud2@csc.example.org", Name: "Aud Two", AgencyID: f.CSC.ID,
			Roles: []lantern.Role{lantern.RoleAuditor}, Password: chosen})
		if err != nil || aud.AwaitingApproval() {
			t.Fatalf("an auditor's account: %+v %v", aud, err)
		}
		secret, _, err := s.CreateToken(sys, aud.ID, "script", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		aud, err = s.UpdateUser(admin, aud.ID, aud.Version, lantern.UserUpdate{Name: aud.Name, AgencyID: aud.AgencyID,
			Roles: []lantern.Role{lantern.RoleAuditor, lantern.RoleManager}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(sys, secret); err == nil {
			t.Error("a token works once its account is given a case role, before approval")
		}
		if err := s.ApproveUser(storetest.As(second), aud.ID); err != nil {
			t.Fatal(err)
		}
		if u, err := s.TokenUser(sys, secret); err != nil || !u.Has(lantern.RoleManager) {
			t.Errorf("after approval the token: %v", err)
		}

		// A password set by an administrator for an account with a case role
		// and no second factor waits too.
		fresh, err := s.CreateUser(sys, lantern.UserInput{Email: "fresh@csc.example.org", Name: "Fresh Worker", AgencyID: f.CSC.ID,
			Roles: []lantern.Role{lantern.RoleSocialWorker}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(admin, fresh.ID, chosen); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(signin, fresh.Email, chosen); !errors.Is(err, store.ErrAwaitingApproval) {
			t.Errorf("a password an administrator set: %v", err)
		}

		// A school's practitioner moved into children's social care gains
		// sight of every child: that waits too. So does a new account of
		// children's social care with no password (its holder sets it through
		// the emailed link, to an address the administrator chose); a
		// school's does not.
		moved, err := s.UpdateUser(admin, f.OtherTeacher.ID, f.OtherTeacher.Version, lantern.UserUpdate{Name: f.OtherTeacher.Name, AgencyID: f.CSC.ID,
			Roles: f.OtherTeacher.Roles})
		if err != nil || !moved.AwaitingApproval() {
			t.Errorf("a practitioner moved into children's social care: awaiting approval %v, %v", moved != nil && moved.AwaitingApproval(), err)
		}
		viaLink, err := s.CreateUser(admin, lantern.UserInput{Email: "link@csc.example.org", Name: "Link Worker", AgencyID: f.CSC.ID,
			Roles: []lantern.Role{lantern.RoleSocialWorker}})
		if err != nil || !viaLink.AwaitingApproval() {
			t.Errorf("a new children's social care account without a password: awaiting approval %v, %v", viaLink != nil && viaLink.AwaitingApproval(), err)
		}
		schoolLink, err := s.CreateUser(admin, lantern.UserInput{Email: "link@riverside.example.org", Name: "Link Teacher", AgencyID: f.School.ID,
			Roles: []lantern.Role{lantern.RolePractitioner}})
		if err != nil || schoolLink.AwaitingApproval() {
			t.Errorf("a new school account without a password: %+v %v", schoolLink, err)
		}

		// Roles fit the agency's kind.
		_, err = s.CreateUser(sys, lantern.UserInput{Email: "pc@riverside.example.org", Name: "Pc School", AgencyID: f.School.ID,
			Roles: []lantern.Role{lantern.RolePolice}})
		wantFields(t, "a police role in a school", err, "roles")
		es, _, _ := s.SearchAudit(storetest.As(f.Auditor), store.AuditFilter{Action: "user.approve"})
		if len(es) != 2 {
			t.Errorf("%d approvals audited, want 2", len(es))
		}
	})
}
