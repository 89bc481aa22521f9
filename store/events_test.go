package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lantern"
	"lantern/store"
	"lantern/store/storetest"
)

// The statutory events and the tasks their clocks make, checked against
// docs/timescales.md to the second: due dates and due times in
// Europe/London, in winter and summer, with the profile that set them.

// evNow is the store's clock in these tests: after every date in docs/api.md's
// examples, so none of them is in the future.
var evNow = time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)

// evArea is an area for the events' tests. Its users have no password (no
// password hashing: quicker on a loaded machine).
type evArea struct {
	CSC, School, Other                  *lantern.Agency
	SW, SW2, Manager, Teacher, Outsider *lantern.User
}

func evSeed(t *testing.T, s *store.Store) *evArea {
	t.Helper()
	sys := lantern.NewSystemContext(context.Background(), "test")
	agency := func(name string, k lantern.AgencyKind) *lantern.Agency {
		a, err := s.CreateAgency(sys, lantern.AgencyInput{Name: name, Kind: k})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	user := func(email, name string, a *lantern.Agency, roles ...lantern.Role) *lantern.User {
		u, err := s.CreateUser(sys, lantern.UserInput{Email: email, Name: name, AgencyID: a.ID, Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	a := &evArea{CSC: agency("Northmoor Children's Services", lantern.KindChildrensSocialCare),
		School: agency("Riverside Academy", lantern.KindEducation), Other: agency("Hilltop School", lantern.KindEducation)}
	a.SW = user("sw@csc.example.org", "Sam Worker", a.CSC, lantern.RoleSocialWorker)
	a.SW2 = user("sw2@csc.example.org", "Alex Worker", a.CSC, lantern.RoleSocialWorker)
	a.Manager = user("manager@csc.example.org", "Morgan Manager", a.CSC, lantern.RoleManager)
	a.Teacher = user("teacher@riverside.example.org", "Terry Teacher", a.School, lantern.RolePractitioner)
	a.Outsider = user("teacher@hilltop.example.org", "Hil Teacher", a.Other, lantern.RolePractitioner)
	return a
}

// evEach runs fn on each database with the clock at evNow and an area.
func evEach(t *testing.T, fn func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock)) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		clock.Set(evNow)
		fn(t, s, evSeed(t, s), clock)
	})
}

