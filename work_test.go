package lantern_test

import (
	"testing"
	"time"

	"lantern"
)

// weekdays adds working days counting Monday to Friday only: the tests'
// calendar (the store passes the area's, with holidays and closures).
func weekdays(d lantern.Date, n int) lantern.Date {
	t := d.Time()
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return lantern.DateOf(t)
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lantern.London)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWorkDue(t *testing.T) {
	for _, tc := range []struct {
		kind    lantern.WorkKind
		start   string
		wantDue string // the moment, in London
	}{
		// Friday afternoon: one working day is Monday, to its end.
		{lantern.WorkS47, "2026-11-20 15:00", "2026-11-23 23:59"},
		{lantern.WorkReferral, "2026-11-18 09:00", "2026-11-19 23:59"},
		{lantern.WorkStrategyDiscussion, "2026-11-21 10:00", "2026-11-23 23:59"}, // a Saturday counts from the Saturday
		{lantern.WorkEarlyHelp, "2026-11-20 15:00", "2026-12-04 23:59"},          // 10 working days
		{lantern.WorkReviewMeeting, "2026-11-02 10:00", "2026-11-16 23:59"},
		{lantern.WorkReassessment, "2026-11-20 15:00", "2026-11-27 23:59"}, // 5 working days
		{lantern.WorkSafetyPlan, "2026-11-16 09:30", "2026-11-23 23:59"},
		// 72 real hours, weekends included.
		{lantern.WorkReturnInterview, "2026-11-20 15:00", "2026-11-23 15:00"},
		// Across the clocks going back (25 October 2026): real hours.
		{lantern.WorkReturnInterview, "2026-10-24 12:00", "2026-10-27 11:00"},
	} {
		d, dueAt := lantern.WorkDue(tc.kind.Timescale(), at(tc.start), weekdays)
		if got := dueAt.In(lantern.London).Format("2006-01-02 15:04"); got != tc.wantDue || d != lantern.DateOf(dueAt.In(lantern.London)) {
			t.Errorf("%s from %s: due %s (%s), want %s", tc.kind, tc.start, got, d, tc.wantDue)
		}
	}
}

func TestWorkKinds(t *testing.T) {
	for _, k := range lantern.WorkKinds {
		if !k.Valid() || k.Label() == string(k) || k.Description() == string(k) || k.Timescale().N <= 0 {
			t.Errorf("%s: label %q, description %q, timescale %+v", k, k.Label(), k.Description(), k.Timescale())
		}
	}
	for _, tc := range []struct {
		ts   lantern.Timescale
		want string
	}{{lantern.Timescale{1, lantern.UnitWorkingDays}, "1 working day"}, {lantern.Timescale{72, lantern.UnitHours}, "72 hours"}} {
		if got := tc.ts.Text(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.ts, got, tc.want)
		}
	}
}

func TestRecommendations(t *testing.T) {
	for _, tc := range []struct {
		r     lantern.Recommendation
		valid bool
		label string
		work  lantern.WorkKind
		clock string // the statutory clock that does it
	}{
		{"s47", true, "Section 47 enquiries", lantern.WorkS47, ""},
		{"icpc", true, "Initial child protection conference", lantern.WorkICPC, lantern.ClockICPC},
		{"early-help", true, "Early help", lantern.WorkEarlyHelp, ""},
		{"return-interview", true, "Return interview", lantern.WorkReturnInterview, ""},
		{"strategy-discussion", true, "Strategy discussion", lantern.WorkStrategyDiscussion, ""},
		{"toolkit-reassessment", true, "Complete the toolkit again", lantern.WorkToolkit, lantern.ClockToolkitReassessment},
		{"referral", true, "Referral to children's social care", lantern.WorkReferral, ""},
		{"police-investigation", true, "Police investigation", lantern.WorkPoliceInvestigation, ""},
		{"strategy-meeting-review", true, "Review strategy meeting", lantern.WorkReviewMeeting, ""},
		{"no-further-action", true, "No further action", "", ""},
		{"a free text", false, "a free text", "", ""},
		{"S47", false, "S47", "", ""},
	} {
		if tc.r.Valid() != tc.valid || tc.r.Label() != tc.label || tc.r.Work() != tc.work || tc.r.Work().Clock() != tc.clock {
			t.Errorf("%s: valid %v label %q work %q clock %q", tc.r, tc.r.Valid(), tc.r.Label(), tc.r.Work(), tc.r.Work().Clock())
		}
	}
	for _, f := range lantern.FollowUps {
		if k := lantern.FollowUpWork(f); !k.Valid() {
			t.Errorf("follow-up %s makes no work", f)
		}
	}
	if lantern.FollowUpWork("s47") != "" {
		t.Error("a recommendation is not a follow-up")
	}
}

