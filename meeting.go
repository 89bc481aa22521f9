package lantern

import (
	"slices"
	"time"
)

// Meeting kinds, as api.md names them.
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
	Status    string            `json:"status"` // scheduled, held, cancelled
	Held      *bool             `json:"held,omitempty"`
	Decisions []MeetingDecision `json:"decisions"`
	Actions   []MeetingAction   `json:"actions"`
	Version   int               `json:"version"`
	CreatedBy string            `json:"created_by"`
	CreatedAt time.Time         `json:"created_at"`
	OutcomeAt *time.Time        `json:"outcome_at,omitempty"`
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
	DueDate     Date   `json:"due_date"`
	TaskID      string `json:"task_id,omitempty"`
}

// MeetingLevels are the levels a strategy meeting decides.
var MeetingLevels = []string{"emerging", "medium", "high"}

// Recommendations a meeting may make (others are kept as given).
var Recommendations = []string{"s47", "icpc", "early-help", "strategy-meeting-review", "police-investigation", "return-interview", "no-further-action"}

// ValidMeetingKind reports whether k is a kind of meeting.
func ValidMeetingKind(k string) bool { return slices.Contains(MeetingKinds, k) }

// ClockMeetingAction is the clock of a meeting's action: due on its date.
const ClockMeetingAction = "meeting-action"