func evTime(t *testing.T, v string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func evTimeP(t *testing.T, v string) *time.Time {
	t.Helper()
	tm := evTime(t, v)
	return &tm
}

func evChild(t *testing.T, s *store.Store, u *lantern.User, given string) *lantern.Child {
	t.Helper()
	c, err := s.CreateChild(storetest.As(u), lantern.ChildInput{GivenName: given, FamilyName: "Example", DateOfBirth: date(t, "2012-03-01"), Gender: "female"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func evReferral(t *testing.T, s *store.Store, u *lantern.User, childID, method, received string) *lantern.Referral {
	t.Helper()
	r, err := s.CreateReferral(storetest.As(u), childID, &lantern.Referral{ReceivedAt: evTime(t, received), Method: lantern.ReferralMethod(method),
		Referrer: lantern.Referrer{Name: "Terry Teacher", Agency: "Riverside Academy"}})
	if err != nil {
		t.Fatalf("referral received %s: %v", received, err)
	}
	return r
}

// evString is a task as one line: its clock, status, due date, due time as
// RFC 3339 (the offset shows whether London is on summer time) and profile.
func evString(tk *lantern.Task) string {
	return fmt.Sprintf("%s %s due %s at %s (%s)", tk.Clock, tk.Status, tk.DueDate, tk.DueAt.Format(time.RFC3339), tk.Profile)
}

// evWantTasks checks the tasks are exactly want, in any order.
func evWantTasks(t *testing.T, what string, got []*lantern.Task, want ...string) {
	t.Helper()
	var gs []string
	for _, tk := range got {
		gs = append(gs, evString(tk))
	}
	slices.Sort(gs)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(gs, want) {
		t.Errorf("%s: tasks\n\t%s\nwant\n\t%s", what, strings.Join(gs, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func evTasks(t *testing.T, s *store.Store, u *lantern.User, childID string) []*lantern.Task {
	t.Helper()
	ts, err := s.ChildTasks(storetest.As(u), childID)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// evTask is the child's one task of a clock with a status.
func evTask(t *testing.T, s *store.Store, u *lantern.User, childID, clock string, status lantern.TaskStatus) *lantern.Task {
	t.Helper()
	var found []*lantern.Task
	for _, tk := range evTasks(t, s, u, childID) {
		if tk.Clock == clock && tk.Status == status {
			found = append(found, tk)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s tasks %s, want 1", len(found), status, clock)
	}
	return found[0]
}

func evCount(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// evCounts counts the rows the events write.
func evCounts(t *testing.T, s *store.Store) string {
	t.Helper()
	var out []string
	for _, table := range []string{"tasks", "referrals", "strategy_discussions", "conferences", "core_groups", "sw_assessments", "protection_plans"} {
		out = append(out, fmt.Sprintf("%s=%d", table, evCount(t, s, table)))
	}
	return strings.Join(out, " ")
}

// evFields fails unless err is invalid input naming exactly fields.
func evFields(t *testing.T, what string, err error, fields ...string) {
	t.Helper()
	if lantern.ErrorCode(err) != lantern.EINVALID {
		t.Errorf("%s: error %v, want invalid input naming %q", what, err, fields)
		return
	}
	var got []string
	for _, fe := range lantern.ErrorFields(err) {
		got = append(got, fe.Field)
	}
	slices.Sort(got)
	fields = slices.Clone(fields)
	slices.Sort(fields)
	if !slices.Equal(got, fields) {
		t.Errorf("%s: fields %q, want %q", what, got, fields)
	}
}

func evWantCode(t *testing.T, what string, err error, code lantern.Code) {
	t.Helper()
	if got := lantern.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

// evCompletedLate reads a task's completed_late, which the figures use.
func evCompletedLate(t *testing.T, s *store.Store, id string) sql.NullBool {
	t.Helper()
	var b sql.NullBool
	if err := s.DB().QueryRow(`SELECT completed_late FROM tasks WHERE id = $1`, id).Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEventReferralClocks(t *testing.T) {
	t.Parallel()
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		for _, tc := range []struct {
			name, method, received string
			want                   []string
		}{
			{"by phone on Christmas Eve (docs/api.md's example)", "phone", "2026-12-24T16:30:00Z", []string{
				"referral-decision open due 2026-12-29 at 2026-12-29T23:59:59Z (wt2023)",
				"referrer-feedback open due 2026-12-27 at 2026-12-27T16:30:00Z (wt2023)",
				"referral-written-followup open due 2026-12-26 at 2026-12-26T16:30:00Z (wt2023)",
				"assessment open due 2027-03-02 at 2027-03-02T23:59:59Z (wt2023)",
			}},
			{"online on Christmas Eve: no written follow-up", "online", "2026-12-24T16:30:00Z", []string{
				"referral-decision open due 2026-12-29 at 2026-12-29T23:59:59Z (wt2023)",
				"referrer-feedback open due 2026-12-27 at 2026-12-27T16:30:00Z (wt2023)",
				"assessment open due 2027-03-02 at 2027-03-02T23:59:59Z (wt2023)",
			}},
			// Easter 2027 (26 and 29 March) and the clocks going forward on
			// the 28th: 72 real hours later is 13:00 summer time.
			{"by phone before Easter, across the change to summer time", "phone", "2027-03-25T12:00:00Z", []string{
				"referral-decision open due 2027-03-30 at 2027-03-30T23:59:59+01:00 (wt2023)",
				"referrer-feedback open due 2027-03-28 at 2027-03-28T13:00:00+01:00 (wt2023)",
				"referral-written-followup open due 2027-03-27 at 2027-03-27T12:00:00Z (wt2023)",
				"assessment open due 2027-06-02 at 2027-06-02T23:59:59+01:00 (wt2023)",
			}},
			// 13:00 summer time; the clocks go back on 25 October 2026.
			{"by phone across the change to winter time", "phone", "2026-10-23T12:00:00Z", []string{
				"referral-decision open due 2026-10-26 at 2026-10-26T23:59:59Z (wt2023)",
				"referrer-feedback open due 2026-10-26 at 2026-10-26T12:00:00Z (wt2023)",
				"referral-written-followup open due 2026-10-25 at 2026-10-25T12:00:00Z (wt2023)",
				"assessment open due 2026-12-29 at 2026-12-29T23:59:59Z (wt2023)",
			}},
			// 00:30 on Friday in London, still Thursday in UTC: days count
			// from the London date.
			{"in writing just after midnight in London", "written", "2027-05-20T23:30:00Z", []string{
				"referral-decision open due 2027-05-24 at 2027-05-24T23:59:59+01:00 (wt2023)",
				"referrer-feedback open due 2027-05-24 at 2027-05-24T00:30:00+01:00 (wt2023)",
				"assessment open due 2027-07-26 at 2027-07-26T23:59:59+01:00 (wt2023)",
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := evChild(t, s, a.SW, "Ref")
				r := evReferral(t, s, a.SW, c.ID, tc.method, tc.received)
				if r.ID == "" || r.Version != 1 || !r.ReceivedAt.Equal(evTime(t, tc.received)) {
					t.Errorf("referral %+v", r)
				}
				evWantTasks(t, "as created", r.Tasks, tc.want...)
				read := evTasks(t, s, a.SW, c.ID)
				evWantTasks(t, "as read back", read, tc.want...)
				for _, tk := range read {
					if tk.ID == "" || tk.ChildID != c.ID || tk.Source != "referral" || tk.SourceID != r.ID || tk.Version != 1 ||
						tk.Calendar != "england-and-wales" || !tk.StartedAt.Equal(evTime(t, tc.received)) ||
						tk.AssigneeID != a.SW.ID || tk.TeamAgencyID != a.CSC.ID || tk.DoneAt != nil || tk.DueAt.Location() != lantern.London {
						t.Errorf("task %+v", tk)
					}
				}
			})
		}
	})
}

func TestEventReferralDecision(t *testing.T) {
	t.Parallel()
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		ctx := storetest.As(a.SW)
		// Received on Thursday 20 May 2027; the decision is due by the end
		// of Friday 21 May, 22:59:59 UTC.
		const received = "2027-05-20T09:00:00Z"

		t.Run("a decision on time", func(t *testing.T) {
			c := evChild(t, s, a.SW, "Ontime")
			r := evReferral(t, s, a.SW, c.ID, "phone", received)
			up, err := s.UpdateReferral(ctx, c.ID, r.ID, 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: evTimeP(t, "2027-05-21T22:59:59Z")})
			if err != nil {
				t.Fatal(err)
			}
			if up.Version != 2 || up.Decision != "assessment" || up.DecidedAt == nil || !up.DecidedAt.Equal(evTime(t, "2027-05-21T22:59:59Z")) {
				t.Errorf("updated %+v", up)
			}
			done := evTask(t, s, a.SW, c.ID, "referral-decision", lantern.TaskDone)
			if done.DoneAt == nil || !done.DoneAt.Equal(evTime(t, "2027-05-21T22:59:59Z")) || done.Version != 2 {
				t.Errorf("decision task %+v, want done at the decision", done)
			}
			if cl := evCompletedLate(t, s, done.ID); !cl.Valid || cl.Bool {
				t.Errorf("completed_late = %+v, want false: done at the last second", cl)
			}
			// The other clocks run on until their own events.
			evTask(t, s, a.SW, c.ID, "assessment", lantern.TaskOpen)
			evTask(t, s, a.SW, c.ID, "referrer-feedback", lantern.TaskOpen)
			if cl := evCompletedLate(t, s, evTask(t, s, a.SW, c.ID, "assessment", lantern.TaskOpen).ID); cl.Valid {
				t.Errorf("an open task has completed_late %+v", cl)
			}

			// Given twice: refused, nothing changed.
			_, err = s.UpdateReferral(ctx, c.ID, r.ID, 2, lantern.ReferralUpdate{Decision: "early-help", DecidedAt: evTimeP(t, "2027-05-22T10:00:00Z")})
			evFields(t, "a second decision", err, "decided_at", "decision")
			// A stale version.
			_, err = s.UpdateReferral(ctx, c.ID, r.ID, 1, lantern.ReferralUpdate{FeedbackAt: evTimeP(t, "2027-05-22T10:00:00Z")})
			evWantCode(t, "stale version", err, lantern.ECONFLICT)
			// Before the referral arrived.
			_, err = s.UpdateReferral(ctx, c.ID, r.ID, 2, lantern.ReferralUpdate{FeedbackAt: evTimeP(t, "2027-05-20T08:59:59Z")})
			evFields(t, "feedback before the referral", err, "feedback_at")
			if got := evTask(t, s, a.SW, c.ID, "referrer-feedback", lantern.TaskOpen); got.Version != 1 {
				t.Errorf("a refused update touched the feedback task: %+v", got)
			}

			// The follow-up and the feedback stop their clocks: one on time,
			// one late (due 10:00 on Saturday 22 May, London time).
			up, err = s.UpdateReferral(ctx, c.ID, r.ID, 2, lantern.ReferralUpdate{WrittenConfirmationAt: evTimeP(t, "2027-05-22T09:00:01Z"),
				FeedbackAt: evTimeP(t, "2027-05-21T16:00:00Z")})
			if err != nil || up.Version != 3 {
				t.Fatalf("follow-up and feedback: %+v %v", up, err)
			}
			wf := evTask(t, s, a.SW, c.ID, "referral-written-followup", lantern.TaskDone)
			fb := evTask(t, s, a.SW, c.ID, "referrer-feedback", lantern.TaskDone)
			if cl := evCompletedLate(t, s, wf.ID); !cl.Valid || !cl.Bool {
				t.Errorf("written follow-up a second late: completed_late = %+v", cl)
			}
			if cl := evCompletedLate(t, s, fb.ID); !cl.Valid || cl.Bool {
				t.Errorf("feedback on time: completed_late = %+v", cl)
			}
		})

		t.Run("a decision after the deadline", func(t *testing.T) {
			c := evChild(t, s, a.SW, "Late")
			r := evReferral(t, s, a.SW, c.ID, "online", received)
			// 00:30 on Saturday in London, still Friday in UTC: late.
			if _, err := s.UpdateReferral(ctx, c.ID, r.ID, 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: evTimeP(t, "2027-05-21T23:30:00Z")}); err != nil {
				t.Fatal(err)
			}
			done := evTask(t, s, a.SW, c.ID, "referral-decision", lantern.TaskDone)
			if cl := evCompletedLate(t, s, done.ID); !cl.Valid || !cl.Bool {
				t.Errorf("completed_late = %+v, want true", cl)
			}
		})

		t.Run("no further action closes the assessment with a reason", func(t *testing.T) {
			c := evChild(t, s, a.SW, "Nfa")
			r := evReferral(t, s, a.SW, c.ID, "online", received)
			at := evTime(t, "2027-05-21T11:00:00Z")
			if _, err := s.UpdateReferral(ctx, c.ID, r.ID, 1, lantern.ReferralUpdate{Decision: "no-further-action", DecisionReason: "Known to early help; no CSE indicators", DecidedAt: &at}); err != nil {
				t.Fatal(err)
			}
			evWantTasks(t, "after no further action", evTasks(t, s, a.SW, c.ID),
				"referral-decision done due 2027-05-21 at 2027-05-21T23:59:59+01:00 (wt2023)",
				"referrer-feedback open due 2027-05-23 at 2027-05-23T10:00:00+01:00 (wt2023)",
				"assessment closed due 2027-07-23 at 2027-07-23T23:59:59+01:00 (wt2023)")
			as := evTask(t, s, a.SW, c.ID, "assessment", lantern.TaskClosed)
			if !strings.Contains(as.ClosedReason, "no-further-action") || as.DoneAt == nil || !as.DoneAt.Equal(at) {
				t.Errorf("closed assessment %+v, want the decision as its reason and time", as)
			}
		})

		t.Run("bad updates are refused and change nothing", func(t *testing.T) {
			c := evChild(t, s, a.SW, "Bad")
			r := evReferral(t, s, a.SW, c.ID, "online", received)
			before := evCounts(t, s)
			for _, tc := range []struct {
				name   string
				up     lantern.ReferralUpdate
				fields []string
			}{
				{"decided before it was received", lantern.ReferralUpdate{Decision: "assessment", DecidedAt: evTimeP(t, "2027-05-20T08:00:00Z")}, []string{"decided_at"}},
				{"decided years ahead", lantern.ReferralUpdate{Decision: "assessment", DecidedAt: evTimeP(t, "2033-06-01T13:00:00Z")}, []string{"decided_at"}},
				{"a decision not on the list", lantern.ReferralUpdate{Decision: "maybe", DecidedAt: evTimeP(t, "2027-05-21T10:00:00Z")}, []string{"decision"}},
				{"a decision with no time", lantern.ReferralUpdate{Decision: "assessment"}, []string{"decided_at"}},
				{"a time with no decision", lantern.ReferralUpdate{DecidedAt: evTimeP(t, "2027-05-21T10:00:00Z")}, []string{"decided_at"}},
			} {
				_, err := s.UpdateReferral(ctx, c.ID, r.ID, 1, tc.up)
				evFields(t, tc.name, err, tc.fields...)
			}
			_, err := s.UpdateReferral(ctx, c.ID, "no-such-referral", 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: evTimeP(t, "2027-05-21T10:00:00Z")})
			evWantCode(t, "unknown referral", err, lantern.ENOTFOUND)
			_, err = s.UpdateReferral(storetest.As(a.Outsider), c.ID, r.ID, 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: evTimeP(t, "2027-05-21T10:00:00Z")})
			evWantCode(t, "a school not involved", err, lantern.ENOTFOUND)
			if after := evCounts(t, s); after != before {
				t.Errorf("refused updates stored something: %s, then %s", before, after)
			}
			evWantTasks(t, "after refusals", evTasks(t, s, a.SW, c.ID),
				"referral-decision open due 2027-05-21 at 2027-05-21T23:59:59+01:00 (wt2023)",
				"referrer-feedback open due 2027-05-23 at 2027-05-23T10:00:00+01:00 (wt2023)",
				"assessment open due 2027-07-23 at 2027-07-23T23:59:59+01:00 (wt2023)")
		})

		// Each referral has its own clocks: deciding one stops its own, not
		// another referral's (whose assessment may be under way).
		t.Run("two referrals for one child", func(t *testing.T) {
			c := evChild(t, s, a.SW, "Twice")
			r1 := evReferral(t, s, a.SW, c.ID, "online", received)
			r2 := evReferral(t, s, a.SW, c.ID, "online", "2027-05-21T09:00:00Z")
			if _, err := s.UpdateReferral(ctx, c.ID, r2.ID, 1, lantern.ReferralUpdate{Decision: "no-further-action", DecisionReason: "Known to early help; no CSE indicators", DecidedAt: evTimeP(t, "2027-05-21T12:00:00Z")}); err != nil {
				t.Fatal(err)
			}
			for _, tk := range evTasks(t, s, a.SW, c.ID) {
				want := lantern.TaskOpen
				switch {
				case tk.SourceID == r2.ID && tk.Clock == "referral-decision":
					want = lantern.TaskDone
				case tk.SourceID == r2.ID && tk.Clock == "assessment":
					want = lantern.TaskClosed
				}
				if tk.Status != want {
					t.Errorf("referral %d's %s is %s, want %s", map[string]int{r1.ID: 1, r2.ID: 2}[tk.SourceID], tk.Clock, tk.Status, want)
				}
			}
		})
	})
}

func TestEventStrategyDiscussionsAndConferences(t *testing.T) {
	t.Parallel()
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		ctx := storetest.As(a.SW)
		discuss := func(childID, held, decision string) *lantern.StrategyDiscussion {
			t.Helper()
			sd, err := s.CreateStrategyDiscussion(ctx, childID, &lantern.StrategyDiscussion{HeldAt: evTime(t, held), Decision: lantern.DiscussionDecision(decision),
				Participants: []lantern.Participant{{Name: "DS Patel", Agency: "Police"}}})
			if err != nil {
				t.Fatalf("strategy discussion %s: %v", held, err)
			}
			return sd
		}
		confer := func(childID, kind, held, outcome string) *lantern.Conference {
			t.Helper()
			c, err := s.CreateConference(ctx, childID, &lantern.Conference{Kind: lantern.ConferenceKind(kind), HeldAt: evTime(t, held), Outcome: lantern.ConferenceOutcome(outcome)})
			if err != nil {
				t.Fatalf("%s conference %s: %v", kind, held, err)
			}
			return c
		}
		open := func(childID string) int {
			n := 0
			for _, tk := range evTasks(t, s, a.SW, childID) {
				if tk.Status == lantern.TaskOpen {
					n++
				}
			}
			return n
		}

		child := evChild(t, s, a.SW, "Plan")
		// Friday 18 December 2026: 15 working days, over Christmas.
		sd1 := discuss(child.ID, "2026-12-18T11:00:00Z", "s47")
		evWantTasks(t, "s47 discussion", sd1.Tasks, "icpc open due 2027-01-13 at 2027-01-13T23:59:59Z (wt2023)")
		if sd1.ID == "" || sd1.Tasks[0].Source != "strategy-discussion" || sd1.Tasks[0].SourceID != sd1.ID {
			t.Errorf("discussion %+v, task %+v", sd1, sd1.Tasks[0])
		}
		sdNo := discuss(child.ID, "2026-12-21T11:00:00Z", "no-s47")
		if len(sdNo.Tasks) != 0 || sdNo.Tasks == nil {
			t.Errorf("a no-s47 discussion made tasks %v (want an empty list)", sdNo.Tasks)
		}
		// A later discussion that decides on s47 restarts the clock.
		sd2 := discuss(child.ID, "2027-01-05T10:00:00Z", "s47")
		evWantTasks(t, "second s47 discussion", sd2.Tasks, "icpc open due 2027-01-26 at 2027-01-26T23:59:59Z (wt2023)")
		evWantTasks(t, "after the second discussion", evTasks(t, s, a.SW, child.ID),
			"icpc closed due 2027-01-13 at 2027-01-13T23:59:59Z (wt2023)",
			"icpc open due 2027-01-26 at 2027-01-26T23:59:59Z (wt2023)")
		first := evTask(t, s, a.SW, child.ID, "icpc", lantern.TaskClosed)
		if !strings.Contains(first.ClosedReason, "superseded") || first.SourceID != sd1.ID || first.DoneAt == nil || !first.DoneAt.Equal(sd2.HeldAt) {
			t.Errorf("first conference task %+v, want closed as superseded when the second discussion was held", first)
		}
		// Its closing is in the trail by the task's id.
		var closings int
		syncAudit(t, s)
		if err := s.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'task.close' AND entity_id = $1 AND child_id = $2`,
			first.ID, child.ID).Scan(&closings); err != nil || closings != 1 {
			t.Errorf("audit entries closing task %s: %d (%v), want 1", first.ID, closings, err)
		}

		// The initial conference, with a plan: on Wednesday 20 January.
		icpcTask := evTask(t, s, a.SW, child.ID, "icpc", lantern.TaskOpen)
		ic := confer(child.ID, "initial", "2027-01-20T10:00:00Z", "plan")
		if ic.Flags == nil || len(ic.Flags) != 0 {
			t.Errorf("flags %#v after an s47 discussion, want none (an empty list)", ic.Flags)
		}
		evWantTasks(t, "initial conference", ic.Tasks,
			"core-group open due 2027-02-03 at 2027-02-03T23:59:59Z (wt2023)",
			"first-review open due 2027-04-20 at 2027-04-20T23:59:59+01:00 (wt2023)")
		done := evTask(t, s, a.SW, child.ID, "icpc", lantern.TaskDone)
		if done.ID != icpcTask.ID || done.DoneAt == nil || !done.DoneAt.Equal(ic.HeldAt) {
			t.Errorf("conference task %+v, want done when the conference was held", done)
		}
		if cl := evCompletedLate(t, s, done.ID); !cl.Valid || cl.Bool {
			t.Errorf("conference on time: completed_late %+v", cl)
		}
		var plans int
		if err := s.DB().QueryRow(`SELECT count(*) FROM protection_plans WHERE child_id = $1 AND ended_on IS NULL`, child.ID).Scan(&plans); err != nil || plans != 1 {
			t.Errorf("current plans %d (%v), want 1", plans, err)
		}

		// The core group meets.
		if _, err := s.CreateCoreGroup(ctx, child.ID, evTime(t, "2027-02-02T10:00:00Z")); err != nil {
			t.Fatal(err)
		}
		evTask(t, s, a.SW, child.ID, "core-group", lantern.TaskDone)

		// The review keeps the plan: the next review in 6 months.
		rc := confer(child.ID, "review", "2027-04-15T10:00:00Z", "plan")
		if len(rc.Flags) != 0 {
			t.Errorf("a review conference flagged %v", rc.Flags)
		}
		evWantTasks(t, "review conference", rc.Tasks, "next-review open due 2027-10-15 at 2027-10-15T23:59:59+01:00 (wt2023)")
		evWantTasks(t, "after the review", evTasks(t, s, a.SW, child.ID),
			"icpc closed due 2027-01-13 at 2027-01-13T23:59:59Z (wt2023)",
			"icpc done due 2027-01-26 at 2027-01-26T23:59:59Z (wt2023)",
			"core-group done due 2027-02-03 at 2027-02-03T23:59:59Z (wt2023)",
			"first-review done due 2027-04-20 at 2027-04-20T23:59:59+01:00 (wt2023)",
			"next-review open due 2027-10-15 at 2027-10-15T23:59:59+01:00 (wt2023)")

		// An initial conference with no s47 discussion before it: allowed,
		// and flagged. Held on 30 November, so the first review is due on
		// the last day of February.
		noS47 := evChild(t, s, a.SW, "Flagged")
		fc := confer(noS47.ID, "initial", "2026-11-30T10:00:00Z", "plan")
		if !slices.Equal(fc.Flags, []string{lantern.FlagNoS47}) {
			t.Errorf("flags %v, want [%s]", fc.Flags, lantern.FlagNoS47)
		}
		evWantTasks(t, "flagged initial conference", fc.Tasks,
			"core-group open due 2026-12-14 at 2026-12-14T23:59:59Z (wt2023)",
			"first-review open due 2027-02-28 at 2027-02-28T23:59:59Z (wt2023)")
		// The review ends the plan: the core group's clock is closed, no
		// review is due.
		nc := confer(noS47.ID, "review", "2027-02-20T10:00:00Z", "no-plan")
		if len(nc.Tasks) != 0 {
			t.Errorf("a review ending the plan made tasks: %v", nc.Tasks)
		}
		cg := evTask(t, s, a.SW, noS47.ID, "core-group", lantern.TaskClosed)
		if !strings.Contains(cg.ClosedReason, "plan ended") || cg.DoneAt == nil || !cg.DoneAt.Equal(nc.HeldAt) {
			t.Errorf("core group task %+v, want closed as the plan ended", cg)
		}
		evTask(t, s, a.SW, noS47.ID, "first-review", lantern.TaskDone)
		if n := open(noS47.ID); n != 0 {
			t.Errorf("%d open tasks after the plan ended, want none", n)
		}
		if err := s.DB().QueryRow(`SELECT count(*) FROM protection_plans WHERE child_id = $1 AND ended_on IS NULL`, noS47.ID).Scan(&plans); err != nil || plans != 0 {
			t.Errorf("current plans %d (%v) after no-plan, want 0", plans, err)
		}

		// A single assessment completed stops the referral's assessment clock.
		sa := evChild(t, s, a.SW, "Assessed")
		evReferral(t, s, a.SW, sa.ID, "online", "2027-05-20T09:00:00Z")
		got, err := s.RecordSWAssessment(ctx, sa.ID, &lantern.SWAssessment{Kind: "single", StartedAt: evTime(t, "2027-05-24T09:00:00Z"),
			CompletedAt: evTimeP(t, "2027-05-28T15:00:00Z")})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Tasks) != 0 {
			t.Errorf("a single assessment made tasks %v", got.Tasks)
		}
		as := evTask(t, s, a.SW, sa.ID, "assessment", lantern.TaskDone)
		if as.DoneAt == nil || !as.DoneAt.Equal(evTime(t, "2027-05-28T15:00:00Z")) {
			t.Errorf("assessment task %+v", as)
		}
		// wt2023 has no core assessment: starting one makes no task.
		core, err := s.RecordSWAssessment(ctx, sa.ID, &lantern.SWAssessment{Kind: "core", StartedAt: evTime(t, "2027-05-29T09:00:00Z")})
		if err != nil || len(core.Tasks) != 0 {
			t.Errorf("core assessment under wt2023: %v, %v", core, err)
		}
	})
}

// evOpen opens a store on cfg at evNow, migrated, closed when the test ends.
func evOpen(t *testing.T, cfg store.Config, clock *storetest.Clock) *store.Store {
	t.Helper()
	cfg.Now = clock.Now
	return storetest.Replicas(t, cfg, 1)[0]
}

func TestEventProfilesAndCalendars(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			clock := storetest.NewClock(evNow)
			cfg := storetest.Config(t, d)
			christmas := []string{
				"referral-decision open due 2026-12-29 at 2026-12-29T23:59:59Z (wt2023)",
				"referrer-feedback open due 2026-12-27 at 2026-12-27T16:30:00Z (wt2023)",
				"referral-written-followup open due 2026-12-26 at 2026-12-26T16:30:00Z (wt2023)",
				"assessment open due 2027-03-02 at 2027-03-02T23:59:59Z (wt2023)",
			}

			// Under wt2023 (the default).
			s := evOpen(t, cfg, clock)
			a := evSeed(t, s)
			old := evChild(t, s, a.SW, "Old")
			evWantTasks(t, "wt2023", evReferral(t, s, a.SW, old.ID, "phone", "2026-12-24T16:30:00Z").Tasks, christmas...)

			// An area closure on Monday 24 May 2027 moves a decision due
			// that day to the Tuesday.
			before := evChild(t, s, a.SW, "Before")
			evWantTasks(t, "before the closure day", evReferral(t, s, a.SW, before.ID, "online", "2027-05-21T10:00:00Z").Tasks,
				"referral-decision open due 2027-05-24 at 2027-05-24T23:59:59+01:00 (wt2023)",
				"referrer-feedback open due 2027-05-24 at 2027-05-24T11:00:00+01:00 (wt2023)",
				"assessment open due 2027-07-26 at 2027-07-26T23:59:59+01:00 (wt2023)")
			if _, err := s.DB().Exec(`INSERT INTO closure_days (day, name, created_at) VALUES ($1, $2, $3)`,
				date(t, "2027-05-24"), "Area closure day", evNow); err != nil {
				t.Fatal(err)
			}
			after := evChild(t, s, a.SW, "After")
			evWantTasks(t, "after the closure day", evReferral(t, s, a.SW, after.ID, "online", "2027-05-21T10:00:00Z").Tasks,
				"referral-decision open due 2027-05-25 at 2027-05-25T23:59:59+01:00 (wt2023)",
				"referrer-feedback open due 2027-05-24 at 2027-05-24T11:00:00+01:00 (wt2023)", // hours: unmoved
				"assessment open due 2027-07-27 at 2027-07-27T23:59:59+01:00 (wt2023)")
			// Tasks already set keep their deadline.
			evTask(t, s, a.SW, before.ID, "referral-decision", lantern.TaskOpen)
			evWantTasks(t, "set before the closure day", evTasks(t, s, a.SW, before.ID),
				"referral-decision open due 2027-05-24 at 2027-05-24T23:59:59+01:00 (wt2023)",
				"referrer-feedback open due 2027-05-24 at 2027-05-24T11:00:00+01:00 (wt2023)",
				"assessment open due 2027-07-26 at 2027-07-26T23:59:59+01:00 (wt2023)")
			if _, err := s.DB().Exec(`DELETE FROM closure_days`); err != nil {
				t.Fatal(err)
			}
			s.Close()

			// The same database, now under wt2006: old deadlines stand.
			cfg.Timescales = "wt2006"
			s = evOpen(t, cfg, clock)
			if s.Profile().ID != "wt2006" {
				t.Fatalf("profile %q", s.Profile().ID)
			}
			evWantTasks(t, "old tasks under the new profile", evTasks(t, s, a.SW, old.ID), christmas...)
			c := evChild(t, s, a.SW, "New")
			evWantTasks(t, "wt2006", evReferral(t, s, a.SW, c.ID, "phone", "2026-12-24T16:30:00Z").Tasks,
				"referral-decision open due 2026-12-29 at 2026-12-29T23:59:59Z (wt2006)",
				"referrer-feedback open due 2026-12-27 at 2026-12-27T16:30:00Z (wt2006)",
				"referral-written-followup open due 2026-12-26 at 2026-12-26T16:30:00Z (wt2006)",
				"assessment open due 2027-01-07 at 2027-01-07T23:59:59Z (wt2006)") // 7 working days: the initial assessment
			ctx := storetest.As(a.SW)
			// The initial assessment completes; the core assessment starts
			// its own clock of 35 working days, and completing it stops it.
			if _, err := s.RecordSWAssessment(ctx, c.ID, &lantern.SWAssessment{Kind: "initial", StartedAt: evTime(t, "2026-12-29T09:00:00Z"),
				CompletedAt: evTimeP(t, "2027-01-07T09:00:00Z")}); err != nil {
				t.Fatal(err)
			}
			evTask(t, s, a.SW, c.ID, "assessment", lantern.TaskDone)
			core, err := s.RecordSWAssessment(ctx, c.ID, &lantern.SWAssessment{Kind: "core", StartedAt: evTime(t, "2027-01-07T10:00:00Z")})
			if err != nil {
				t.Fatal(err)
			}
			evWantTasks(t, "core assessment started", core.Tasks, "core-assessment open due 2027-02-25 at 2027-02-25T23:59:59Z (wt2006)")
			if _, err := s.RecordSWAssessment(ctx, c.ID, &lantern.SWAssessment{Kind: "core", StartedAt: evTime(t, "2027-01-07T10:00:00Z"),
				CompletedAt: evTimeP(t, "2027-02-20T10:00:00Z")}); err != nil {
				t.Fatal(err)
			}
			evTask(t, s, a.SW, c.ID, "core-assessment", lantern.TaskDone)
			// And the old tasks, still, after all that.
			evWantTasks(t, "old tasks, finally", evTasks(t, s, a.SW, old.ID), christmas...)

			// Scotland's 2 January (observed on Monday 4 January 2027).
			scfg := storetest.Config(t, d)
			scfg.Holidays = "scotland"
			sc := evOpen(t, scfg, clock)
			sa := evSeed(t, sc)
			sch := evChild(t, sc, sa.SW, "Scot")
			sd, err := sc.CreateStrategyDiscussion(storetest.As(sa.SW), sch.ID, &lantern.StrategyDiscussion{HeldAt: evTime(t, "2026-12-18T11:00:00Z"), Decision: "s47"})
			if err != nil {
				t.Fatal(err)
			}
			evWantTasks(t, "Scotland", sd.Tasks, "icpc open due 2027-01-14 at 2027-01-14T23:59:59Z (wt2023)")
			if sd.Tasks[0].Calendar != "scotland" {
				t.Errorf("calendar %q, want scotland", sd.Tasks[0].Calendar)
			}
		})
	}
}

func TestEventRefusals(t *testing.T) {
	t.Parallel()
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		ctx := storetest.As(a.SW)
		c := evChild(t, s, a.SW, "Refused")
		r := evReferral(t, s, a.SW, c.ID, "phone", "2027-05-20T09:00:00Z")
		// Ahead of now is taken (a system's clock, a booked time); years
		// ahead is a mistake.
		future := evNow.AddDate(lantern.MaxYearsAhead, 0, 1)
		past := evTime(t, "2027-05-21T10:00:00Z")
		ref := func() *lantern.Referral {
			return &lantern.Referral{ReceivedAt: past, Method: "online", Referrer: lantern.Referrer{Name: "Terry Teacher"}}
		}
		calls := []struct {
			name  string
			field string
			call  func(ctx context.Context, childID string, at time.Time) error
		}{
			{"referral", "received_at", func(ctx context.Context, id string, at time.Time) error {
				r := ref()
				r.ReceivedAt = at
				_, err := s.CreateReferral(ctx, id, r)
				return err
			}},
			{"strategy discussion", "held_at", func(ctx context.Context, id string, at time.Time) error {
				_, err := s.CreateStrategyDiscussion(ctx, id, &lantern.StrategyDiscussion{HeldAt: at, Decision: "s47"})
				return err
			}},
			{"conference", "held_at", func(ctx context.Context, id string, at time.Time) error {
				_, err := s.CreateConference(ctx, id, &lantern.Conference{Kind: "initial", HeldAt: at, Outcome: "plan"})
				return err
			}},
			{"core group", "held_at", func(ctx context.Context, id string, at time.Time) error {
				_, err := s.CreateCoreGroup(ctx, id, at)
				return err
			}},
			{"social work assessment", "started_at", func(ctx context.Context, id string, at time.Time) error {
				_, err := s.RecordSWAssessment(ctx, id, &lantern.SWAssessment{Kind: "single", StartedAt: at})
				return err
			}},
			{"decision", "decided_at", func(ctx context.Context, id string, at time.Time) error {
				_, err := s.UpdateReferral(ctx, id, r.ID, 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: &at})
				return err
			}},
		}

		before := evCounts(t, s)
		for _, tc := range calls {
			evFields(t, tc.name+" more than five years ahead", tc.call(ctx, c.ID, future), tc.field)
			// Children the caller may not see are not found, whatever is sent.
			evWantCode(t, tc.name+" by another school", tc.call(storetest.As(a.Outsider), c.ID, past), lantern.ENOTFOUND)
			evWantCode(t, tc.name+" for no such child", tc.call(ctx, "0190f0f0-0000-7000-8000-000000000000", past), lantern.ENOTFOUND)
		}
		// A missing time, and fields at fault together.
		bad := &lantern.Referral{Method: "fax", Referrer: lantern.Referrer{Name: "  "}}
		_, err := s.CreateReferral(ctx, c.ID, bad)
		evFields(t, "an empty referral", err, "received_at", "method", "referrer.name")
		_, err = s.CreateConference(ctx, c.ID, &lantern.Conference{Kind: "final", HeldAt: past, Outcome: "adjourned"})
		evFields(t, "a conference of no known kind or outcome", err, "kind", "outcome")
		_, err = s.CreateStrategyDiscussion(ctx, c.ID, &lantern.StrategyDiscussion{HeldAt: past, Decision: "maybe"})
		evFields(t, "a discussion with no known decision", err, "decision")
		_, err = s.RecordSWAssessment(ctx, c.ID, &lantern.SWAssessment{Kind: "single", StartedAt: past, CompletedAt: evTimeP(t, "2027-05-21T09:00:00Z")})
		evFields(t, "an assessment completed before it started", err, "completed_at")
		if after := evCounts(t, s); after != before {
			t.Errorf("refused events stored something: %s, then %s", before, after)
		}
		if r, err := s.Referrals(ctx, c.ID); err != nil || len(r) != 1 || r[0].Version != 1 {
			t.Errorf("referrals after refusals: %v %v", r, err)
		}

		// Ahead of now, but not years ahead: stored, with its clocks.
		if ahead, err := s.CreateReferral(ctx, c.ID, &lantern.Referral{ReceivedAt: evNow.Add(30 * 24 * time.Hour), Method: "online",
			Referrer: lantern.Referrer{Name: "Terry Teacher"}}); err != nil || len(ahead.Tasks) == 0 {
			t.Errorf("a referral a month ahead: %+v %v", ahead, err)
		}

		// A merged record takes no events: they go on the record kept.
		keep := evChild(t, s, a.SW, "Keep")
		dup := evChild(t, s, a.SW, "Dup")
		dupRef := evReferral(t, s, a.SW, dup.ID, "online", "2027-05-20T09:00:00Z")
		if _, err := s.MergeChildren(storetest.As(a.Manager), keep.ID, dup.ID, keep.Version, dup.Version); err != nil {
			t.Fatal(err)
		}
		// The duplicate's referral came with its tasks: it is decided on
		// the record kept, and its decision stops its clock there.
		if _, err := s.UpdateReferral(ctx, keep.ID, dupRef.ID, 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: &past}); err != nil {
			t.Errorf("deciding the merged record's referral on the record kept: %v", err)
		} else {
			evTask(t, s, a.SW, keep.ID, "referral-decision", lantern.TaskDone)
		}
		if rs, err := s.Referrals(ctx, keep.ID); err != nil || len(rs) != 1 || rs[0].ID != dupRef.ID {
			t.Errorf("the record kept has referrals %v (%v), want the duplicate's", rs, err)
		}
		before = evCounts(t, s)
		for _, tc := range calls[:5] {
			evWantCode(t, tc.name+" for a merged child", tc.call(ctx, dup.ID, past), lantern.ECONFLICT)
		}
		if after := evCounts(t, s); after != before {
			t.Errorf("events for a merged child stored something: %s, then %s", before, after)
		}
		if err := calls[0].call(ctx, keep.ID, past); err != nil {
			t.Errorf("a referral for the record kept: %v", err)
		}
	})
}

func TestEventWorkListsAndClosing(t *testing.T) {
	t.Parallel()
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		// Now is noon on Tuesday 1 June 2027.
		swCtx, mgrCtx := storetest.As(a.SW), storetest.As(a.Manager)
		decide := func(childID, refID, at string) {
			t.Helper()
			if _, err := s.UpdateReferral(swCtx, childID, refID, 1, lantern.ReferralUpdate{Decision: "assessment", DecidedAt: evTimeP(t, at)}); err != nil {
				t.Fatal(err)
			}
		}
		// W1: decided on time. W2: decided late, feedback still open and late.
		w1 := evChild(t, s, a.SW, "W1")
		r1 := evReferral(t, s, a.SW, w1.ID, "online", "2027-05-20T09:00:00Z")
		decide(w1.ID, r1.ID, "2027-05-21T10:00:00Z")
		w2 := evChild(t, s, a.SW, "W2")
		r2 := evReferral(t, s, a.SW, w2.ID, "online", "2027-05-20T09:00:00Z")
		decide(w2.ID, r2.ID, "2027-05-24T10:00:00Z")
		// W3: received on the bank holiday, its decision due today.
		w3 := evChild(t, s, a.SW, "W3")
		evReferral(t, s, a.SW, w3.ID, "online", "2027-05-31T10:00:00Z")
		// W4: the other social worker's, all due this week or later.
		w4 := evChild(t, s, a.SW2, "W4")
		evReferral(t, s, a.SW2, w4.ID, "online", "2027-06-01T11:00:00Z")

		// Closing a task: managers only, with a reason, at its version.
		fb1 := evTask(t, s, a.SW, w1.ID, "referrer-feedback", lantern.TaskOpen)
		_, err := s.CloseTask(swCtx, fb1.ID, 1, "Told the referrer by phone")
		evWantCode(t, "a social worker closes a task", err, lantern.EFORBIDDEN)
		_, err = s.CloseTask(storetest.As(a.Outsider), fb1.ID, 1, "x")
		evWantCode(t, "a school not involved closes a task", err, lantern.ENOTFOUND)
		_, err = s.CloseTask(mgrCtx, "no-such-task", 1, "x")
		evWantCode(t, "no such task", err, lantern.ENOTFOUND)
		_, err = s.CloseTask(mgrCtx, fb1.ID, 1, "  ")
		evFields(t, "no reason", err, "reason")
		_, err = s.CloseTask(mgrCtx, fb1.ID, 2, "Told the referrer by phone")
		evWantCode(t, "a stale version", err, lantern.ECONFLICT)
		if got := evTask(t, s, a.SW, w1.ID, "referrer-feedback", lantern.TaskOpen); got.Version != 1 {
			t.Errorf("refused closes changed the task: %+v", got)
		}
		closed, err := s.CloseTask(mgrCtx, fb1.ID, 1, "Told the referrer by phone")
		if err != nil {
			t.Fatal(err)
		}
		if closed.Status != lantern.TaskClosed || closed.Version != 2 || closed.ClosedReason != "Told the referrer by phone" ||
			closed.DoneAt == nil || !closed.DoneAt.Equal(evNow) {
			t.Errorf("closed %+v", closed)
		}
		_, err = s.CloseTask(mgrCtx, fb1.ID, 2, "Again")
		evFields(t, "closed twice", err, "status")
		dec1 := evTask(t, s, a.SW, w1.ID, "referral-decision", lantern.TaskDone)
		_, err = s.CloseTask(mgrCtx, dec1.ID, dec1.Version, "Not needed")
		evFields(t, "a task already done", err, "status")

		// My work: the caller's open tasks, soonest due first.
		mine, err := s.MyWork(swCtx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range mine {
			got = append(got, w.ChildName+" "+evString(w.Task))
			if w.AssigneeID != a.SW.ID || w.AssigneeName != "Sam Worker" {
				t.Errorf("my work has %+v", w)
			}
		}
		want := []string{
			"W2 Example referrer-feedback open due 2027-05-23 at 2027-05-23T10:00:00+01:00 (wt2023)",
			"W3 Example referral-decision open due 2027-06-01 at 2027-06-01T23:59:59+01:00 (wt2023)",
			"W3 Example referrer-feedback open due 2027-06-03 at 2027-06-03T11:00:00+01:00 (wt2023)",
			"W1 Example assessment open due 2027-07-23 at 2027-07-23T23:59:59+01:00 (wt2023)",
			"W2 Example assessment open due 2027-07-23 at 2027-07-23T23:59:59+01:00 (wt2023)",
			"W3 Example assessment open due 2027-08-02 at 2027-08-02T23:59:59+01:00 (wt2023)",
		}
		// W1's and W2's assessments are due at the same moment: either order.
		if len(got) == len(want) && strings.HasPrefix(got[3], "W2") {
			got[3], got[4] = got[4], got[3]
		}
		if !slices.Equal(got, want) {
			t.Errorf("my work:\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
		if mgr, err := s.MyWork(mgrCtx); err != nil || len(mgr) != 0 {
			t.Errorf("the manager's own work: %d, %v", len(mgr), err)
		}
		if other, err := s.MyWork(storetest.As(a.Outsider)); err != nil || len(other) != 0 {
			t.Errorf("another school's work: %d, %v", len(other), err)
		}

		// The team, by worker: the most late first.
		loads, err := s.TeamLoad(mgrCtx, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		for _, l := range loads {
			got = append(got, fmt.Sprintf("%s late=%d today=%d week=%d open=%d", l.AssigneeName, l.Late, l.DueToday, l.DueThisWeek, l.Open))
		}
		want = []string{"Sam Worker late=1 today=1 week=1 open=6", "Alex Worker late=0 today=0 week=2 open=3"}
		if !slices.Equal(got, want) {
			t.Errorf("team load %q, want %q", got, want)
		}
		// A day later W3's decision is late, and W4's is due today.
		loads, err = s.TeamLoad(mgrCtx, evNow.Add(24*time.Hour))
		if err != nil || len(loads) != 2 || loads[0].Late != 2 || loads[0].DueToday != 0 || loads[1].DueToday != 1 {
			t.Errorf("team load a day later: %v", err)
			for _, l := range loads {
				t.Logf("%+v", *l)
			}
		}
		for _, u := range []*lantern.User{a.SW, a.Teacher} {
			_, err = s.TeamLoad(storetest.As(u), clock.Now())
			evWantCode(t, "team load as "+u.Email, err, lantern.EFORBIDDEN)
		}

		// Per cent within timescale, for tasks due from 21 to 23 May: of the
		// two decisions one was on time; of the feedback, W1's was closed
		// (left out) and W2's is late and open.
		rows, err := s.TimelinessReport(mgrCtx, date(t, "2027-05-21"), date(t, "2027-05-23"))
		if err != nil {
			t.Fatal(err)
		}
		byClock := map[string]store.Timeliness{}
		for _, r := range rows {
			byClock[r.Clock] = r
		}
		pc := func(p *float64) string {
			if p == nil {
				return "null"
			}
			return fmt.Sprintf("%.1f", *p)
		}
		for clock, want := range map[string]string{
			"referral-decision": "due=2 within=1 done_late=1 open_late=0 percent=50.0 timescale=1 working day",
			"referrer-feedback": "due=1 within=0 done_late=0 open_late=1 percent=0.0 timescale=72 hours",
			"assessment":        "due=0 within=0 done_late=0 open_late=0 percent=null timescale=45 working days",
		} {
			r := byClock[clock]
			if got := fmt.Sprintf("due=%d within=%d done_late=%d open_late=%d percent=%s timescale=%s", r.Due, r.Within, r.DoneLate, r.OpenLate, pc(r.Percent), r.Timescale); got != want {
				t.Errorf("%s: %s, want %s", clock, got, want)
			}
		}
		if _, ok := byClock["core-assessment"]; ok {
			t.Error("wt2023's report has a core-assessment row")
		}
		// Today's decision is not yet due: it is not counted.
		rows, err = s.TimelinessReport(mgrCtx, date(t, "2027-06-01"), date(t, "2027-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Due != 0 || r.Percent != nil {
				t.Errorf("1 June: %+v, want nothing due yet", r)
			}
		}
		_, err = s.TimelinessReport(mgrCtx, date(t, "2027-05-23"), date(t, "2027-05-21"))
		evFields(t, "a period that ends before it starts", err, "to")
		_, err = s.TimelinessReport(storetest.As(a.Teacher), date(t, "2027-05-21"), date(t, "2027-05-23"))
		evWantCode(t, "figures for a teacher", err, lantern.EFORBIDDEN)
	})
}

func TestS47Enquiries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, clock *storetest.Clock) {
		f := storetest.Seed(t, s)
		ctx := storetest.As(f.SocialWorker)
		clock.Set(time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC))
		c, err := s.CreateChild(ctx, lantern.ChildInput{GivenName: "Sid", FamilyName: "Enquiry", DateOfBirth: lantern.Date{Year: 2013, Month: 4, Day: 4}, Gender: "male"})
		if err != nil {
			t.Fatal(err)
		}
		sd, err := s.CreateStrategyDiscussion(ctx, c.ID, &lantern.StrategyDiscussion{HeldAt: time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC), Decision: "s47"})
		if err != nil {
			t.Fatal(err)
		}
		done := time.Date(2027, 5, 10, 10, 0, 0, 0, time.UTC)
		e, err := s.RecordS47(ctx, c.ID, &lantern.S47Enquiry{StrategyDiscussionID: sd.ID, StartedAt: time.Date(2027, 5, 2, 9, 0, 0, 0, time.UTC),
			CompletedAt: &done, Outcome: "substantiated-icpc"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindS47(ctx, c.ID, e.ID)
		if err != nil || got.Outcome != "substantiated-icpc" || got.StrategyDiscussionID != sd.ID || got.CompletedAt == nil {
			t.Fatalf("read back: %+v %v", got, err)
		}
		ev, err := s.ChildEvents(ctx, c.ID)
		if err != nil || len(ev.S47Enquiries) != 1 {
			t.Fatalf("child events: %+v %v", ev, err)
		}
		for _, bad := range []struct {
			e     lantern.S47Enquiry
			field string
		}{
			{lantern.S47Enquiry{StartedAt: done, CompletedAt: &done, Outcome: "maybe"}, "outcome"},
			{lantern.S47Enquiry{StartedAt: done, Outcome: "not-substantiated"}, "completed_at"},
			{lantern.S47Enquiry{StartedAt: time.Date(2033, 6, 2, 0, 0, 0, 0, time.UTC)}, "started_at"}, // years ahead
			{lantern.S47Enquiry{StartedAt: done, CompletedAt: &sd.HeldAt, Outcome: "not-substantiated"}, "completed_at"},
			{lantern.S47Enquiry{StartedAt: done, StrategyDiscussionID: "not-one"}, "strategy_discussion_id"},
		} {
			_, err := s.RecordS47(ctx, c.ID, &bad.e)
			found := false
			for _, fe := range lantern.ErrorFields(err) {
				found = found || fe.Field == bad.field
			}
			if !found {
				t.Errorf("%+v: want an error on %s, got %v", bad.e, bad.field, err)
			}
		}
		if _, err := s.RecordS47(storetest.As(f.OtherTeacher), c.ID, &lantern.S47Enquiry{StartedAt: done}); lantern.ErrorCode(err) != lantern.ENOTFOUND {
			t.Errorf("another school recorded an enquiry: %v", err)
		}
		ev, _ = s.ChildEvents(ctx, c.ID)
		if len(ev.S47Enquiries) != 1 {
			t.Errorf("refused enquiries were stored: %d", len(ev.S47Enquiries))
		}
	})
}

// A manager closes their own team's work only: another agency's manager,
// who sees the shared child, may not close children's social care's task.
func TestCloseTaskOnlyTheTeamsManager(t *testing.T) {
	evEach(t, func(t *testing.T, s *store.Store, a *evArea, clock *storetest.Clock) {
		c := evChild(t, s, a.Teacher, "Shared") // the school is involved
		evReferral(t, s, a.SW, c.ID, "online", "2027-05-31T10:00:00Z")
		task := evTask(t, s, a.SW, c.ID, "referrer-feedback", lantern.TaskOpen)
		head := caseUser(t, s, "head@riverside.example.org", "Hana Head", a.School, lantern.RoleManager)
		if _, err := s.FindChildByID(storetest.As(head), c.ID); err != nil {
			t.Fatalf("the school's manager does not see the child: %v", err)
		}
		_, err := s.CloseTask(storetest.As(head), task.ID, task.Version, "Not needed")
		evWantCode(t, "another agency's manager closes a task", err, lantern.EFORBIDDEN)
		if got := evTask(t, s, a.SW, c.ID, "referrer-feedback", lantern.TaskOpen); got.Version != task.Version {
			t.Errorf("the refused close changed the task: %+v", got)
		}
		if _, err := s.CloseTask(storetest.As(a.Manager), task.ID, task.Version, "Not needed"); err != nil {
			t.Errorf("the team's own manager: %v", err)
		}
	})
}