func TestWorkOwner(t *testing.T) {
	sw := lantern.ActionOwner{ID: "sw", AgencyID: "csc", Found: true}
	organiser := lantern.ActionOwner{ID: "org", AgencyID: "school", Found: true}
	for _, tc := range []struct {
		name      string
		allocated lantern.ActionOwner
		want      string
	}{
		{"the allocated social worker", sw, "sw"},
		{"none allocated: the fallback", lantern.ActionOwner{}, "org"},
		{"one who cannot take it (disabled, or no editing role)", lantern.ActionOwner{ID: "gone"}, "org"},
	} {
		if got := lantern.WorkOwner(tc.allocated, organiser); got.ID != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got.ID, tc.want)
		}
	}
}

func TestPlanRecommendations(t *testing.T) {
	start := at("2026-11-20 10:00") // a Friday
	m := &lantern.Meeting{ID: "m1", StartsAt: start, ChildIDs: []string{"a", "b"}, CreatedBy: "org"}
	dues := lantern.WorkDues{AddWorkingDays: weekdays, Statutory: func(clock string, s time.Time) (lantern.Date, time.Time, bool) {
		if clock == lantern.ClockToolkitReassessment {
			return lantern.Date{}, time.Time{}, false // a profile without it
		}
		d := weekdays(lantern.Today(s), 15)
		return d, lantern.EndOfDay(d), true
	}}
	owners := map[string]lantern.ActionOwner{"a": {ID: "sw", AgencyID: "csc", Found: true}, "b": {ID: "org", AgencyID: "school", Found: true}}
	open := map[string]map[string]bool{"b": {lantern.ClockReturnInterview: true}}
	decisions := []lantern.MeetingDecision{
		{ChildID: "a", Recommendations: []string{"s47", "icpc", "icpc", "early-help", "no-further-action", "strategy-meeting-review", "toolkit-reassessment"}},
		{ChildID: "b", Recommendations: []string{"return-interview", "icpc"}},
	}
	got := map[string]lantern.PlannedWork{}
	for _, pw := range lantern.PlanRecommendations(m, decisions, true, owners, open, dues) {
		got[pw.ChildID+"/"+string(pw.Kind)] = pw
	}
	if len(got) != 7 {
		t.Fatalf("planned %d: %+v", len(got), got)
	}
	for _, tc := range []struct {
		key, clock, owner, due, covered string
	}{
		{"a/s47", lantern.ClockWork, "sw", "2026-11-23", ""},
		{"a/icpc", lantern.ClockICPC, "sw", "2026-12-11", ""}, // the statutory clock, once
		{"a/early-help", lantern.ClockWork, "sw", "2026-12-04", ""},
		{"a/strategy-meeting-review", "", "", "", lantern.ClockNextMeeting},   // the next meeting's date covers it
		{"a/toolkit-reassessment", lantern.ClockWork, "sw", "2027-02-12", ""}, // no clock in the profile: its own 60 working days
		{"b/return-interview", "", "", "", lantern.ClockReturnInterview},      // an episode's clock runs
		{"b/icpc", lantern.ClockICPC, "org", "2026-12-11", ""},
	} {
		pw, ok := got[tc.key]
		switch {
		case !ok:
			t.Errorf("%s: not planned", tc.key)
		case tc.covered != "":
			if pw.Task != nil || pw.CoveredBy != tc.covered {
				t.Errorf("%s: %+v, want covered by %s", tc.key, pw, tc.covered)
			}
		case pw.Task == nil:
			t.Errorf("%s: no task", tc.key)
		case pw.Task.Clock != tc.clock || pw.Task.AssigneeID != tc.owner || pw.Task.DueDate.String() != tc.due || pw.Task.Source != "meeting" ||
			pw.Task.SourceID != "m1" || !pw.Task.StartedAt.Equal(start):
			t.Errorf("%s: %+v", tc.key, pw.Task)
		case tc.clock == lantern.ClockWork && pw.Task.Kind == "":
			t.Errorf("%s: a work task with no kind", tc.key)
		case tc.clock != lantern.ClockWork && pw.Task.Kind != "":
			t.Errorf("%s: a clock's task with a kind", tc.key)
		}
	}
}

