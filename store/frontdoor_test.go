package store_test

import (
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// fdConcern records a concern as u.
func fdConcern(t *testing.T, s *store.Store, u *lantern.User, childID string, at time.Time, immediate, refer bool) *lantern.Concern {
	t.Helper()
	in := lantern.ConcernInput{RaisedAt: at, Summary: "Seen getting into a grey car with an older man after school", ImmediateRisk: immediate, Refer: refer}
	if immediate {
		in.ImmediateAction = "Police called on 101 at 15:40"
	}
	c, err := s.CreateConcern(storetest.As(u), childID, in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFrontDoorReferralFromConcern(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sys := lantern.NewSystemContext(t.Context(), "test")
		if _, err := s.CreateContact(sys, lantern.ContactInput{AgencyID: f.CSC.ID, Name: "Front door mailbox", Email: "mash@csc.example.org",
			Roles: []lantern.PathwayRole{lantern.PathwayFrontDoor}, Active: true}); err != nil {
			t.Fatal(err)
		}
		mgr := caseUser(t, s, "mgr@csc.example.org", "Mia Manager", f.CSC, lantern.RoleManager)
		child := caseChild(t, s, f.Teacher, "Amira", "Demoton", "2012-03-01")
		older := caseChild(t, s, f.Teacher, "Lena", "Okafor", "2011-05-01")
		now := clock.Now()

		// A concern that is not referred waits for no one.
		quiet := fdConcern(t, s, f.Teacher, older.ID, now.Add(-3*time.Hour), false, false)
		if quiet.ReferralID != "" {
			t.Fatalf("a concern neither referred nor at immediate risk made referral %s", quiet.ReferralID)
		}
		// Referred by its author, then one with immediate risk (later, but first in the queue).
		referred := fdConcern(t, s, f.Teacher, older.ID, now.Add(-2*time.Hour), false, true)
		urgent := fdConcern(t, s, f.Teacher, child.ID, now.Add(-time.Hour), true, false)
		if referred.ReferralID == "" || urgent.ReferralID == "" {
			t.Fatalf("referrals %q %q, want both", referred.ReferralID, urgent.ReferralID)
		}
		items, total, err := s.FrontDoor(storetest.As(f.SocialWorker), lantern.FrontDoorFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(items) != 2 || items[0].ReferralID != urgent.ReferralID || items[1].ReferralID != referred.ReferralID {
			t.Fatalf("queue = %d %+v, want the immediate risk first, then the older", total, items)
		}
		it := items[0]
		if !it.ImmediateRisk || it.ConcernID == nil || *it.ConcernID != urgent.ID || it.FromAgencyID == nil || *it.FromAgencyID != f.School.ID ||
			!it.ReceivedAt.Equal(urgent.RaisedAt) || !it.DecisionDueAt.After(it.ReceivedAt) {
			t.Errorf("item = %+v", it)
		}
		// The front door's work is the front door team's, not the teacher's.
		for _, tk := range evTasks(t, s, f.SocialWorker, child.ID) {
			if tk.AssigneeID == f.Teacher.ID || tk.TeamAgencyID != f.CSC.ID {
				t.Errorf("task %s: assignee %s team %s, want the front door's", tk.Clock, tk.AssigneeID, tk.TeamAgencyID)
			}
		}
		// The queue is the front door's alone.
		if _, _, err := s.FrontDoor(storetest.As(f.Teacher), lantern.FrontDoorFilter{}); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a teacher's queue: %v, want forbidden", err)
		}
		// The immediate risk alerted the front door, by email too, naming no one.
		counts, err := s.AlertEmails(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if counts.Waiting != 1 {
			t.Errorf("alert emails waiting = %+v, want 1 (the front door's mailbox)", counts)
		}
		alerts, err := s.Alerts(storetest.As(f.SocialWorker))
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 1 || alerts[0].Kind != lantern.AlertImmediateRisk {
			t.Errorf("front door alerts = %+v", alerts)
		}
		if as, _ := s.Alerts(storetest.As(f.OtherTeacher)); len(as) != 0 {
			t.Errorf("another school's teacher sees alerts %+v", as)
		}

		// Deciding: no further action needs a reason; the decision ends
		// the decision clock and, for a referrer with an account, the
		// feedback clock; the referrer sees it on the concern.
		ref, err := s.FindReferral(storetest.As(f.SocialWorker), child.ID, urgent.ReferralID)
		if err != nil {
			t.Fatal(err)
		}
		at := now
		_, err = s.UpdateReferral(storetest.As(f.SocialWorker), child.ID, ref.ID, ref.Version, lantern.ReferralUpdate{Decision: lantern.DecideNoFurtherAction, DecidedAt: &at})
		wantFields(t, "no further action without a reason", err, "decision_reason")
		_, err = s.UpdateReferral(storetest.As(f.Teacher), child.ID, ref.ID, ref.Version, lantern.ReferralUpdate{Decision: lantern.DecideAssessment, DecidedAt: &at})
		if lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a teacher deciding: %v, want forbidden", err)
		}
		_, err = s.UpdateReferral(storetest.As(f.SocialWorker), child.ID, ref.ID, ref.Version, lantern.ReferralUpdate{Decision: lantern.DecideAlreadyOpen, DecidedAt: &at})
		wantFields(t, "already open with no allocated worker", err, "decision")
		out, err := s.UpdateReferral(storetest.As(mgr), child.ID, ref.ID, ref.Version, lantern.ReferralUpdate{Decision: lantern.DecideAssessment, DecidedAt: &at})
		if err != nil {
			t.Fatal(err)
		}
		if out.FeedbackAt == nil || out.DecidedBy != mgr.ID {
			t.Errorf("decided referral = %+v, want feedback given and decided by the manager", out)
		}
		evTask(t, s, f.SocialWorker, child.ID, lantern.ClockReferralDecision, lantern.TaskDone)
		evTask(t, s, f.SocialWorker, child.ID, lantern.ClockReferrerFeedback, lantern.TaskDone)
		_, err = s.UpdateReferral(storetest.As(mgr), child.ID, ref.ID, out.Version, lantern.ReferralUpdate{Decision: lantern.DecideEarlyHelp, DecidedAt: &at})
		wantFields(t, "decided twice", err, "decided_at", "decision")
		k, err := s.FindConcern(storetest.As(f.Teacher), child.ID, urgent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if k.Referral == nil || k.Referral.Decision != lantern.DecideAssessment {
			t.Errorf("the referrer sees %+v on the concern, want the decision", k.Referral)
		}
		if as, _ := s.Alerts(storetest.As(f.Teacher)); len(as) != 1 || as[0].Kind != lantern.AlertDecision {
			t.Errorf("the referrer's alerts = %+v, want the decision", as)
		}
		items, total, _ = s.FrontDoor(storetest.As(f.SocialWorker), lantern.FrontDoorFilter{})
		if total != 1 || items[0].ReferralID != referred.ReferralID {
			t.Errorf("after the decision the queue = %d %+v", total, items)
		}
	})
}

func TestSecondAgencyConcernAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		child := caseChild(t, s, f.SocialWorker, "Jade", "Whitlow", "2011-08-09")
		if _, err := s.UpdateChild(storetest.As(f.SocialWorker), child.ID, child.Version, lantern.ChildInput{GivenName: "Jade", FamilyName: "Whitlow",
			DateOfBirth: child.DateOfBirth, Gender: "female", ChildDetails: lantern.ChildDetails{OpenCase: true, AllocatedSocialWorkerID: f.SocialWorker.ID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Involve(storetest.As(f.SocialWorker), child.ID, lantern.InvolvementInput{AgencyID: f.School.ID, Reason: "Her school"}); err != nil {
			t.Fatal(err)
		}
		now := clock.Now()
		fdConcern(t, s, f.Teacher, child.ID, now.Add(-8*24*time.Hour), false, false)
		fdConcern(t, s, f.Teacher, child.ID, now.Add(-2*24*time.Hour), false, false)
		if as, _ := s.Alerts(storetest.As(f.SocialWorker)); len(as) != 0 {
			t.Fatalf("one agency's concerns alerted %+v", as)
		}
		mgr := caseUser(t, s, "mgr@csc.example.org", "Mia Manager", f.CSC, lantern.RoleManager)
		fdConcern(t, s, mgr, child.ID, now, false, false)
		as, err := s.Alerts(storetest.As(f.SocialWorker))
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[lantern.AlertKind]int{}
		for _, a := range as {
			kinds[a.Kind]++
		}
		// The social worker is both the front door and the allocated worker.
		if kinds[lantern.AlertSecondAgency] != 2 {
			t.Errorf("alerts = %+v, want the second agency's worry for the front door and the allocated worker", as)
		}
	})
}

func TestScreeningRequestsAndConsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		mgr := caseUser(t, s, "mgr@csc.example.org", "Mia Manager", f.CSC, lantern.RoleManager)
		child := caseChild(t, s, f.Teacher, "Kacey", "Dunmore", "2012-01-12")
		k := fdConcern(t, s, f.Teacher, child.ID, clock.Now().Add(-time.Hour), false, true)
		sw := storetest.As(f.SocialWorker)

		// Ratings: a rationale each time, a new one for a change.
		_, err := s.RateReferral(sw, child.ID, k.ReferralID, "purple", "")
		wantFields(t, "a bad rating", err, "rag", "rationale")
		if _, err := s.RateReferral(sw, child.ID, k.ReferralID, lantern.RAGAmber, "Older boyfriend; no missing episodes"); err != nil {
			t.Fatal(err)
		}
		_, err = s.RateReferral(sw, child.ID, k.ReferralID, lantern.RAGRed, "Older boyfriend; no missing episodes")
		wantFields(t, "a change with the same rationale", err, "rationale")
		if _, err := s.RateReferral(sw, child.ID, k.ReferralID, lantern.RAGRed, "Missing overnight on Friday"); err != nil {
			t.Fatal(err)
		}
		_, err = s.RateReferral(storetest.As(f.Teacher), child.ID, k.ReferralID, lantern.RAGGreen, "Fine")
		if lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a teacher rating: %v, want forbidden", err)
		}

		// An information request to the school: answered by the school,
		// not found for another school.
		_, err = s.AskAgency(sw, child.ID, k.ReferralID, lantern.InfoRequestInput{AgencyID: f.School.ID})
		wantFields(t, "an empty request", err, "question", "due_at")
		q, err := s.AskAgency(sw, child.ID, k.ReferralID, lantern.InfoRequestInput{AgencyID: f.School.ID, Question: "Attendance this term?",
			DueAt: clock.Now().Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		// An agency that does not see the record is asked too, and alerted
		// without the child's name.
		if _, err := s.AskAgency(sw, child.ID, k.ReferralID, lantern.InfoRequestInput{AgencyID: f.Other.ID, Question: "Do you know her?",
			DueAt: clock.Now().Add(24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if as, err := s.Alerts(storetest.As(f.OtherTeacher)); err != nil || len(as) != 1 || as[0].Kind != lantern.AlertInfoRequest || as[0].ChildName != "" {
			t.Errorf("the other school's alerts: %+v, %v", as, err)
		}
		if sees(t, s, f.OtherTeacher, child.ID) {
			t.Error("being asked gave the other school the record")
		}
		if _, err := s.FindInfoRequest(storetest.As(f.OtherTeacher), q.ID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("another school reading the request: %v, want not found", err)
		}
		if _, err := s.AnswerRequest(storetest.As(f.OtherTeacher), q.ID, q.Version, "Nothing"); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("another school answering: %v, want not found", err)
		}
		rs, err := s.AgencyRequests(storetest.As(f.Teacher))
		if err != nil || len(rs) != 1 || rs[0].ChildName != "Kacey Dunmore" {
			t.Fatalf("the school's requests = %+v, %v", rs, err)
		}
		// Late: each chased once.
		clock.Add(25 * time.Hour)
		sys := lantern.NewSystemContext(t.Context(), "test")
		if n, err := s.ChaseLateRequests(sys); err != nil || n != 2 {
			t.Errorf("chased %d, %v; want 2", n, err)
		}
		if n, _ := s.ChaseLateRequests(sys); n != 0 {
			t.Errorf("chased again: %d", n)
		}
		_, err = s.AnswerRequest(storetest.As(f.Teacher), q.ID, q.Version, " ")
		wantFields(t, "an empty answer", err, "answer")
		if _, err := s.AnswerRequest(storetest.As(f.Teacher), q.ID, q.Version+1, "Attendance 71%"); lantern.ErrorCode(err) != lantern.ECONFLICT {
			t.Errorf("a stale answer: %v, want conflict", err)
		}
		if _, err := s.AnswerRequest(storetest.As(f.Teacher), q.ID, q.Version, "Attendance 71%; two late marks"); err != nil {
			t.Fatal(err)
		}
		// Another child's referral through this child's path: not found.
		own := caseChild(t, s, f.OtherTeacher, "Nell", "Elsewhere", "2012-01-01")
		if _, err := s.ReferralDetail(storetest.As(f.OtherTeacher), own.ID, k.ReferralID); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("another child's referral through one's own child: %v, want not found", err)
		}
		d, err := s.ReferralDetail(sw, child.ID, k.ReferralID)
		if err != nil {
			t.Fatal(err)
		}
		answered := 0
		for _, r := range d.Requests {
			if r.Answer != "" && r.AgencyID == f.School.ID {
				answered++
			}
		}
		if len(d.Ratings) != 2 || d.Ratings[0].RAG != lantern.RAGRed || len(d.Requests) != 2 || answered != 1 {
			t.Errorf("detail = %+v", d)
		}

		// Consent not sought: reasons, then a manager's approval, not the
		// decider's own.
		_, err = s.RecordConsent(sw, child.ID, k.ReferralID, lantern.ConsentNotSought, "")
		wantFields(t, "not sought without reasons", err, "reason")
		r, err := s.RecordConsent(sw, child.ID, k.ReferralID, lantern.ConsentNotSought, "Asking would alert the adult involved")
		if err != nil {
			t.Fatal(err)
		}
		if !r.Consent.AwaitingApproval() {
			t.Errorf("consent = %+v, want awaiting approval", r.Consent)
		}
		if _, err := s.ApproveConsent(sw, child.ID, k.ReferralID); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a social worker approving: %v, want forbidden", err)
		}
		if r, err = s.ApproveConsent(storetest.As(mgr), child.ID, k.ReferralID); err != nil || r.Consent.AwaitingApproval() {
			t.Errorf("approved: %+v, %v", r, err)
		}
	})
}

