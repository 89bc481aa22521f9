package lantern

import "time"

// TaskStatus is where a task is.
type TaskStatus string

const (
	TaskOpen   TaskStatus = "open"
	TaskDone   TaskStatus = "done"   // its ending event was recorded
	TaskClosed TaskStatus = "closed" // closed by a manager, with a reason
)

// Task is work with a deadline: made by a clock (docs/timescales.md) and
// ended by the event that stops it, or work a decision made (a work task,
// docs/pathway.md#decisions-make-work), ended by a note of what was done.
type Task struct {
	ID      string     `json:"id"`
	ChildID string     `json:"child_id"`
	Clock   string     `json:"clock"`
	Status  TaskStatus `json:"status"`
	// DueDate is the local date it is due; DueAt the moment (the end of the
	// due date, 23:59:59 in London, for clocks counted in days).
	DueDate      Date       `json:"due_date"`
	DueAt        time.Time  `json:"due_at"`
	Profile      string     `json:"profile"`
	Calendar     string     `json:"calendar,omitempty"`
	StartedAt    time.Time  `json:"started_at"`
	AssigneeID   string     `json:"assignee_id,omitempty"`
	TeamAgencyID string     `json:"team_agency_id,omitempty"`
	Source       string     `json:"source,omitempty"`
	SourceID     string     `json:"source_id,omitempty"`
	DoneAt       *time.Time `json:"done_at,omitempty"`
	ClosedReason string     `json:"closed_reason,omitempty"`
	// Kind is what a work task (clock "work") asks; "" for a clock's task.
	Kind WorkKind `json:"kind,omitempty"`
	// Note is what was done, recorded by DoneBy when a work task or a
	// meeting's action was completed on its page.
	Note    string `json:"note,omitempty"`
	DoneBy  string `json:"done_by,omitempty"`
	Version int    `json:"version"`
	// LocalProfile and LocalDueAt are the area's local timescales and the
	// deadline they set, where tighter than the statutory one
	// (docs/timescales.md#local-timescales).
	LocalProfile string     `json:"local_profile,omitempty"`
	LocalDueAt   *time.Time `json:"local_due_at,omitempty"`
}

// ActBy is the earlier of the statutory and the local deadline.
func (t *Task) ActBy() time.Time {
	if t.LocalDueAt != nil && t.LocalDueAt.Before(t.DueAt) {
		return *t.LocalDueAt
	}
	return t.DueAt
}

// EndOfDay is 23:59:59 in London on d: when a task due that day is due.
func EndOfDay(d Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, London)
}

// Late reports whether an open task is past due at now.
func (t *Task) Late(now time.Time) bool { return t.Status == TaskOpen && now.After(t.DueAt) }

// Clock ids (docs/timescales.md describes each). The clocks package holds
// their timescales; the ids are here, with the rest of the domain's values,
// for the plans that start and stop them.
const (
	ClockReferralDecision        = "referral-decision"
	ClockReferralWrittenFollowup = "referral-written-followup"
	ClockReferrerFeedback        = "referrer-feedback"
	ClockAssessment              = "assessment"
	ClockCoreAssessment          = "core-assessment"
	ClockICPC                    = "icpc"
	ClockCoreGroup               = "core-group"
	ClockFirstReview             = "first-review"
	ClockNextReview              = "next-review"
	ClockReturnInterview         = "return-interview"
	ClockToolkitReassessment     = "toolkit-reassessment"
)
