package lantern

import (
	"fmt"
	"strings"
	"time"
)

// Referral is a referral to children's social care.
type Referral struct {
	ID                    string           `json:"id"`
	ChildID               string           `json:"child_id"`
	ReceivedAt            time.Time        `json:"received_at"`
	Method                ReferralMethod   `json:"method"`
	Referrer              Referrer         `json:"referrer"`
	Decision              ReferralDecision `json:"decision,omitempty"`
	DecidedAt             *time.Time       `json:"decided_at,omitempty"`
	WrittenConfirmationAt *time.Time       `json:"written_confirmation_at,omitempty"`
	FeedbackAt            *time.Time       `json:"feedback_at,omitempty"`
	Version               int              `json:"version"`
	Tasks                 []*Task          `json:"tasks"`

	// The front door's (docs/frontdoor.md): where the referral came from,
	// the decision's reason and deadline, screening and consent.
	Source         ReferralSource `json:"source"`
	ConcernID      string         `json:"concern_id,omitempty"`
	FromAgencyID   string         `json:"from_agency_id,omitempty"`
	ReferrerID     string         `json:"referrer_id,omitempty"`
	ImmediateRisk  bool           `json:"immediate_risk"`
	DecisionReason string         `json:"decision_reason,omitempty"`
	DecidedBy      string         `json:"decided_by,omitempty"`
	DecisionDueAt  *time.Time     `json:"decision_due_at,omitempty"`
	RAG            RAG            `json:"rag,omitempty"`
	Consent        ConsentRecord  `json:"consent"`
}

// Referrer is who made a referral.
type Referrer struct {
	Name   string `json:"name"`
	Agency string `json:"agency"`
}

// ValidateReferral checks a new referral.
func ValidateReferral(r *Referral, now time.Time) error {
	var p Problems
	checkEventTime(&p, "received_at", r.ReceivedAt, now)
	if !r.Method.Valid() {
		p.Add("method", "The method must be phone, written or online")
	}
	r.Referrer.Name = strings.TrimSpace(r.Referrer.Name)
	r.Referrer.Agency = strings.TrimSpace(r.Referrer.Agency)
	if r.Referrer.Name == "" {
		p.Add("referrer.name", "Enter who made the referral")
	}
	checkText(&p, "referrer.name", "referrer's name", r.Referrer.Name, 200)
	checkText(&p, "referrer.agency", "referrer's agency", r.Referrer.Agency, 200)
	return p.Err()
}

// checkEventTime refuses a missing time, or one too far from now to be
// meant. A time ahead of now is taken: the clocks are worked out from it as
// from any other, and a system may send the time an event is booked for or
// run a little fast. (The pages, where a person types the time, refuse one
// in the future.)
func checkEventTime(p *Problems, field string, t, now time.Time) {
	switch {
	case t.IsZero():
		p.Add(field, "Enter when it happened, as RFC 3339 with an offset")
	case t.After(now.AddDate(MaxYearsAhead, 0, 0)):
		p.Add(field, fmt.Sprintf("The time is too far in the future: more than %d years from now", MaxYearsAhead))
	case t.Before(now.AddDate(-25, 0, 0)):
		p.Add(field, "The time is too far in the past")
	}
}

// MaxYearsAhead bounds how far ahead an event's time may be.
const MaxYearsAhead = 5

// CheckEventTime is checkEventTime for other packages.
func CheckEventTime(p *Problems, field string, t, now time.Time) { checkEventTime(p, field, t, now) }

// StrategyDiscussion decides whether to start section 47 enquiries.
type StrategyDiscussion struct {
	ID           string             `json:"id"`
	ChildID      string             `json:"child_id"`
	HeldAt       time.Time          `json:"held_at"`
	Decision     DiscussionDecision `json:"decision"`
	Participants []Participant      `json:"participants"`
	Notes        string             `json:"notes,omitempty"`
	Tasks        []*Task            `json:"tasks"`
}

// Participant took part in a discussion, from an agency.
type Participant struct {
	Name   string `json:"name"`
	Agency string `json:"agency"`
}

