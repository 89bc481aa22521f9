package lantern

import (
	"slices"
	"strings"
	"time"
)

// ConcernStep is where a concern is on the pathway (docs/pathway.md#concern-steps).
type ConcernStep string

const (
	// StepRecorded: the concern or disclosure is written down; immediate
	// risk, if any, was dealt with first.
	StepRecorded ConcernStep = "recorded"
	// StepChecked: the agency's records were checked and the line manager told.
	StepChecked ConcernStep = "records-checked"
	// StepToolkit: the toolkit was completed (an assessment is attached).
	StepToolkit ConcernStep = "toolkit"
	// StepMonitor: vulnerable or emerging: monitor, record changes, reassess.
	StepMonitor ConcernStep = "monitor"
	// StepReferred: medium or high: referred to the front door, or the
	// allocated social worker contacted.
	StepReferred ConcernStep = "referred"
	// StepStrategyDiscussed: the social worker, CSE coordinator and principal
	// manager discussed the need for a strategy meeting.
	StepStrategyDiscussed ConcernStep = "strategy-discussed"
)

// ConcernSteps lists the steps in pathway order.
var ConcernSteps = []ConcernStep{StepRecorded, StepChecked, StepToolkit, StepMonitor, StepReferred, StepStrategyDiscussed}

// Label is the step in words.
func (s ConcernStep) Label() string {
	switch s {
	case StepRecorded:
		return "Concern recorded"
	case StepChecked:
		return "Agency records checked and line manager informed"
	case StepToolkit:
		return "Toolkit completed"
	case StepMonitor:
		return "Monitoring: record changes and complete the toolkit again"
	case StepReferred:
		return "Referred to children's social care, or allocated social worker contacted"
	case StepStrategyDiscussed:
		return "Need for a strategy meeting discussed"
	}
	return string(s)
}

// NextConcernSteps are the steps a concern may move to from s. The toolkit
// step is reached by recording an assessment, not by hand.
func NextConcernSteps(s ConcernStep) []ConcernStep {
	switch s {
	case StepRecorded:
		return []ConcernStep{StepChecked}
	case StepToolkit:
		return []ConcernStep{StepMonitor, StepReferred}
	case StepMonitor:
		return []ConcernStep{StepReferred}
	case StepReferred:
		return []ConcernStep{StepStrategyDiscussed}
	}
	return nil
}

// CanMoveConcern reports whether a concern at from may move to to by hand.
func CanMoveConcern(from, to ConcernStep) bool { return slices.Contains(NextConcernSteps(from), to) }

// Concern is a worry about a child, or a disclosure, with its pathway.
type Concern struct {
	ID           string    `json:"id"`
	ChildID      string    `json:"child_id"`
	RaisedBy     string    `json:"raised_by"`
	RaisedByName string    `json:"raised_by_name,omitempty"`
	AgencyID     string    `json:"agency_id"`
	AgencyName   string    `json:"agency_name,omitempty"`
	RaisedAt     time.Time `json:"raised_at"`
	// Summary is what was seen or heard.
	Summary string `json:"summary"`
	// DisclosureWords are the young person's words, kept as said.
	Disclosure      bool   `json:"disclosure"`
	DisclosureWords string `json:"disclosure_words,omitempty"`
	ImmediateRisk   bool   `json:"immediate_risk"`
	// ImmediateAction is what was done about immediate risk.
	ImmediateAction string        `json:"immediate_action,omitempty"`
	Step            ConcernStep   `json:"step"`
	AssessmentID    string        `json:"assessment_id,omitempty"`
	Steps           []ConcernMove `json:"steps"`
	Version         int           `json:"version"`
	// ReferralID is the referral the concern made to the front door, if
	// any, and Referral what the front door decided on it.
	ReferralID string           `json:"referral_id,omitempty"`
	Referral   *ConcernReferral `json:"referral,omitempty"`
	// Withheld names the restricted fields left out for the reader
	// (RestrictedFields).
	Withheld []string `json:"withheld,omitempty"`
}

// ConcernReferral is what the referrer sees of the front door's decision.
type ConcernReferral struct {
	ID         string           `json:"id"`
	ReceivedAt time.Time        `json:"received_at"`
	Decision   ReferralDecision `json:"decision,omitempty"`
	DecidedAt  *time.Time       `json:"decided_at,omitempty"`
	Reason     string           `json:"decision_reason,omitempty"`
}

// ConcernMove records who moved a concern to a step, and when.
type ConcernMove struct {
	Step     ConcernStep `json:"step"`
	UserID   string      `json:"user_id"`
	UserName string      `json:"user_name,omitempty"`
	At       time.Time   `json:"at"`
	Note     string      `json:"note,omitempty"`
}

// ConcernInput is what a practitioner records.
type ConcernInput struct {
	RaisedAt        time.Time `json:"raised_at"`
	Summary         string    `json:"summary"`
	Disclosure      bool      `json:"disclosure"`
	DisclosureWords string    `json:"disclosure_words"`
	ImmediateRisk   bool      `json:"immediate_risk"`
	ImmediateAction string    `json:"immediate_action"`
	// Refer sends the concern to the front door as a referral at once;
	// immediate risk always does.
	Refer bool `json:"refer"`
}

// MaxClockSkew is how far in the future an event's time may be, for clocks
// that run a little fast.
const MaxClockSkew = 5 * time.Minute

// Validate checks a concern as of now. The words of a disclosure are kept
// exactly as given: they are not trimmed or changed.
func (in *ConcernInput) Validate(now time.Time) error {
	var p Problems
	in.Summary = strings.TrimSpace(in.Summary)
	in.ImmediateAction = strings.TrimSpace(in.ImmediateAction)
	if in.Summary == "" {
		p.Add("summary", "Enter what was seen, heard or said")
	}
	checkText(&p, "summary", "description", in.Summary, 20000)
	if in.Disclosure && strings.TrimSpace(in.DisclosureWords) == "" {
		p.Add("disclosure_words", "Enter the young person's words, as they said them")
	}
	checkText(&p, "disclosure_words", "young person's words", in.DisclosureWords, 20000)
	if in.ImmediateRisk && in.ImmediateAction == "" {
		p.Add("immediate_action", "Enter what was done about the immediate risk, for example that the emergency services were called")
	}
	checkText(&p, "immediate_action", "action taken", in.ImmediateAction, 5000)
	switch {
	case in.RaisedAt.IsZero():
		p.Add("raised_at", "Enter when the concern arose")
	case in.RaisedAt.After(now.Add(MaxClockSkew)):
		p.Add("raised_at", "The concern's time must not be in the future")
	case in.RaisedAt.Before(now.AddDate(-25, 0, 0)):
		p.Add("raised_at", "The concern's time is too far in the past")
	}
	return p.Err()
}