func TestPlanWorkFollowUps(t *testing.T) {
	held := at("2026-11-20 16:00")
	open := map[string]bool{lantern.ClockNextMeeting: true}
	var kinds []lantern.WorkKind
	for _, f := range []string{"new-concern", "strategy-meeting", "safety-plan", "safety-plan"} {
		kinds = append(kinds, lantern.FollowUpWork(f))
	}
	pws := lantern.PlanWork("c", kinds, held, lantern.ActionOwner{ID: "rec", AgencyID: "ag", Found: true}, open, lantern.WorkDues{AddWorkingDays: weekdays},
		"missing-episode", "e1")
	if len(pws) != 3 {
		t.Fatalf("%+v", pws)
	}
	if pws[0].Task == nil || pws[0].Task.Kind != lantern.WorkNewConcern || pws[0].Task.DueDate.String() != "2026-11-23" || pws[0].Task.TeamAgencyID != "ag" {
		t.Errorf("new concern: %+v", pws[0].Task)
	}
	if pws[1].Task != nil || pws[1].CoveredBy != lantern.ClockNextMeeting {
		t.Errorf("a strategy meeting already to be arranged: %+v", pws[1])
	}
	if pws[2].Task == nil || pws[2].Task.DueDate.String() != "2026-11-27" || pws[2].Task.SourceID != "e1" {
		t.Errorf("safety plan: %+v", pws[2].Task)
	}
}

func TestTaskCompletion(t *testing.T) {
	for _, tc := range []struct {
		clock  string
		byNote bool
	}{{lantern.ClockWork, true}, {lantern.ClockMeetingAction, true}, {lantern.ClockICPC, false}, {lantern.ClockNextMeeting, false},
		{lantern.ClockReturnInterview, false}} {
		if got := (&lantern.Task{Clock: tc.clock}).CompletesByNote(); got != tc.byNote {
			t.Errorf("%s: completes by note %v", tc.clock, got)
		}
	}
	u := &lantern.User{ID: "u", AgencyID: "a"}
	for _, tc := range []struct {
		name string
		t    lantern.Task
		want lantern.Relation
	}{
		{"their team's", lantern.Task{TeamAgencyID: "a", AssigneeID: "x"}, lantern.RelOwn},
		{"theirs, held by another team", lantern.Task{TeamAgencyID: "b", AssigneeID: "u"}, lantern.RelOwn},
		{"another's", lantern.Task{TeamAgencyID: "b", AssigneeID: "x"}, lantern.RelOther},
		{"unassigned, no team", lantern.Task{}, lantern.RelOther},
	} {
		if got := tc.t.Relation(u); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		note, want string
		field      string
	}{
		{"  Called the family  ", "Called the family", ""},
		{"   ", "", "note"},
		{string(make([]byte, lantern.MaxTaskNote+1)), "", "note"},
	} {
		got, err := lantern.CheckTaskNote(tc.note)
		if tc.field == "" && (err != nil || got != tc.want) || tc.field != "" && !hasField(err, tc.field) {
			t.Errorf("%.20q: %q %v", tc.note, got, err)
		}
	}
}

func hasField(err error, field string) bool {
	for _, f := range lantern.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
