package store_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/clocks"
	"lantern/store"
	"lantern/store/storetest"
	"lantern/toolkit"
)

// A section 47 enquiry completed later, a plan's end with its reason, and a
// child's chronology (docs/api.md#chronology).

// s47Open records an s47 discussion and an enquiry without its outcome.
func s47Open(t *testing.T, s *store.Store, u *lantern.User, childID string) *lantern.S47Enquiry {
	t.Helper()
	ctx := storetest.As(u)
	if _, err := s.CreateStrategyDiscussion(ctx, childID, &lantern.StrategyDiscussion{HeldAt: evTime(t, "2027-05-03T10:00:00Z"), Decision: "s47"}); err != nil {
		t.Fatal(err)
	}
	e, err := s.RecordS47(ctx, childID, &lantern.S47Enquiry{StartedAt: evTime(t, "2027-05-04T09:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	if e.Version != 1 {
		t.Fatalf("a new enquiry's version is %d", e.Version)
	}
	return e
}

func TestS47CompletedLater(t *testing.T) {
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		sw := storetest.As(a.SW)
		done := evTimeP(t, "2027-05-12T15:00:00Z")
		for _, tc := range []struct {
			outcome lantern.S47Outcome
			status  lantern.TaskStatus
		}{
			{lantern.S47NotSubstantiated, lantern.TaskClosed},
			{lantern.S47NoContinuingRisk, lantern.TaskClosed},
			{lantern.S47ICPC, lantern.TaskOpen},
		} {
			c := evChild(t, s, a.SW, "Ola-"+string(tc.outcome))
			e := s47Open(t, s, a.SW, c.ID)
			got, err := s.CompleteS47(sw, c.ID, e.ID, 1, lantern.S47Completion{CompletedAt: done, Outcome: tc.outcome})
			if err != nil {
				t.Fatalf("%s: %v", tc.outcome, err)
			}
			if got.Version != 2 || got.Outcome != tc.outcome || !got.CompletedAt.Equal(*done) {
				t.Errorf("%s: completed %+v", tc.outcome, got)
			}
			task := evTask(t, s, a.SW, c.ID, clocks.ICPC, tc.status)
			if tc.status == lantern.TaskClosed && (task.ClosedReason != lantern.S47ClosedReason(tc.outcome) || !strings.Contains(task.ClosedReason, string(tc.outcome)) ||
				task.DoneAt == nil || !task.DoneAt.Equal(*done)) {
				t.Errorf("%s: icpc task %+v", tc.outcome, task)
			}
			read, err := s.FindS47(sw, c.ID, e.ID)
			if err != nil || read.Version != 2 || read.Outcome != tc.outcome {
				t.Errorf("%s: read back %+v %v", tc.outcome, read, err)
			}
		}

		// Bad input: a clear error naming the field, and nothing stored.
		c := evChild(t, s, a.SW, "Bad")
		e := s47Open(t, s, a.SW, c.ID)
		before := evTimeP(t, "2027-05-04T08:59:00Z")
		for _, tc := range []struct {
			name    string
			version int
			in      lantern.S47Completion
			code    lantern.Code
			fields  []string
		}{
			{"a stale version", 7, lantern.S47Completion{CompletedAt: done, Outcome: lantern.S47NotSubstantiated}, lantern.ECONFLICT, nil},
			{"completed before it started", 1, lantern.S47Completion{CompletedAt: before, Outcome: lantern.S47NotSubstantiated}, lantern.EINVALID, []string{"completed_at"}},
			{"no outcome", 1, lantern.S47Completion{CompletedAt: done}, lantern.EINVALID, []string{"outcome"}},
			{"an unknown outcome", 1, lantern.S47Completion{CompletedAt: done, Outcome: "not-known"}, lantern.EINVALID, []string{"outcome"}},
			{"no time", 1, lantern.S47Completion{Outcome: lantern.S47NotSubstantiated}, lantern.EINVALID, []string{"completed_at"}},
		} {
			_, err := s.CompleteS47(sw, c.ID, e.ID, tc.version, tc.in)
			if tc.code == lantern.EINVALID {
				evFields(t, tc.name, err, tc.fields...)
			} else {
				evWantCode(t, tc.name, err, tc.code)
				var le *lantern.Error
				if !errorAs(err, &le) || le.Current == nil {
					t.Errorf("%s: no current record with the conflict: %v", tc.name, err)
				}
			}
			read, _ := s.FindS47(sw, c.ID, e.ID)
			if read.Version != 1 || read.CompletedAt != nil || read.Outcome != "" {
				t.Errorf("%s: stored %+v", tc.name, read)
			}
			evTask(t, s, a.SW, c.ID, clocks.ICPC, lantern.TaskOpen)
		}
		// Completed once: again is refused, naming the field.
		if _, err := s.CompleteS47(sw, c.ID, e.ID, 1, lantern.S47Completion{CompletedAt: done, Outcome: lantern.S47ICPC}); err != nil {
			t.Fatal(err)
		}
		_, err := s.CompleteS47(sw, c.ID, e.ID, 2, lantern.S47Completion{CompletedAt: done, Outcome: lantern.S47NotSubstantiated})
		evFields(t, "completed again", err, "completed_at")
		evTask(t, s, a.SW, c.ID, clocks.ICPC, lantern.TaskOpen)
		// Who may: those who may change events; another school sees no child.
		_, err = s.CompleteS47(storetest.As(a.Outsider), c.ID, e.ID, 2, lantern.S47Completion{CompletedAt: done, Outcome: lantern.S47ICPC})
		evWantCode(t, "another school", err, lantern.ENOTFOUND)

		// Recorded complete at once, an outcome with no continuing risk ends
		// the clock just the same.
		c2 := evChild(t, s, a.SW, "AtOnce")
		if _, err := s.CreateStrategyDiscussion(sw, c2.ID, &lantern.StrategyDiscussion{HeldAt: evTime(t, "2027-05-03T10:00:00Z"), Decision: "s47"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordS47(sw, c2.ID, &lantern.S47Enquiry{StartedAt: evTime(t, "2027-05-04T09:00:00Z"), CompletedAt: done, Outcome: lantern.S47NoContinuingRisk}); err != nil {
			t.Fatal(err)
		}
		evTask(t, s, a.SW, c2.ID, clocks.ICPC, lantern.TaskClosed)
	})
}

func errorAs(err error, le **lantern.Error) bool {
	e, ok := err.(*lantern.Error)
	*le = e
	return ok
}

func TestPlanEndReason(t *testing.T) {
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		sw := storetest.As(a.SW)
		c := evChild(t, s, a.SW, "Pia")
		conf := func(kind lantern.ConferenceKind, at string, outcome lantern.ConferenceOutcome, why lantern.PlanEndReason) (*lantern.Conference, error) {
			return s.CreateConference(sw, c.ID, &lantern.Conference{Kind: kind, HeldAt: evTime(t, at), Outcome: outcome, PlanEndReason: why})
		}
		_, err := conf("initial", "2027-01-10T10:00:00Z", "plan", lantern.PlanEndMovedArea)
		evFields(t, "a reason at an initial conference", err, "plan_end_reason")
		_, err = conf("review", "2027-01-10T10:00:00Z", "no-plan", lantern.PlanEndNewPlan)
		evFields(t, "new-plan chosen", err, "plan_end_reason")
		_, err = conf("review", "2027-01-10T10:00:00Z", "no-plan", "gone")
		evFields(t, "an unknown reason", err, "plan_end_reason")
		if n := evCount(t, s, "conferences"); n != 0 {
			t.Fatalf("%d conferences stored after refusals", n)
		}
		if _, err := conf("initial", "2027-01-10T10:00:00Z", "plan", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := conf("initial", "2027-02-10T10:00:00Z", "plan", ""); err != nil {
			t.Fatal(err)
		}
		rc, err := conf("review", "2027-04-10T10:00:00Z", "no-plan", lantern.PlanEndMovedArea)
		if err != nil || rc.PlanEndReason != lantern.PlanEndMovedArea {
			t.Fatalf("review %+v %v", rc, err)
		}
		ps, err := s.ProtectionPlans(sw, c.ID)
		if err != nil || len(ps) != 2 {
			t.Fatalf("plans %+v %v", ps, err)
		}
		if ps[0].EndReason != lantern.PlanEndMovedArea || ps[0].EndedBy != rc.ID || ps[1].EndReason != lantern.PlanEndNewPlan {
			t.Errorf("plans ended %q by %q, %q", ps[0].EndReason, ps[0].EndedBy, ps[1].EndReason)
		}
		// A review with no plan and no reason: the child is no longer at risk.
		c2 := evChild(t, s, a.SW, "Quin")
		if _, err := s.CreateConference(sw, c2.ID, &lantern.Conference{Kind: "initial", HeldAt: evTime(t, "2027-01-10T10:00:00Z"), Outcome: "plan"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateConference(sw, c2.ID, &lantern.Conference{Kind: "review", HeldAt: evTime(t, "2027-04-10T10:00:00Z"), Outcome: "no-plan"}); err != nil {
			t.Fatal(err)
		}
		if ps, _ := s.ProtectionPlans(sw, c2.ID); len(ps) != 1 || ps[0].EndReason != lantern.PlanEndNoLongerAtRisk {
			t.Errorf("plan %+v", ps)
		}
		_, err = s.ProtectionPlans(storetest.As(a.Outsider), c2.ID)
		evWantCode(t, "another school's plans", err, lantern.ENOTFOUND)
	})
}

// chronFixture is a child with one event of every kind, and a sibling on
// the same meeting.
type chronFixture struct {
	ava, bea *lantern.Child
	ids      []string // every record's id, none of which a summary may hold
	meeting  *lantern.Meeting
}

func chronSeed(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) *chronFixture {
	t.Helper()
	sys := lantern.NewSystemContext(context.Background(), "test")
	sw := storetest.As(a.SW)
	f := &chronFixture{ava: evChild(t, s, a.SW, "Ava"), bea: evChild(t, s, a.SW, "Bea")}
	id := f.ava.ID
	add := func(ids ...string) { f.ids = append(f.ids, ids...) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	k, err := s.CreateConcern(sw, id, lantern.ConcernInput{RaisedAt: evTime(t, "2027-01-05T09:00:00Z"), Summary: "Seen getting into a car with older men", ImmediateRisk: true, ImmediateAction: "Police called"})
	must(err)
	as, err := s.CreateAssessment(sw, id, "", toolkit.AssessmentInput{Answers: toolkit.Input{AssessedOn: lantern.Date{Year: 2027, Month: 1, Day: 6}, Indicators: []string{"sign.missing"}},
		Analysis: "Missing twice from home"})
	must(err)
	r := evReferral(t, s, a.SW, id, "phone", "2027-01-07T10:00:00Z")
	_, err = s.UpdateReferral(sw, id, r.ID, 1, lantern.ReferralUpdate{Decision: lantern.DecideStrategyDiscussion, DecidedAt: evTimeP(t, "2027-01-07T15:00:00Z")})
	must(err)
	sd, err := s.CreateStrategyDiscussion(sw, id, &lantern.StrategyDiscussion{HeldAt: evTime(t, "2027-01-08T10:00:00Z"), Decision: "s47"})
	must(err)
	e, err := s.RecordS47(sw, id, &lantern.S47Enquiry{StartedAt: evTime(t, "2027-01-08T12:00:00Z")})
	must(err)
	_, err = s.CompleteS47(sw, id, e.ID, 1, lantern.S47Completion{CompletedAt: evTimeP(t, "2027-01-20T12:00:00Z"), Outcome: lantern.S47ICPC})
	must(err)
	ic, err := s.CreateConference(sw, id, &lantern.Conference{Kind: "initial", HeldAt: evTime(t, "2027-01-25T10:00:00Z"), Outcome: "plan"})
	must(err)
	cg, err := s.CreateCoreGroup(sw, id, evTime(t, "2027-02-01T10:00:00Z"))
	must(err)
	rv, err := s.CreateConference(sw, id, &lantern.Conference{Kind: "review", HeldAt: evTime(t, "2027-04-20T10:00:00Z"), Outcome: "no-plan", PlanEndReason: lantern.PlanEndMovedArea})
	must(err)
	swa, err := s.RecordSWAssessment(sw, id, &lantern.SWAssessment{Kind: "single", StartedAt: evTime(t, "2027-01-09T10:00:00Z"), CompletedAt: evTimeP(t, "2027-02-09T10:00:00Z")})
	must(err)
	ep := episode(t, s, a.SW, id, "missing", evTime(t, "2027-03-01T20:00:00Z"), evTimeP(t, "2027-03-03T08:00:00Z"))
	_, err = s.RecordInterview(sw, id, ep.ID, lantern.InterviewInput{HeldAt: evTimeP(t, "2027-03-04T10:00:00Z"), HeldBy: "Jo Advocate", ChildSaid: "Went to a flat in town",
		FollowUp: []string{"police-intelligence"}})
	must(err)
	// A CSE strategy meeting about both children, held, its decisions and
	// the minutes shared with the coordinator.
	if _, err := s.CreateContact(sys, lantern.ContactInput{AgencyID: a.CSC.ID, Name: "CSE coordinator", Email: "coordinator@csc.example.org",
		Roles: []lantern.PathwayRole{lantern.PathwayCSECoordinator}, Active: true}); err != nil {
		t.Fatal(err)
	}
	start := evTime(t, "2027-03-10T10:00:00Z")
	clock.Set(start.Add(-24 * time.Hour))
	m, err := s.CreateMeeting(sw, lantern.MeetingInput{Kind: "cse-strategy", ChildIDs: []string{id, f.bea.ID}, StartsAt: start, EndsAt: start.Add(time.Hour), Location: "Room 2"})
	must(err)
	clock.Set(evNow)
	m, err = s.RecordOutcome(sw, m.ID, m.Version, lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{
		{ChildID: id, Level: "medium", Rationale: "Going missing", Recommendations: []string{"s47", "return-interview"}},
		{ChildID: f.bea.ID, Level: "emerging", Rationale: "Sister"}}})
	must(err)
	m, _, err = s.Distribute(sw, m.ID, m.Version)
	must(err)
	f.meeting = m
	add(k.ID, as.ID, r.ID, sd.ID, e.ID, ic.ID, cg, rv.ID, swa.ID, ep.ID, m.ID, f.ava.ID, f.bea.ID)
	return f
}

// chronKinds are the kinds of items, in order.
func chronKinds(items []lantern.ChronologyItem) []lantern.ChronologyKind {
	var ks []lantern.ChronologyKind
	for _, it := range items {
		ks = append(ks, it.Kind)
	}
	return ks
}

// rawValues are stored values that must never show in a summary.
var rawValues = regexp.MustCompile(`\b(not-substantiated|substantiated-icpc|moved-area|no-longer-at-risk|cse-strategy|strategy-discussion|s47|no-s47|police-intelligence|return-interview|not-known)\b`)

func TestChronology(t *testing.T) {
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		f := chronSeed(t, s, a, clock)
		sw := storetest.As(a.SW)
		items, err := s.Chronology(sw, f.ava.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Every kind, each record's item once, newest first.
		seen := map[string]bool{}
		for i, it := range items {
			key := string(it.Kind) + "/" + it.ID
			if seen[key] {
				t.Errorf("%s twice", key)
			}
			seen[key] = true
			if i > 0 && it.At.After(items[i-1].At) {
				t.Errorf("item %d (%s at %s) is after the one above it (%s at %s)", i, it.Kind, it.At, items[i-1].Kind, items[i-1].At)
			}
			for _, id := range f.ids {
				if strings.Contains(it.Summary, id) {
					t.Errorf("%s summary %q holds an id", it.Kind, it.Summary)
				}
			}
			if m := rawValues.FindString(it.Summary); m != "" {
				t.Errorf("%s summary %q shows the raw value %q", it.Kind, it.Summary, m)
			}
			if strings.Contains(it.Summary, "flat in town") {
				t.Errorf("what the child said is in a summary: %q", it.Summary)
			}
		}
		for _, k := range lantern.ChronologyKinds {
			if !slices.Contains(chronKinds(items), k) {
				t.Errorf("no %s item in %v", k, chronKinds(items))
			}
		}
		byKind := func(items []lantern.ChronologyItem, k lantern.ChronologyKind) []lantern.ChronologyItem {
			var out []lantern.ChronologyItem
			for _, it := range items {
				if it.Kind == k {
					out = append(out, it)
				}
			}
			return out
		}
		for k, want := range map[lantern.ChronologyKind]string{
			lantern.ChronS47Outcome:      "Section 47 enquiry completed: Concerns substantiated and the child is judged to be at continuing risk",
			lantern.ChronPlanEnd:         "Child protection plan ended: The child moved permanently to another local authority area",
			lantern.ChronMeetingDecision: "CSE strategy meeting decided: Medium risk. Recommended: Section 47 enquiries; Return interview",
			lantern.ChronAssessment:      "Toolkit completed by Northmoor Children's Services:",
			lantern.ChronReturn:          "Returned after 36 hours",
			lantern.ChronShare:           "Toolkit assessment shared with CSE coordinator, Northmoor Children's Services. Purpose: ",
		} {
			got := byKind(items, k)
			if len(got) != 1 || !strings.HasPrefix(got[0].Summary, want) {
				t.Errorf("%s: %+v, want a summary beginning %q", k, got, want)
			}
		}
		if len(byKind(items, lantern.ChronShare)) != 1 {
			t.Errorf("shares: %+v", byKind(items, lantern.ChronShare))
		}
		var audited int
		syncAudit(t, s)
		if err := s.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'child.chronology.read' AND child_id = $1`, f.ava.ID).Scan(&audited); err != nil || audited != 1 {
			t.Errorf("audited %d times (%v), want once", audited, err)
		}

		// The filter.
		got, err := s.Chronology(sw, f.ava.ID, lantern.ChronologyFilter{lantern.ChronS47Outcome, lantern.ChronReferralDecision})
		if err != nil || !slices.Equal(chronKinds(got), []lantern.ChronologyKind{lantern.ChronS47Outcome, lantern.ChronReferralDecision}) {
			t.Errorf("filtered: %v %v", chronKinds(got), err)
		}
		_, err = s.Chronology(sw, f.ava.ID, lantern.ChronologyFilter{"gossip"})
		evFields(t, "an unknown kind", err, "kind")

		// A child the caller may not see is not found; a school involved
		// with Ava alone reads her record but not the meeting also about
		// Bea, whom it does not see.
		_, err = s.Chronology(storetest.As(a.Outsider), f.ava.ID, nil)
		evWantCode(t, "another school", err, lantern.ENOTFOUND)
		if _, err := s.Involve(sw, f.ava.ID, lantern.InvolvementInput{AgencyID: a.School.ID, Reason: "Ava's school"}); err != nil {
			t.Fatal(err)
		}
		got, err = s.Chronology(storetest.As(a.Teacher), f.ava.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ks := chronKinds(got); slices.Contains(ks, lantern.ChronMeeting) || slices.Contains(ks, lantern.ChronMeetingDecision) || !slices.Contains(ks, lantern.ChronConcern) {
			t.Errorf("the school read %v", ks)
		}

		// Merged, the meeting about both is on the kept record once, with
		// the kept record's decision.
		ava, _ := s.FindChildByID(sw, f.ava.ID)
		bea, _ := s.FindChildByID(sw, f.bea.ID)
		mgr := storetest.As(a.Manager)
		if _, err := s.MergeChildren(mgr, ava.ID, bea.ID, ava.Version, bea.Version); err != nil {
			t.Fatal(err)
		}
		got, err = s.Chronology(sw, f.ava.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		seen = map[string]bool{}
		for _, it := range got {
			key := string(it.Kind) + "/" + it.ID
			if seen[key] {
				t.Errorf("after the merge, %s twice", key)
			}
			seen[key] = true
		}
		if n := len(byKind(got, lantern.ChronMeeting)); n != 1 {
			t.Errorf("after the merge, %d meeting items", n)
		}
		if ds := byKind(got, lantern.ChronMeetingDecision); len(ds) != 1 || !strings.Contains(ds[0].Summary, "Medium risk") {
			t.Errorf("after the merge, decisions %+v", ds)
		}
	})
}
