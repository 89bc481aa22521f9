package lantern_test

import (
	"testing"
	"time"

	"lantern"
)

func TestCheckOutcome(t *testing.T) {
	day := lantern.Date{Year: 2026, Month: 12, Day: 1}
	for _, c := range []struct {
		name   string
		o      lantern.Outcome
		fields []string
	}{
		{"a good outcome", lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{{ChildID: "c", Level: "high"}},
			Actions: []lantern.MeetingAction{{Description: "Visit", Owner: "u", DueDate: day}}}, nil},
		{"a level the meeting does not decide", lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{{ChildID: "c", Level: "vulnerable"}}},
			[]string{"decisions[0].level"}},
		{"an action with nothing to do, no owner, no date", lantern.Outcome{Held: true, Actions: []lantern.MeetingAction{{Description: " "}}},
			[]string{"actions[0].description", "actions[0].owner", "actions[0].due_date"}},
		{"decisions of a meeting not held", lantern.Outcome{Decisions: []lantern.MeetingDecision{{ChildID: "c", Level: "high"}}}, []string{"held"}},
		{"an attendance that is no answer", lantern.Outcome{Held: true, Attendance: map[string]lantern.Attendance{"i": "maybe"}}, []string{"attendance.i"}},
		{"a blank recommendation", lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{{ChildID: "c", Level: "medium", Recommendations: []string{" "}}}},
			[]string{"decisions[0].recommendations"}},
		{"an unknown recommendation", lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{{ChildID: "c", Level: "medium", Recommendations: []string{"s47"}},
			{ChildID: "d", Level: "high", Recommendations: []string{"icpc", "a chat"}}}}, []string{"decisions[1].recommendations"}},
	} {
		err := lantern.CheckOutcome(&c.o)
		if got := lantern.ErrorFields(err); !sameFields(got, c.fields) {
			t.Errorf("%s: %v, want fields %v", c.name, got, c.fields)
		}
	}
}

func sameFields(got []lantern.FieldError, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].Field != want[i] {
			return false
		}
	}
	return true
}

func TestPlanOutcome(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	day := lantern.Date{Year: 2026, Month: 12, Day: 8}
	meeting := func(children ...string) *lantern.Meeting {
		return &lantern.Meeting{ID: "m", Version: 2, Status: "scheduled", ChildIDs: children, StartsAt: now.Add(-time.Hour),
			CreatedBy: "organiser", AgencyID: "csc", Invitees: []lantern.Invitee{{ID: "inv"}}}
	}
	found := []lantern.ActionOwner{{ID: "officer", AgencyID: "police", Found: true}}
	action := []lantern.MeetingAction{{Description: " Check the car ", Owner: "officer@example.org", DueDate: day}}

	// The whole of it: decisions, attendance, the next meeting's tasks and
	// an action's task on the first child, which involves the owner's agency.
	plan, err := lantern.PlanOutcome(meeting("a", "b"), 2, lantern.Outcome{Held: true, NextMeetingDate: day,
		Decisions:  []lantern.MeetingDecision{{ChildID: "a", Level: "high", Rationale: " why "}},
		Attendance: map[string]lantern.Attendance{"inv": "attended"}, Actions: action}, found, []bool{false}, now)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != "held" || plan.Decisions[0].Rationale != "why" || plan.Decisions[0].Recommendations == nil || plan.Attendance["inv"] != "attended" {
		t.Errorf("plan %+v", plan)
	}
	if len(plan.NextMeeting) != 2 || plan.NextMeeting[1].ChildID != "b" || plan.NextMeeting[0].AssigneeID != "organiser" ||
		plan.NextMeeting[0].Clock != lantern.ClockNextMeeting || !plan.NextMeeting[0].DueAt.Equal(lantern.EndOfDay(day)) {
		t.Errorf("next meeting tasks %+v", plan.NextMeeting)
	}
	a := plan.Actions[0]
	if a.Action.Owner != "officer" || a.Action.AgencyID != "police" || a.Action.Description != "Check the car" || a.InvolveAgency != "police" ||
		a.Task == nil || a.Task.ChildID != "a" || a.Task.TeamAgencyID != "police" || a.Task.Clock != lantern.ClockMeetingAction {
		t.Errorf("action %+v task %+v", a, a.Task)
	}
	// A team named holds the task; the owner's agency is still the one
	// involved. A meeting about no child makes no task.
	action[0].AgencyID = "housing"
	plan, err = lantern.PlanOutcome(meeting(), 2, lantern.Outcome{Held: false, Actions: action}, found, []bool{true}, now)
	if err != nil || plan.Status != "not-held" || plan.Actions[0].Task != nil || plan.Actions[0].Action.AgencyID != "housing" || plan.Actions[0].InvolveAgency != "police" {
		t.Fatalf("about no child: %+v %v", plan, err)
	}
	for _, c := range []struct {
		name   string
		m      *lantern.Meeting
		o      lantern.Outcome
		owners []lantern.ActionOwner
		known  []bool
		code   lantern.Code
		fields []string
	}{
		{"a stale version", &lantern.Meeting{Version: 3, Status: "scheduled"}, lantern.Outcome{}, nil, nil, lantern.ECONFLICT, nil},
		{"recorded already", &lantern.Meeting{Version: 2, Status: "held"}, lantern.Outcome{}, nil, nil, lantern.ECONFLICT, nil},
		{"cancelled", &lantern.Meeting{Version: 2, Status: "cancelled"}, lantern.Outcome{}, nil, nil, lantern.EINVALID, []string{"held"}},
		{"a decision on a child not on it", meeting("a"), lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{{ChildID: "z", Level: "high"}}},
			nil, nil, lantern.EINVALID, []string{"decisions[0].child_id"}},
		{"two decisions on one child", meeting("a"), lantern.Outcome{Held: true, Decisions: []lantern.MeetingDecision{{ChildID: "a", Level: "high"}, {ChildID: "a", Level: "medium"}}},
			nil, nil, lantern.EINVALID, []string{"decisions[1].child_id"}},
		{"attendance of someone not invited", meeting("a"), lantern.Outcome{Held: true, Attendance: map[string]lantern.Attendance{"stranger": "attended"}},
			nil, nil, lantern.EINVALID, []string{"attendance.stranger"}},
		{"the next meeting before this one", meeting("a"), lantern.Outcome{Held: true, NextMeetingDate: lantern.Date{Year: 2026, Month: 11, Day: 1}},
			nil, nil, lantern.EINVALID, []string{"next_meeting_date"}},
		{"an owner not found, an agency not the area's", meeting("a"), lantern.Outcome{Held: true, Actions: []lantern.MeetingAction{{Owner: "x", AgencyID: "nowhere", DueDate: day}}},
			[]lantern.ActionOwner{{}}, []bool{false}, lantern.EINVALID, []string{"actions[0].owner", "actions[0].agency_id"}},
	} {
		_, err := lantern.PlanOutcome(c.m, 2, c.o, c.owners, c.known, now)
		if lantern.ErrorCode(err) != c.code || !sameFields(lantern.ErrorFields(err), c.fields) {
			t.Errorf("%s: %v (%v), want %s %v", c.name, lantern.ErrorCode(err), lantern.ErrorFields(err), c.code, c.fields)
		}
	}
}
