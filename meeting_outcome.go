package lantern

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Recording what a meeting decided, as a plan: CheckOutcome checks the
// outcome on its own; PlanOutcome checks it against the meeting and says
// what recording it does. The store reads what the plan needs, and carries
// it out in one transaction (store.RecordOutcome).

// CheckOutcome trims an outcome's text and checks its own fields.
func CheckOutcome(o *Outcome) error {
	var p Problems
	for i, d := range o.Decisions {
		f := "decisions[" + strconv.Itoa(i) + "]"
		if !slices.Contains(MeetingLevels, d.Level) {
			p.Add(f+".level", "The level must be emerging, medium or high")
		}
		if len(d.Rationale) > 20000 {
			p.Add(f+".rationale", "The rationale must be 20000 characters or fewer")
		}
		for _, r := range d.Recommendations {
			if !Recommendation(r).Valid() {
				p.Add(f+".recommendations", "Each recommendation must be one of "+OneOf(Recommendations))
				break
			}
		}
	}
	for i, a := range o.Actions {
		f := "actions[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(a.Description) == "" {
			p.Add(f+".description", "Say what is to be done")
		} else if len(a.Description) > 5000 {
			p.Add(f+".description", "The description must be 5000 characters or fewer")
		}
		if strings.TrimSpace(a.Owner) == "" {
			p.Add(f+".owner", "Give the action's owner: a user's id or email address")
		}
		if a.DueDate.IsZero() {
			p.Add(f+".due_date", "Give the date the action is due, as YYYY-MM-DD")
		}
	}
	if !o.Held && len(o.Decisions) > 0 {
		p.Add("held", "A meeting that was not held made no decisions")
	}
	o.Chair, o.Minutes, o.Associates = strings.TrimSpace(o.Chair), strings.TrimSpace(o.Minutes), strings.TrimSpace(o.Associates)
	if len(o.Chair) > 200 {
		p.Add("chair", "The chair's name must be 200 characters or fewer")
	}
	if len(o.Minutes) > 200000 {
		p.Add("minutes", "The minutes must be 200000 characters or fewer")
	}
	if len(o.Associates) > 50000 {
		p.Add("associates", "What is known of associates must be 50000 characters or fewer")
	}
	for id, a := range o.Attendance {
		if !a.Valid() {
			p.Add("attendance."+id, "Attendance must be attended, apologies, sent-report or absent")
		}
	}
	return p.Err()
}

// ActionOwner is the person an action names as its owner, as the store found
// them: a user, not disabled, who works on children's records (Found), and
// their agency.
type ActionOwner struct {
	ID, AgencyID string
	Found        bool
}

// OutcomePlan is what recording a meeting's outcome does.
type OutcomePlan struct {
	Status     MeetingStatus // held or not held
	Decisions  []MeetingDecision
	Attendance map[string]Attendance
	// NextMeeting are the tasks, one a child, to arrange the next meeting
	// by its date: each ends when a meeting of the kind is arranged.
	NextMeeting []*Task
	Actions     []PlannedAction
}

// PlannedAction is an action to record: its task on the meeting's first
// child (none for a meeting about no child), and the agency it involves with
// each child (the owner's: they must open the child's record to act).
type PlannedAction struct {
	Action        MeetingAction // Owner is the owner's user id; AgencyID the team that holds the task
	Task          *Task
	InvolveAgency string
}

// PlanOutcome checks an outcome against the meeting it records, seen at
// version, and plans it. owners are the actions' owners as found, in order;
// agencyKnown says, for each action, whether the agency it names (if any)
// is one of the area's.
func PlanOutcome(m *Meeting, version int, o Outcome, owners []ActionOwner, agencyKnown []bool, now time.Time) (*OutcomePlan, error) {
	if m.Version != version {
		return nil, &Error{Code: ECONFLICT, Message: "The meeting has changed, or its outcome is already recorded: look again", Current: m}
	}
	// A meeting ahead of now may be recorded as held: the API takes times
	// ahead (see CheckEventTime); the page refuses it.
	if m.Status == MeetingCancelled {
		return nil, Invalid(FieldError{Field: "held", Message: "The meeting was cancelled"})
	}
	// An outcome is recorded once: recording it again would add its
	// actions, and their tasks, a second time.
	if m.Status != MeetingScheduled {
		return nil, &Error{Code: ECONFLICT, Message: "The meeting's outcome is already recorded", Current: m}
	}
	var p Problems
	decided := map[string]bool{}
	for i, d := range o.Decisions {
		if !slices.Contains(m.ChildIDs, d.ChildID) {
			p.Add("decisions["+strconv.Itoa(i)+"].child_id", "This child is not on the meeting")
		}
		if decided[d.ChildID] {
			p.Add("decisions["+strconv.Itoa(i)+"].child_id", "Only one decision per child")
		}
		decided[d.ChildID] = true
	}
	invited := map[string]bool{}
	for _, v := range m.Invitees {
		invited[v.ID] = true
	}
	for id := range o.Attendance {
		if !invited[id] {
			p.Add("attendance."+id, "This is not someone invited to the meeting")
		}
	}
	if !o.NextMeetingDate.IsZero() && o.NextMeetingDate.Before(DateOf(m.StartsAt.In(London))) {
		p.Add("next_meeting_date", "The next meeting must be on or after this one")
	}
	for i := range o.Actions {
		f := "actions[" + strconv.Itoa(i) + "]"
		// An owner works on children's records (the editing roles): their
		// task is about a child they must open.
		if i >= len(owners) || !owners[i].Found {
			p.Add(f+".owner", "The owner must be a Lantern user who works on children's records: give their id or email address")
		}
		if o.Actions[i].AgencyID != "" && (i >= len(agencyKnown) || !agencyKnown[i]) {
			p.Add(f+".agency_id", "The agency must be one of the area's agencies")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	plan := &OutcomePlan{Status: MeetingHeld, Attendance: o.Attendance}
	if !o.Held {
		plan.Status = MeetingNotHeld
	}
	for _, d := range o.Decisions {
		d.Rationale = strings.TrimSpace(d.Rationale)
		if d.Recommendations == nil {
			d.Recommendations = []string{}
		}
		plan.Decisions = append(plan.Decisions, d)
	}
	// (An outcome is recorded once, so there is no earlier date's task to
	// replace.)
	if !o.NextMeetingDate.IsZero() {
		for _, c := range m.ChildIDs {
			plan.NextMeeting = append(plan.NextMeeting, &Task{ChildID: c, Clock: ClockNextMeeting, StartedAt: now, DueDate: o.NextMeetingDate,
				DueAt: EndOfDay(o.NextMeetingDate), AssigneeID: m.CreatedBy, TeamAgencyID: m.AgencyID, Source: "meeting", SourceID: m.ID})
		}
	}
	for i, a := range o.Actions {
		team := owners[i].AgencyID
		if a.AgencyID != "" {
			team = a.AgencyID
		}
		pa := PlannedAction{Action: MeetingAction{Description: strings.TrimSpace(a.Description), Owner: owners[i].ID, AgencyID: team, DueDate: a.DueDate},
			InvolveAgency: owners[i].AgencyID}
		if len(m.ChildIDs) > 0 {
			pa.Task = &Task{ChildID: m.ChildIDs[0], Clock: ClockMeetingAction, StartedAt: now, DueDate: a.DueDate, DueAt: EndOfDay(a.DueDate),
				AssigneeID: owners[i].ID, TeamAgencyID: team, Source: "meeting-action"}
		}
		plan.Actions = append(plan.Actions, pa)
	}
	return plan, nil
}
