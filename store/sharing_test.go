package store_test

import (
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// A share and a decision not to share are recorded with their basis and
// reasons; bad ones are refused naming the field with nothing stored; the
// database refuses what the code would (a row written around the code);
// shares are never edited, and a correction supersedes once.
func TestShares(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		c := caseChild(t, s, f.SocialWorker, "Nia", "Share", "2011-04-01")

		good := lantern.ShareRequest{Outcome: lantern.ShareShared, To: f.School.ID, What: "The toolkit's result", Purpose: "To plan support at school",
			Basis: lantern.BasisPublicTask, Condition: lantern.ConditionSafeguardingChildren, Consent: lantern.ConsentGiven}
		sh, err := s.RecordShare(sw, c.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if sh.RecipientAgencyID != f.School.ID || sh.To != f.School.Name || sh.Basis != lantern.BasisPublicTask || sh.SharedByName != f.SocialWorker.Name {
			t.Errorf("share as recorded: %+v", sh)
		}
		before := rowCount(t, s, "information_shares")
		for _, tc := range []struct {
			name   string
			change func(r *lantern.ShareRequest)
			fields []string
		}{
			{"no basis", func(r *lantern.ShareRequest) { r.Basis = "" }, []string{"basis"}},
			{"no purpose", func(r *lantern.ShareRequest) { r.Purpose = " " }, []string{"purpose"}},
			{"unknown basis", func(r *lantern.ShareRequest) { r.Basis = "because" }, []string{"basis"}},
			{"consent not sought, no reason", func(r *lantern.ShareRequest) { r.Consent = lantern.ConsentNotSought }, []string{"reason"}},
			{"consent basis, consent refused", func(r *lantern.ShareRequest) {
				r.Basis, r.Consent, r.Reason = lantern.BasisConsent, lantern.ConsentRefused, "the police need it today"
			}, []string{"consent"}},
			{"not shared, no reason", func(r *lantern.ShareRequest) { r.Outcome = lantern.ShareNotShared }, []string{"reason"}},
			{"no outcome", func(r *lantern.ShareRequest) { r.Outcome = "" }, []string{"outcome"}},
			{"unknown agency", func(r *lantern.ShareRequest) { r.ToAgencyID = "nope" }, []string{"to_agency_id"}},
			{"emergency not vital interests", func(r *lantern.ShareRequest) { r.Emergency, r.Reason = true, "a child is missing tonight" },
				[]string{"basis"}},
			{"unknown agreement", func(r *lantern.ShareRequest) { r.AgreementID = "none-such" }, []string{"agreement_id"}},
			{"supersedes another child's", func(r *lantern.ShareRequest) { r.Supersedes = "x" }, []string{"supersedes"}},
		} {
			r := good
			tc.change(&r)
			_, err := s.RecordShare(sw, c.ID, r)
			wantFields(t, tc.name, err, tc.fields...)
		}
		if n := rowCount(t, s, "information_shares"); n != before {
			t.Errorf("refused shares stored: %d rows, want %d", n, before)
		}

		// The database holds the rule too.
		_, err = s.DB().Exec(`INSERT INTO information_shares (id, child_id, what, recipient_name, recipient_email, purpose, shared_at, shared_by, outcome, basis, consent)
			VALUES ('raw', $1, 'x', 'y', '', 'z', $2, $3, 'shared', '', 'given')`, c.ID, clock.Now().UTC().Format(time.RFC3339), f.SocialWorker.ID)
		if err == nil {
			t.Error("the database stored a share with no basis")
		}
		_, err = s.DB().Exec(`INSERT INTO information_shares (id, child_id, what, recipient_name, recipient_email, purpose, shared_at, shared_by, outcome, reason)
			VALUES ('raw2', $1, 'x', 'y', '', '', $2, $3, 'not-shared', '')`, c.ID, clock.Now().UTC().Format(time.RFC3339), f.SocialWorker.ID)
		if err == nil {
			t.Error("the database stored a decision not to share with no reason")
		}
		if _, err := s.DB().Exec(`UPDATE information_shares SET purpose = 'changed' WHERE id = $1`, sh.ID); err == nil {
			t.Error("the database let a share be edited")
		}
		if _, err := s.DB().Exec(`DELETE FROM information_shares WHERE id = $1`, sh.ID); err == nil {
			t.Error("the database let a share be deleted")
		}

		// Not shared, with the reason; a correction supersedes, once.
		no := lantern.ShareRequest{Outcome: lantern.ShareNotShared, To: "Hilltop youth club", What: "Her address", Reason: "The club has no need to know it"}
		if _, err := s.RecordShare(sw, c.ID, no); err != nil {
			t.Fatalf("not shared: %v", err)
		}
		fix := good
		fix.Purpose, fix.Supersedes = "To plan support at school and at home", sh.ID
		fixed, err := s.RecordShare(sw, c.ID, fix)
		if err != nil {
			t.Fatalf("correction: %v", err)
		}
		_, err = s.RecordShare(sw, c.ID, fix)
		wantCode(t, err, lantern.ECONFLICT)
		list, err := s.ChildShares(sw, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("child's shares: %d, want 3", len(list))
		}
		for _, x := range list {
			if x.ID == sh.ID && x.SupersededBy != fixed.ID {
				t.Errorf("the corrected share does not say so: %+v", x)
			}
		}

		// The school sees what was shared with it once it is involved
		// with the child (the share itself did not involve it).
		teacher := storetest.As(f.Teacher)
		got, err := s.SharedWithAgency(teacher, 0)
		if err != nil || len(got) != 0 {
			t.Errorf("shared with a school not involved: %d, %v", len(got), err)
		}
		if _, err := s.ChildShares(teacher, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("a share made the school involved: %v", err)
		}

		// The monthly count of decisions not to share.
		today := lantern.DateOf(clock.Now())
		_, err = s.NotSharedByMonth(sw, today, today)
		wantCode(t, err, lantern.EFORBIDDEN)
		mgr := caseUser(t, s, "mgr@csc.example.org", "Mo Manager", f.CSC, lantern.RoleManager)
		counts, err := s.NotSharedByMonth(storetest.As(mgr), today.AddDays(-40), today)
		if err != nil || len(counts) != 1 || counts[0].Count != 1 || counts[0].AgencyID != f.CSC.ID {
			t.Errorf("not-shared counts: %+v, %v", counts, err)
		}
	})
}