func TestConsultationsNameNoChild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		_, err := s.AskFrontDoor(storetest.As(f.Teacher), "  ")
		wantFields(t, "an empty question", err, "question")
		k, err := s.AskFrontDoor(storetest.As(f.Teacher), "A Year 9 girl is collected by different older men. Should I refer?")
		if err != nil {
			t.Fatal(err)
		}
		if ks, _ := s.Consultations(storetest.As(f.OtherTeacher)); len(ks) != 0 {
			t.Errorf("another school sees %+v", ks)
		}
		if _, err := s.Advise(storetest.As(f.Teacher), k.ID, k.Version, "Refer"); lantern.ErrorCode(err) != lantern.EFORBIDDEN {
			t.Errorf("a teacher advising: %v", err)
		}
		if _, err := s.Advise(storetest.As(f.SocialWorker), k.ID, k.Version, "Yes: refer today, and complete the toolkit"); err != nil {
			t.Fatal(err)
		}
		ks, err := s.Consultations(storetest.As(f.Teacher))
		if err != nil || len(ks) != 1 || ks[0].Advice == "" {
			t.Errorf("the teacher's consultations = %+v, %v", ks, err)
		}
	})
}

func TestPartnerToolkitRefers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		child := caseChild(t, s, f.Teacher, "Nia", "Castell", "2011-04-04")
		a := recordAssessment(t, s, f.Teacher, child.ID, "medium")
		if a.ReferralID == "" {
			t.Fatal("a school's toolkit at medium made no referral")
		}
		b := recordAssessment(t, s, f.Teacher, child.ID, "high")
		if b.ReferralID != a.ReferralID {
			t.Errorf("a second toolkit made referral %s while %s waits", b.ReferralID, a.ReferralID)
		}
		own := caseChild(t, s, f.SocialWorker, "Ola", "Brennan", "2011-04-04")
		if c := recordAssessment(t, s, f.SocialWorker, own.ID, "high"); c.ReferralID != "" {
			t.Errorf("children's social care's own toolkit referred to itself: %s", c.ReferralID)
		}
	})
}

