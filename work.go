package lantern

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Decisions make work (docs/pathway.md#decisions-make-work): a meeting's
// recommendations, and what follows a return interview, become tasks with
// an owner and a date. A work task is not a statutory clock: it has a kind
// (WorkKind), and ends when its owner records what was done, with a note.
// Where a statutory clock already does the work (an initial conference, a
// return interview after an episode), that clock is started, or left to run,
// instead.

// ClockWork is the clock of every work task; its kind says what it asks.
const ClockWork = "work"

// WorkKind is what a work task asks to be done.
type WorkKind string

const (
	WorkS47                 WorkKind = "s47"
	WorkICPC                WorkKind = "icpc" // the statutory icpc clock
	WorkEarlyHelp           WorkKind = "early-help"
	WorkPoliceInvestigation WorkKind = "police-investigation"
	WorkReturnInterview     WorkKind = "return-interview" // unless an episode's clock runs
	WorkReviewMeeting       WorkKind = "strategy-meeting-review"
	WorkStrategyDiscussion  WorkKind = "strategy-discussion"
	WorkToolkit             WorkKind = "toolkit-reassessment" // the toolkit-reassessment clock
	WorkReferral            WorkKind = "referral"
	WorkNewConcern          WorkKind = "new-concern"
	WorkReassessment        WorkKind = "reassessment"
	WorkPoliceIntelligence  WorkKind = "police-intelligence"
	WorkStrategyMeeting     WorkKind = "strategy-meeting"
	WorkSafetyPlan          WorkKind = "safety-plan"
)

// WorkKinds lists every kind.
var WorkKinds = []WorkKind{WorkS47, WorkICPC, WorkEarlyHelp, WorkPoliceInvestigation, WorkReturnInterview, WorkReviewMeeting,
	WorkStrategyDiscussion, WorkToolkit, WorkReferral, WorkNewConcern, WorkReassessment, WorkPoliceIntelligence, WorkStrategyMeeting, WorkSafetyPlan}

func (k WorkKind) Valid() bool { return slices.Contains(WorkKinds, k) }

// Label says what the task asks, in words.
func (k WorkKind) Label() string {
	return labelOf(k, map[WorkKind]string{
		WorkS47: "Start the section 47 enquiries", WorkICPC: "Hold the initial child protection conference",
		WorkEarlyHelp: "Offer early help", WorkPoliceInvestigation: "Ask the police to investigate",
		WorkReturnInterview: "Arrange a return interview", WorkReviewMeeting: "Arrange the review strategy meeting",
		WorkStrategyDiscussion: "Hold a strategy discussion", WorkToolkit: "Complete the toolkit again",
		WorkReferral: "Refer to children's social care", WorkNewConcern: "Record the new concern",
		WorkReassessment: "Complete the toolkit again", WorkPoliceIntelligence: "Share intelligence with the police",
		WorkStrategyMeeting: "Ask for a strategy meeting", WorkSafetyPlan: "Make a safety plan with the young person"})
}

// Description says what to do, in a sentence or two, for the task's page.
func (k WorkKind) Description() string {
	return labelOf(k, map[WorkKind]string{
		WorkS47:                 "The meeting recommended section 47 enquiries. Start them, with the police where a crime may have been committed, and record the enquiry on the child's record.",
		WorkICPC:                "Convene the initial child protection conference and record it when it is held.",
		WorkEarlyHelp:           "Offer the young person and their family early help (a CAF or the area's early help assessment), and note what was agreed.",
		WorkPoliceInvestigation: "Ask the police exploitation unit to investigate, giving them what is known of associates and places, and note their reference.",
		WorkReturnInterview:     "Arrange for an independent person to offer the young person a return interview, and record it on the missing episode.",
		WorkReviewMeeting:       "Arrange the review CSE strategy meeting through the diary manager.",
		WorkStrategyDiscussion:  "Hold a strategy discussion with the police and the other agencies, and record what it decided.",
		WorkToolkit:             "Complete the CSE profiling toolkit again, and record the assessment.",
		WorkReferral:            "Refer the young person to children's social care through the front door.",
		WorkNewConcern:          "Record what the return interview found as a new concern on the child's record.",
		WorkReassessment:        "Complete the CSE profiling toolkit again in the light of the return interview.",
		WorkPoliceIntelligence:  "Complete the Concerns Network Information Sharing Form and send it to the police intelligence mailbox.",
		WorkStrategyMeeting:     "Ask the social worker and the CSE coordinator for a CSE strategy meeting about the young person.",
		WorkSafetyPlan:          "Agree a safety plan with the young person and their carers, and note what it says and who has it."})
}

// Unit is how a timescale counts.
type Unit string

const (
	UnitWorkingDays Unit = "working-days"
	UnitHours       Unit = "hours"
)

// Timescale is a number of units.
type Timescale struct {
	N    int
	Unit Unit
}

// Text is the timescale in words: "1 working day", "72 hours".
func (t Timescale) Text() string {
	u := map[Unit]string{UnitWorkingDays: "working day", UnitHours: "hour"}[t.Unit]
	if t.N != 1 {
		u += "s"
	}
	return strconv.Itoa(t.N) + " " + u
}

// Timescale is how long a work task of the kind has (docs/pathway.md#decisions-make-work).
// The two kinds done by a statutory clock have that clock's timescale, set
// by the profile; theirs here is used only by a profile without the clock.
func (k WorkKind) Timescale() Timescale {
	switch k {
	case WorkReturnInterview:
		return Timescale{72, UnitHours}
	case WorkEarlyHelp, WorkReviewMeeting:
		return Timescale{10, UnitWorkingDays}
	case WorkICPC:
		return Timescale{15, UnitWorkingDays}
	case WorkToolkit:
		return Timescale{60, UnitWorkingDays}
	case WorkReassessment, WorkSafetyPlan:
		return Timescale{5, UnitWorkingDays}
	}
	return Timescale{1, UnitWorkingDays}
}

// Clock is the statutory clock that does the work ("" for none): its task
// is started instead of a work task.
func (k WorkKind) Clock() string {
	switch k {
	case WorkICPC:
		return ClockICPC
	case WorkToolkit:
		return ClockToolkitReassessment
	}
	return ""
}

// CoveredBy is the clock whose open task already asks for the work: while
// the child has one, no task is made.
func (k WorkKind) CoveredBy() string {
	switch k {
	case WorkICPC:
		return ClockICPC
	case WorkToolkit:
		return ClockToolkitReassessment
	case WorkReturnInterview:
		return ClockReturnInterview
	case WorkReviewMeeting, WorkStrategyMeeting:
		return ClockNextMeeting
	}
	return ""
}

// WorkDue is when a work task started at start is due: hours counted as real
// hours; working days, by addWorkingDays (the area's calendar), to the end of
// the day they end on.
func WorkDue(ts Timescale, start time.Time, addWorkingDays func(Date, int) Date) (Date, time.Time) {
	if ts.Unit == UnitHours {
		at := start.Add(time.Duration(ts.N) * time.Hour).In(London)
		return DateOf(at), at
	}
	d := addWorkingDays(Today(start), ts.N)
	return d, EndOfDay(d)
}

// Recommendation is what a meeting may recommend for a child (docs/api.md#meetings).
type Recommendation string

const (
	RecS47                   Recommendation = "s47"
	RecICPC                  Recommendation = "icpc"
	RecEarlyHelp             Recommendation = "early-help"
	RecPoliceInvestigation   Recommendation = "police-investigation"
	RecReturnInterview       Recommendation = "return-interview"
	RecStrategyMeetingReview Recommendation = "strategy-meeting-review"
	RecStrategyDiscussion    Recommendation = "strategy-discussion"
	RecToolkitReassessment   Recommendation = "toolkit-reassessment"
	RecReferral              Recommendation = "referral"
	RecNoFurtherAction       Recommendation = "no-further-action"
)

// Recommendations are those a meeting may make, in the order shown.
var Recommendations = []Recommendation{RecS47, RecICPC, RecStrategyDiscussion, RecEarlyHelp, RecPoliceInvestigation, RecReturnInterview,
	RecToolkitReassessment, RecReferral, RecStrategyMeetingReview, RecNoFurtherAction}

func (r Recommendation) Valid() bool { return slices.Contains(Recommendations, r) }

// Label is the recommendation in words.
func (r Recommendation) Label() string {
	return labelOf(r, map[Recommendation]string{RecS47: "Section 47 enquiries", RecICPC: "Initial child protection conference",
		RecEarlyHelp: "Early help", RecPoliceInvestigation: "Police investigation", RecReturnInterview: "Return interview",
		RecStrategyMeetingReview: "Review strategy meeting", RecStrategyDiscussion: "Strategy discussion",
		RecToolkitReassessment: "Complete the toolkit again", RecReferral: "Referral to children's social care",
		RecNoFurtherAction: "No further action"})
}

// Work is the work the recommendation makes ("" for none).
func (r Recommendation) Work() WorkKind {
	if r == RecNoFurtherAction || !r.Valid() {
		return ""
	}
	return WorkKind(r) // each other recommendation's id is its work's
}

// RecommendationLabel is a recommendation in words (one recorded before the
// list was fixed, as given).
func RecommendationLabel(r string) string { return Recommendation(r).Label() }

// FollowUpWork is the work a return interview's follow-up makes.
func FollowUpWork(f string) WorkKind {
	if !slices.Contains(FollowUps, f) {
		return ""
	}
	return WorkKind(f) // each follow-up's id is its work's
}

// WorkOwner is who a work task goes to: the child's allocated social worker
// when there is one who can take it (Found: a user, not disabled, who works
// on children's records), else the fallback (the meeting's organiser, or the
// person who recorded the interview).
func WorkOwner(allocated, fallback ActionOwner) ActionOwner {
	if allocated.Found && allocated.ID != "" {
		return allocated
	}
	return fallback
}

// WorkDues are what planning work needs of the deployment: its calendar's
// working days, and a statutory clock's due date by its profile (false when
// the profile has no such clock).
type WorkDues struct {
	AddWorkingDays func(Date, int) Date
	Statutory      func(clock string, start time.Time) (Date, time.Time, bool)
}

// PlannedWork is the task a recommendation or follow-up makes for a child,
// or, with no task, the open clock that already covers it.
type PlannedWork struct {
	ChildID   string
	Kind      WorkKind
	Task      *Task
	CoveredBy string
}

// PlanWork plans the tasks for kinds of work on a child, started at start,
// owned by owner. open holds the clocks with an open task on the child; it
// is updated with those planned, so that one plan never asks twice. A kind
// asked for twice is planned once.
func PlanWork(childID string, kinds []WorkKind, start time.Time, owner ActionOwner, open map[string]bool, d WorkDues, source, sourceID string) []PlannedWork {
	var out []PlannedWork
	seen := map[WorkKind]bool{}
	for _, k := range kinds {
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		pw := PlannedWork{ChildID: childID, Kind: k}
		if c := k.CoveredBy(); c != "" && open[c] {
			pw.CoveredBy = c
			out = append(out, pw)
			continue
		}
		t := &Task{ChildID: childID, Clock: ClockWork, Kind: k, StartedAt: start.UTC().Truncate(time.Microsecond), AssigneeID: owner.ID,
			TeamAgencyID: owner.AgencyID, Source: source, SourceID: sourceID}
		done := false
		if c := k.Clock(); c != "" && d.Statutory != nil {
			if due, at, ok := d.Statutory(c, start); ok {
				t.Clock, t.Kind, t.DueDate, t.DueAt, done = c, "", due, at, true
			}
		}
		if !done {
			t.DueDate, t.DueAt = WorkDue(k.Timescale(), start, d.AddWorkingDays)
		}
		if c := k.CoveredBy(); c != "" {
			open[c] = true
		}
		pw.Task = t
		out = append(out, pw)
	}
	return out
}

// PlanRecommendations plans the work a held meeting's decisions make, for
// each child: counted from the meeting's start (when it decided), owned as
// owners says (by WorkOwner), with open the clocks each child has open.
// When the outcome sets the next meeting's date, that task covers a review
// meeting recommended.
func PlanRecommendations(m *Meeting, decisions []MeetingDecision, nextMeeting bool, owners map[string]ActionOwner, open map[string]map[string]bool, d WorkDues) []PlannedWork {
	var out []PlannedWork
	for _, dec := range decisions {
		var kinds []WorkKind
		for _, r := range dec.Recommendations {
			kinds = append(kinds, Recommendation(r).Work())
		}
		o := open[dec.ChildID]
		if o == nil {
			o = map[string]bool{}
		}
		if nextMeeting {
			o[ClockNextMeeting] = true
		}
		out = append(out, PlanWork(dec.ChildID, kinds, m.StartsAt, owners[dec.ChildID], o, d, "meeting", m.ID)...)
	}
	return out
}

// CompletesByNote reports whether a task ends when someone records what was
// done: a work task, or a meeting's action. A statutory clock's task ends
// when its event is recorded (or a manager closes it, with a reason).
func (t *Task) CompletesByNote() bool { return t.Clock == ClockWork || t.Clock == ClockMeetingAction }

// Relation is u's relation to a task for acting on it: own when their
// agency's team holds it or it is theirs; other otherwise.
func (t *Task) Relation(u *User) Relation {
	if u != nil && (u.AgencyID == t.TeamAgencyID || (t.AssigneeID != "" && u.ID == t.AssigneeID)) {
		return RelOwn
	}
	return RelOther
}

// MaxTaskNote is the longest note of what was done.
const MaxTaskNote = 5000

// CheckTaskNote trims and checks the note of what was done.
func CheckTaskNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return "", Invalid(FieldError{Field: "note", Message: "Say what was done"})
	case len(note) > MaxTaskNote:
		return "", Invalid(FieldError{Field: "note", Message: "The note must be " + strconv.Itoa(MaxTaskNote) + " characters or fewer"})
	}
	return note, nil
}
