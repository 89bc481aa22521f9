package lantern

import (
	"slices"
	"time"
)

// MeetingKind is a kind of meeting, as the API names it (docs/api.md#meetings).
type MeetingKind string

const (
	MeetingCSEStrategy        MeetingKind = "cse-strategy"
	MeetingStrategyDiscussion MeetingKind = "strategy-discussion"
	MeetingICPC               MeetingKind = "icpc"
	MeetingReview             MeetingKind = "review"
	MeetingCoreGroup          MeetingKind = "core-group"
	MeetingContextConference  MeetingKind = "context-conference"
)

// MeetingKinds lists every kind, in the order shown.
var MeetingKinds = []MeetingKind{MeetingCSEStrategy, MeetingStrategyDiscussion, MeetingICPC, MeetingReview, MeetingCoreGroup, MeetingContextConference}

func (k MeetingKind) Valid() bool { return slices.Contains(MeetingKinds, k) }

// Label is the kind in words.
func (k MeetingKind) Label() string {
	return labelOf(k, map[MeetingKind]string{MeetingCSEStrategy: "CSE strategy meeting", MeetingStrategyDiscussion: "Strategy discussion",
		MeetingICPC: "Initial child protection conference", MeetingReview: "Review child protection conference",
		MeetingCoreGroup: "Core group meeting", MeetingContextConference: "Context conference"})
}

// MayBeAboutNoChild reports whether a meeting of the kind may be about no
// child: a context conference, about a place or a group.
func (k MeetingKind) MayBeAboutNoChild() bool { return k == MeetingContextConference }

// MeetingStatus is where a meeting is: to be held, held, not held, or
// cancelled. Only a meeting to be held is moved, its invitations changed or
// its outcome recorded.
type MeetingStatus string

const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingHeld      MeetingStatus = "held"
	MeetingNotHeld   MeetingStatus = "not-held"
	MeetingCancelled MeetingStatus = "cancelled"
)

// Meeting is a meeting about one or several children.
type Meeting struct {
	ID        string            `json:"id"`
	Kind      MeetingKind       `json:"kind"`
	ChildIDs  []string          `json:"child_ids"`
	StartsAt  time.Time         `json:"starts_at"`
	EndsAt    time.Time         `json:"ends_at"`
	Location  string            `json:"location"`
	Status    MeetingStatus     `json:"status"`
	Held      *bool             `json:"held,omitempty"`
	Decisions []MeetingDecision `json:"decisions"`
	Actions   []MeetingAction   `json:"actions"`
	Version   int               `json:"version"`
	// Sequence goes up when the time or place changes or the meeting is
	// cancelled: the calendar file's SEQUENCE, so calendars take the update.
	Sequence int `json:"sequence"`
	// AssessmentID is the completed toolkit attached when it was arranged.
	AssessmentID string `json:"assessment_id,omitempty"`
	// YoungPerson and Carers are "invited", "not-invited" (with the reason
	// why not: carers are not invited where implicated) or "" (not decided).
	YoungPerson       string     `json:"young_person"`
	YoungPersonReason string     `json:"young_person_reason,omitempty"`
	Carers            string     `json:"carers"`
	CarersReason      string     `json:"carers_reason,omitempty"`
	CancelReason      string     `json:"cancel_reason,omitempty"`
	Invitees          []Invitee  `json:"invitees"`
	Chair             string     `json:"chair"`
	Minutes           string     `json:"minutes"`
	Associates        string     `json:"associates"`
	NextMeetingDate   *Date      `json:"next_meeting_date,omitempty"`
	AgencyID          string     `json:"agency_id"`
	CreatedBy         string     `json:"created_by"`
	CreatedAt         time.Time  `json:"created_at"`
	OutcomeAt         *time.Time `json:"outcome_at,omitempty"`
}

// MeetingDecision is the level a meeting decided for a child, and why.
type MeetingDecision struct {
	ChildID         string   `json:"child_id"`
	Level           string   `json:"level"` // emerging, medium, high
	Rationale       string   `json:"rationale"`
	Recommendations []string `json:"recommendations"`
}

// MeetingAction is something to be done, by someone, by a date.
type MeetingAction struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Owner       string `json:"owner"` // a user's id or email address
	OwnerName   string `json:"owner_name,omitempty"`
	AgencyID    string `json:"agency_id,omitempty"`
	DueDate     Date   `json:"due_date"`
	TaskID      string `json:"task_id,omitempty"`
	// Status is the task's: open, done or closed.
	Status TaskStatus `json:"status"`
	DoneAt *time.Time `json:"done_at,omitempty"`
}

// Invitee is someone invited to a meeting, from the directory or not, and
// whether they came.
type Invitee struct {
	ID        string `json:"id"`
	ContactID string `json:"contact_id,omitempty"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Agency    string `json:"agency"`
	// AgencyID is the directory entry's agency, whom the invitation
	// involves with the meeting's children ("" for someone not in it).
	AgencyID     string     `json:"agency_id,omitempty"`
	Role         string     `json:"role,omitempty"`
	Attendance   Attendance `json:"attendance"`
	Removed      bool       `json:"removed,omitempty"`
	SentSequence int        `json:"sent_sequence"` // -1: never sent
	SentAt       *time.Time `json:"sent_at,omitempty"`
	SendError    string     `json:"send_error,omitempty"`
}

// Attendance is the answer to "did they come?" ("" until recorded).
type Attendance string

const (
	Attended      Attendance = "attended"
	SentApologies Attendance = "apologies"
	SentReport    Attendance = "sent-report"
	Absent        Attendance = "absent"
)

// Attendances lists every answer, in the order shown.
var Attendances = []Attendance{Attended, SentApologies, SentReport, Absent}

func (a Attendance) Valid() bool { return slices.Contains(Attendances, a) }

// Label is the answer in words.
func (a Attendance) Label() string {
	if a == "" {
		return "Not recorded"
	}
	return labelOf(a, map[Attendance]string{Attended: "Attended", SentApologies: "Sent apologies", SentReport: "Sent a report", Absent: "Did not attend"})
}

// MeetingLevels are the levels a strategy meeting decides.
var MeetingLevels = []string{"emerging", "medium", "high"}

// ClockMeetingAction is the clock of a meeting's action: due on its date.
const ClockMeetingAction = "meeting-action"

// ClockNextMeeting is the next meeting's date, set at a meeting: it ends
// when a meeting of the same kind about the child is arranged.
const ClockNextMeeting = "next-meeting"