// recordAssessment records a toolkit as u with no signs, the level set by
// the practitioner's judgement.
func recordAssessment(t *testing.T, s *store.Store, u *lantern.User, childID, level string) *toolkit.Assessment {
	t.Helper()
	a, err := s.CreateAssessment(storetest.As(u), childID, "", toolkit.AssessmentInput{Answers: toolkit.Input{},
		Analysis: "Seen with older males; going missing from home", RecordedLevel: toolkit.Level(level),
		OverrideRationale: "Professional judgement: the pattern matches a known group's grooming"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDashboardCounts: the home page's counts, the latest level read from
// the child's record.
func TestDashboardCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		sw := storetest.As(f.SocialWorker)
		for _, level := range []string{"high", ""} {
			in := lantern.ChildInput{GivenName: "Dash", FamilyName: "Board" + level, DateOfBirth: date(t, "2012-02-02"), Gender: "female",
				ChildDetails: lantern.ChildDetails{AllocatedSocialWorkerID: f.SocialWorker.ID}}
			c, err := s.CreateChild(sw, in)
			if err != nil {
				t.Fatal(err)
			}
			if level != "" {
				recordAssessment(t, s, f.SocialWorker, c.ID, level)
			}
		}
		fdConcern(t, s, f.Teacher, caseChild(t, s, f.Teacher, "Ivy", "Waiting", "2012-05-05").ID, clock.Now().Add(-time.Hour), true, false)
		d, err := s.Dashboard(sw)
		if err != nil {
			t.Fatal(err)
		}
		if d.ByLevel["high"] != 1 || d.ByLevel[""] != 1 || len(d.Levels) != 2 || d.Levels[0] != "high" {
			t.Errorf("by level %v %q", d.ByLevel, d.Levels)
		}
		if !d.FrontDoor || d.Waiting != 1 || d.ImmediateRisk != 1 || len(d.Alerts) != 1 {
			t.Errorf("front door: %+v", d)
		}
		if d, err := s.Dashboard(storetest.As(f.Teacher)); err != nil || d.FrontDoor || d.Waiting != 0 {
			t.Errorf("a teacher's dashboard: %+v, %v", d, err)
		}
	})
}