// An agreement that has ended refuses a routine share under it; an
// emergency share, under vital interests with its reason, goes ahead.
func TestShareAgreements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ig := caseUser(t, s, "ig@csc.example.org", "Ida Governance", f.CSC, lantern.RoleInfoGovernance)
		today := lantern.DateOf(clock.Now())
		in := lantern.AgreementInput{Title: "Northmoor CSE information sharing", AgencyIDs: []string{f.CSC.ID, f.School.ID},
			Purposes: "Safeguarding children at risk of exploitation", DataClasses: "Identity, concerns, assessments", Basis: lantern.BasisPublicTask,
			Retention: "Until the child is 25", Signatories: "The directors of each party", StartsOn: today.AddDays(-400), ReviewOn: today.AddDays(-35)}
		_, err := s.SaveAgreement(storetest.As(f.SocialWorker), "", in)
		wantCode(t, err, lantern.EFORBIDDEN)
		bad := in
		bad.AgencyIDs = []string{f.CSC.ID}
		_, err = s.SaveAgreement(storetest.As(ig), "", bad)
		wantFields(t, "one party", err, "agency_ids")
		a, err := s.SaveAgreement(storetest.As(ig), "", in)
		if err != nil {
			t.Fatal(err)
		}
		sw := storetest.As(f.SocialWorker)
		c := caseChild(t, s, f.SocialWorker, "Ola", "Agreed", "2010-02-02")
		r := lantern.ShareRequest{Outcome: lantern.ShareShared, To: f.School.ID, What: "Chronology", Purpose: "Planning", Basis: lantern.BasisPublicTask,
			Consent: lantern.ConsentGiven, AgreementID: a.ID}
		if _, err := s.RecordShare(sw, c.ID, r); err != nil {
			t.Fatalf("a share under an agreement in force: %v", err)
		}
		// It ends yesterday: a new version.
		ended := in
		y := today.AddDays(-1)
		ended.EndsOn, ended.Version = &y, a.Version
		a2, err := s.SaveAgreement(storetest.As(ig), a.ID, ended)
		if err != nil || a2.Version != 2 {
			t.Fatalf("new version: %+v, %v", a2, err)
		}
		_, err = s.SaveAgreement(storetest.As(ig), a.ID, ended)
		wantCode(t, err, lantern.ECONFLICT)
		_, err = s.RecordShare(sw, c.ID, r)
		wantFields(t, "a routine share under an ended agreement", err, "agreement_id")
		r.Emergency, r.Basis, r.Reason = true, lantern.BasisVitalInterests, "She is missing tonight and the school may know where"
		sh, err := s.RecordShare(sw, c.ID, r)
		if err != nil {
			t.Fatalf("an emergency share: %v", err)
		}
		if !sh.Emergency || sh.AgreementID != "" {
			t.Errorf("emergency share as recorded: %+v", sh)
		}
		// Another agency not a party to it.
		r2 := lantern.ShareRequest{Outcome: lantern.ShareShared, To: f.Other.ID, What: "Chronology", Purpose: "Planning", Basis: lantern.BasisPublicTask,
			Consent: lantern.ConsentGiven, AgreementID: a.ID, SharedAt: ptrTime(clock.Now().AddDate(0, 0, -30))}
		_, err = s.RecordShare(sw, c.ID, r2)
		wantFields(t, "a share to an agency not a party", err, "agreement_id")
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

