package lantern

import (
	"slices"
	"time"
)

// Meeting kinds, as the API names them (docs/api.md#meetings).
var MeetingKinds = []string{"cse-strategy", "strategy-discussion", "icpc", "review", "core-group", "context-conference"}

// MeetingKindLabel names a kind of meeting in words.
func MeetingKindLabel(k string) string {
	switch k {
	case "cse-strategy":
		return "CSE strategy meeting"
	case "strategy-discussion":
		return "Strategy discussion"
	case "icpc":
		return "Initial child protection conference"
	case "review":
		return "Review child protection conference"
	case "core-group":
		return "Core group meeting"
	case "context-conference":
		return "Context conference"
	}
	return k
}

// Meeting is a meeting about one or several children.
type Meeting struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind"`
	ChildIDs  []string          `json:"child_ids"`
	StartsAt  time.Time         `json:"starts_at"`
	EndsAt    time.Time         `json:"ends_at"`
	Location  string            `json:"location"`
	Status    string            `json:"status"` // scheduled, held, not-held, cancelled
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
	AgencyID string `json:"agency_id,omitempty"`
	Role     string `json:"role,omitempty"`
	// Attendance is "", attended, apologies, sent-report or absent.
	Attendance   string     `json:"attendance"`
	Removed      bool       `json:"removed,omitempty"`
	SentSequence int        `json:"sent_sequence"` // -1: never sent
	SentAt       *time.Time `json:"sent_at,omitempty"`
	SendError    string     `json:"send_error,omitempty"`
}

// Attendances are the answers to "did they come?".
var Attendances = []string{"attended", "apologies", "sent-report", "absent"}

// AttendanceLabel names an attendance in words.
func AttendanceLabel(a string) string {
	switch a {
	case "attended":
		return "Attended"
	case "apologies":
		return "Sent apologies"
	case "sent-report":
		return "Sent a report"
	case "absent":
		return "Did not attend"
	}
	return "Not recorded"
}

// InformationShare is one send of a child's information: to whom, what, why
// and when.
type InformationShare struct {
	ID              string     `json:"id"`
	ChildID         string     `json:"child_id"`
	MeetingID       string     `json:"meeting_id,omitempty"`
	What            string     `json:"what"` // minutes, toolkit
	AssessmentID    string     `json:"assessment_id,omitempty"`
	RecipientName   string     `json:"recipient_name"`
	RecipientEmail  string     `json:"recipient_email"`
	RecipientAgency string     `json:"recipient_agency"`
	RecipientRole   string     `json:"recipient_role,omitempty"`
	Purpose         string     `json:"purpose"`
	SharedAt        time.Time  `json:"shared_at"`
	SharedBy        string     `json:"shared_by"`
	SentAt          *time.Time `json:"sent_at,omitempty"`
	SendError       string     `json:"send_error,omitempty"`
}

// MeetingLevels are the levels a strategy meeting decides.
var MeetingLevels = []string{"emerging", "medium", "high"}

// Recommendations a meeting may make (others are kept as given).
var Recommendations = []string{"s47", "icpc", "early-help", "strategy-meeting-review", "police-investigation", "return-interview", "no-further-action"}

// ValidMeetingKind reports whether k is a kind of meeting.
func ValidMeetingKind(k string) bool { return slices.Contains(MeetingKinds, k) }

// ClockMeetingAction is the clock of a meeting's action: due on its date.
const ClockMeetingAction = "meeting-action"

// ClockNextMeeting is the next meeting's date, set at a meeting: it ends
// when a meeting of the same kind about the child is arranged.
const ClockNextMeeting = "next-meeting"