// Conference is an initial or review child protection conference.
type Conference struct {
	ID      string            `json:"id"`
	ChildID string            `json:"child_id"`
	Kind    ConferenceKind    `json:"kind"`
	HeldAt  time.Time         `json:"held_at"`
	Outcome ConferenceOutcome `json:"outcome"`
	// PlanEndReason is why a review that decided on no plan ended the
	// child's plan (no-longer-at-risk when not given); empty otherwise.
	PlanEndReason PlanEndReason `json:"plan_end_reason,omitempty"`
	// Flags say what a manager should look at.
	Flags []string `json:"flags"`
	Tasks []*Task  `json:"tasks"`
}

// FlagNoS47 marks an initial conference with no strategy discussion that
// decided on section 47 enquiries before it.
const FlagNoS47 = "no-s47-strategy-discussion"

// CoreGroup is a core group meeting.
type CoreGroup struct {
	ID      string    `json:"id"`
	ChildID string    `json:"child_id"`
	HeldAt  time.Time `json:"held_at"`
	Tasks   []*Task   `json:"tasks"`
}

// ProtectionPlan is a child protection plan, started by a conference and
// ended by a later one; StartedBy and EndedBy are the conferences' ids.
type ProtectionPlan struct {
	ID        string `json:"id"`
	ChildID   string `json:"child_id"`
	StartedOn Date   `json:"started_on"`
	// EndedOn is zero while the plan is current.
	EndedOn   Date   `json:"ended_on"`
	StartedBy string `json:"started_by"`
	EndedBy   string `json:"ended_by,omitempty"`
	// EndReason is why the plan ended; empty while it is current.
	EndReason PlanEndReason `json:"end_reason,omitempty"`
}

// ChildEvents are a child's statutory events, each list newest first. The
// events' tasks are not loaded (the child's tasks are read on their own).
type ChildEvents struct {
	ChildID             string                `json:"child_id"`
	Referrals           []*Referral           `json:"referrals"`
	StrategyDiscussions []*StrategyDiscussion `json:"strategy_discussions"`
	Conferences         []*Conference         `json:"conferences"`
	CoreGroups          []*CoreGroup          `json:"core_groups"`
	SWAssessments       []*SWAssessment       `json:"social_work_assessments"`
	S47Enquiries        []*S47Enquiry         `json:"s47_enquiries"`
	// Plans are every child protection plan, newest first; Plan is the
	// current one, nil when the child is not on a plan.
	Plans []*ProtectionPlan `json:"plans"`
	Plan  *ProtectionPlan   `json:"plan,omitempty"`
}

// ReferralUpdate records what happened after a referral; each time given
// stops its clock.
type ReferralUpdate struct {
	Decision              ReferralDecision
	DecisionReason        string
	DecidedAt             *time.Time
	WrittenConfirmationAt *time.Time
	FeedbackAt            *time.Time
}

// SWAssessment is a social work assessment: single, initial or core.
type SWAssessment struct {
	ID          string           `json:"id"`
	ChildID     string           `json:"child_id"`
	Kind        SWAssessmentKind `json:"kind"`
	StartedAt   time.Time        `json:"started_at"`
	CompletedAt *time.Time       `json:"completed_at,omitempty"`
	Tasks       []*Task          `json:"tasks"`
}

// S47Enquiry is a section 47 child protection enquiry and its outcome.
type S47Enquiry struct {
	ID                   string     `json:"id"`
	ChildID              string     `json:"child_id"`
	StrategyDiscussionID string     `json:"strategy_discussion_id,omitempty"`
	StartedAt            time.Time  `json:"started_at"`
	CompletedAt          *time.Time `json:"completed_at,omitempty"`
	Outcome              S47Outcome `json:"outcome,omitempty"`
	Version              int        `json:"version"`
	Tasks                []*Task    `json:"tasks"`
}

// Completed reports whether the enquiry's outcome is recorded.
func (e *S47Enquiry) Completed() bool { return e.CompletedAt != nil }

// Current reports whether the plan has not ended.
func (p *ProtectionPlan) Current() bool { return p.EndedOn.IsZero() }