// A sealed record is found by no one off its allow-list, in any list or
// search; breaking the glass opens it for four hours, alerts the manager
// who sealed it and the information governance lead by email, and joins
// the review list, late after five working days.
func TestSealAndBreakGlass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		mgr := caseUser(t, s, "mgr@csc.example.org", "Mo Manager", f.CSC, lantern.RoleManager)
		ig := caseUser(t, s, "ig@csc.example.org", "Ida Governance", f.CSC, lantern.RoleInfoGovernance)
		coordU := caseUser(t, s, "coord@csc.example.org", "Cora Ordinator", f.CSC, lantern.RoleCSECoordinator)
		coord := storetest.As(coordU)
		c := caseChild(t, s, f.SocialWorker, "Sable", "Canaryname", "2010-05-05")
		sw := storetest.As(f.SocialWorker)

		today := lantern.DateOf(clock.Now())
		_, err := s.SealChild(sw, c.ID, lantern.SealRequest{Reason: "A member of staff's child", ReviewOn: today.AddDays(90)})
		wantCode(t, err, lantern.EFORBIDDEN)
		_, err = s.SealChild(storetest.As(mgr), c.ID, lantern.SealRequest{Reason: "  ", ReviewOn: today.AddDays(-1)})
		wantFields(t, "bad seal", err, "reason", "review_on")
		seal, err := s.SealChild(storetest.As(mgr), c.ID, lantern.SealRequest{Reason: "A member of staff's child", ReviewOn: today.AddDays(90)})
		if err != nil {
			t.Fatal(err)
		}
		if len(seal.Allowed) != 1 || seal.Allowed[0].UserID != mgr.ID {
			t.Errorf("allow-list: %+v", seal.Allowed)
		}

		// The coordinator, who sees every child, no longer finds this one.
		if _, err := s.FindChildByID(coord, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("the coordinator reads a sealed record: %v", err)
		}
		rows, _, err := s.FindChildren(coord, lantern.ChildFilter{Name: "Canaryname"})
		if err != nil || len(rows) != 0 {
			t.Errorf("the coordinator's search finds a sealed record: %d, %v", len(rows), err)
		}
		if _, err := s.FindChildByID(storetest.As(mgr), c.ID); err != nil {
			t.Errorf("the manager who sealed it: %v", err)
		}

		// Breaking the glass: a short reason, a teacher (not found), then
		// the coordinator.
		_, err = s.BreakGlass(coord, c.ID, lantern.BreakGlassRequest{Reason: "urgent"})
		wantFields(t, "a short reason", err, "reason")
		_, err = s.BreakGlass(storetest.As(f.Teacher), c.ID, lantern.BreakGlassRequest{Reason: "I need to see this record right now"})
		wantCode(t, err, lantern.ENOTFOUND) // the school is not involved: it could not see the child at all
		if n := rowCount(t, s, "seal_access"); n != 1 {
			t.Errorf("refused break-glass stored access: %d rows", n)
		}
		acc, err := s.BreakGlass(coord, c.ID, lantern.BreakGlassRequest{Reason: "She was found with a man named in another case tonight"})
		if err != nil {
			t.Fatal(err)
		}
		if acc.ExpiresAt == nil || !acc.ExpiresAt.Equal(clock.Now().Add(lantern.BreakGlassFor).UTC().Truncate(time.Microsecond)) {
			t.Errorf("expires: %v", acc.ExpiresAt)
		}
		if _, err := s.FindChildByID(coord, c.ID); err != nil {
			t.Errorf("after breaking the glass: %v", err)
		}
		// Alerts for the manager and the governance lead, with email.
		for _, u := range []*lantern.User{mgr, ig} {
			as, err := s.Alerts(storetest.As(u))
			if err != nil || len(as) != 1 || as[0].Kind != lantern.AlertBreakGlass || as[0].Link != "/break-glass" || as[0].ChildName != "" {
				t.Errorf("alerts of %s: %+v, %v", u.Name, as, err)
			}
		}
		out, err := s.ClaimAlertEmails(lantern.NewSystemContext(t.Context(), "test"), "r", 10)
		if err != nil || len(out) != 2 {
			t.Errorf("emails: %+v, %v", out, err)
		}

		// The police, not involved with the child, may break the glass
		// too, and then read the record and its concerns as an involved
		// agency would; before, the child was not found to them.
		police, err := s.CreateAgency(lantern.NewSystemContext(t.Context(), "test"), lantern.AgencyInput{Name: "Northmoor Police", Kind: lantern.KindPolice})
		if err != nil {
			t.Fatal(err)
		}
		pc := storetest.As(caseUser(t, s, "pc@police.example.org", "Pat Constable", police, lantern.RolePolice))
		if _, err := s.FindChildByID(pc, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("the police read the sealed record before breaking the glass: %v", err)
		}
		if _, err := s.BreakGlass(pc, c.ID, lantern.BreakGlassRequest{Reason: "Named tonight in a call about the takeaway"}); err != nil {
			t.Fatalf("the police break the glass: %v", err)
		}
		if _, err := s.FindChildByID(pc, c.ID); err != nil {
			t.Errorf("the police after breaking the glass: %v", err)
		}
		if _, err := s.Concerns(pc, c.ID); err != nil {
			t.Errorf("the police read the concerns after breaking the glass: %v", err)
		}
		other := caseChild(t, s, f.SocialWorker, "Una", "Sealed", "2012-01-01")
		if _, err := s.BreakGlass(pc, other.ID, lantern.BreakGlassRequest{Reason: "Named tonight in a call about the takeaway"}); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("the police break the glass on a record not sealed that they cannot see: %v, want not found", err)
		}
		if _, err := s.ClaimAlertEmails(lantern.NewSystemContext(t.Context(), "test"), "r", 10); err != nil {
			t.Fatal(err)
		}

		// Time runs out.
		clock.Add(lantern.BreakGlassFor + time.Second)
		if _, err := s.FindChildByID(coord, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("after four hours: %v", err)
		}

		// The review list: late after five working days.
		list, err := s.BreakGlassReviews(storetest.As(ig), store.BreakGlassFilter{})
		if err != nil || len(list) != 2 || list[0].Late {
			t.Fatalf("reviews: %+v, %v", list, err)
		}
		clock.Add(8 * 24 * time.Hour)
		list, _ = s.BreakGlassReviews(storetest.As(ig), store.BreakGlassFilter{})
		if len(list) != 2 || !list[0].Late {
			t.Errorf("not late after eight days: %+v", list)
		}
		_, err = s.BreakGlassReviews(sw, store.BreakGlassFilter{})
		wantCode(t, err, lantern.EFORBIDDEN)
		_, err = s.ReviewBreakGlass(storetest.As(ig), acc.ID, lantern.ReviewRequest{Note: " "})
		wantFields(t, "short note", err, "note")
		if _, err := s.ReviewBreakGlass(storetest.As(ig), acc.ID, lantern.ReviewRequest{Note: "Justified: the police needed it that night"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.ReviewBreakGlass(storetest.As(mgr), acc.ID, lantern.ReviewRequest{Note: "Justified: the police needed it that night"})
		wantCode(t, err, lantern.ECONFLICT)
		if list, _ := s.BreakGlassReviews(storetest.As(ig), store.BreakGlassFilter{}); len(list) != 1 {
			t.Errorf("reviewed still waiting: %d, want only the police's", len(list))
		}

		// On the allow-list, then unsealed.
		if _, err := s.ChangeAllowList(storetest.As(mgr), c.ID, []string{coordU.ID}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindChildByID(coord, c.ID); err != nil {
			t.Errorf("on the allow-list: %v", err)
		}
		if _, err := s.ChangeAllowList(storetest.As(mgr), c.ID, nil, []string{coordU.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindChildByID(coord, c.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("off the allow-list: %v", err)
		}
		if err := s.UnsealChild(storetest.As(mgr), c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindChildByID(coord, c.ID); err != nil {
			t.Errorf("unsealed: %v", err)
		}
		_, err = s.BreakGlass(coord, c.ID, lantern.BreakGlassRequest{Reason: "She was found with a man named in another case tonight"})
		wantCode(t, err, lantern.ECONFLICT)
		if strings.Contains(seal.Reason, "Canaryname") {
			t.Error("fixture")
		}
	})
}
