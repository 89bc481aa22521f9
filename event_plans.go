package lantern

import (
	"slices"
	"time"
)

// What recording a statutory event does to the child's clocks and plan, as
// plans: pure functions the store carries out (store.CreateConference,
// store.UpdateReferral).

// ClockEnd is a clock whose open tasks end: done (its event recorded), or
// closed with a reason.
type ClockEnd struct {
	Clock  string
	Reason string // closed with this reason; done when empty
}

// ConferencePlan is what recording a child protection conference does.
type ConferencePlan struct {
	// Flags say what a manager should look at.
	Flags []string
	// End are the clocks whose tasks end; Start those started from the
	// conference.
	End   []ClockEnd
	Start []string
	// StartPlan starts a child protection plan (ending any still open);
	// EndPlan ends the one open. EndReason is why a plan open ends.
	StartPlan, EndPlan bool
	EndReason          PlanEndReason
}

// CheckConference checks a conference's own fields.
func CheckConference(c *Conference, now time.Time) error {
	var p Problems
	checkEventTime(&p, "held_at", c.HeldAt, now)
	if !c.Kind.Valid() {
		p.Add("kind", "The kind must be initial or review")
	}
	if !c.Outcome.Valid() {
		p.Add("outcome", "The outcome must be plan or no-plan")
	}
	switch {
	case c.PlanEndReason == "":
	case c.Kind != ConferenceReview || c.Outcome != ConferenceNoPlan:
		p.Add("plan_end_reason", "Give why the plan ended only for a review conference that decided the child does not need a plan")
	case !slices.Contains(ReviewPlanEndReasons, c.PlanEndReason):
		p.Add("plan_end_reason", "The reason must be one of "+OneOf(ReviewPlanEndReasons))
	}
	return p.Err()
}

// PlanConference plans a conference. An initial one stops the conference
// clock and, with a plan, starts the core group's and the first review's; a
// review stops the review clocks and, with a plan, starts the next; without
// a plan the plan ends, and with it the core groups. An initial conference
// that no strategy discussion deciding on s47 enquiries came before
// (s47Before) is allowed, and flagged for the manager.
func PlanConference(c Conference, s47Before bool) ConferencePlan {
	plan := ConferencePlan{Flags: []string{}}
	if c.Kind == ConferenceInitial {
		if !s47Before {
			plan.Flags = append(plan.Flags, FlagNoS47)
		}
		plan.End = []ClockEnd{{Clock: ClockICPC}}
		if c.Outcome == ConferencePlanNeeded {
			// A child has one plan at a time: a new initial conference's
			// plan follows on from any still open.
			plan.StartPlan, plan.EndReason = true, PlanEndNewPlan
			plan.Start = []string{ClockCoreGroup, ClockFirstReview}
		}
		return plan
	}
	plan.End = []ClockEnd{{Clock: ClockFirstReview}, {Clock: ClockNextReview}}
	if c.Outcome == ConferencePlanNeeded {
		plan.Start = []string{ClockNextReview}
	} else {
		plan.EndPlan, plan.EndReason = true, c.PlanEndReason
		if plan.EndReason == "" {
			plan.EndReason = PlanEndNoLongerAtRisk
		}
		plan.End = append(plan.End, ClockEnd{Clock: ClockCoreGroup, Reason: "the child protection plan ended"})
	}
	return plan
}

// ReferralUpdatePlan is what recording a referral's decision, its written
// follow-up or the feedback to its referrer does.
type ReferralUpdatePlan struct {
	// Set are the referral's times to record, each stopping its clock.
	Set []ReferralTime
	// Decision, when not empty, is recorded; CloseAssessment says it ends
	// the assessment's clock (no assessment follows it).
	Decision        ReferralDecision
	CloseAssessment bool
}

// ReferralTime is a time recorded on a referral: its column and the clock
// whose tasks it stops.
type ReferralTime struct {
	Column, Clock string
	At            time.Time
}

// CheckReferralUpdate checks an update's own fields.
func CheckReferralUpdate(up ReferralUpdate, now time.Time) error {
	var p Problems
	if up.Decision != "" && !up.Decision.Valid() {
		p.Add("decision", "The decision must be one of "+OneOf(ReferralDecisions))
	}
	if (up.Decision == "") != (up.DecidedAt == nil) {
		p.Add("decided_at", "Give the decision and when it was made together")
	}
	if up.Decision == "" && up.DecidedAt == nil && up.WrittenConfirmationAt == nil && up.FeedbackAt == nil {
		p.Add("decision", "Give the decision, the written follow-up or the feedback to record")
	}
	for _, f := range referralTimes(up) {
		if f.given != nil {
			checkEventTime(&p, f.column, *f.given, now)
		}
	}
	return p.Err()
}

type referralTime struct {
	column, clock string
	given         *time.Time
}

func referralTimes(up ReferralUpdate) []referralTime {
	return []referralTime{{"decided_at", ClockReferralDecision, up.DecidedAt}, {"written_confirmation_at", ClockReferralWrittenFollowup, up.WrittenConfirmationAt},
		{"feedback_at", ClockReferrerFeedback, up.FeedbackAt}}
}

// PlanReferralUpdate checks an update against the referral, seen at
// version, and plans it: each time may be recorded once, never before the
// referral was received. A decision for early help, information and advice
// or no further action ends the assessment's clock.
func PlanReferralUpdate(r *Referral, version int, up ReferralUpdate) (*ReferralUpdatePlan, error) {
	if r.Version != version {
		return nil, &Error{Code: ECONFLICT, Message: "Someone else changed this referral: look again", Current: r}
	}
	had := map[string]*time.Time{"decided_at": r.DecidedAt, "written_confirmation_at": r.WrittenConfirmationAt, "feedback_at": r.FeedbackAt}
	var p Problems
	if up.Decision != "" && r.Decision != "" {
		p.Add("decision", "This referral has been decided already: "+r.Decision.Label())
	}
	plan := &ReferralUpdatePlan{Decision: up.Decision}
	for _, f := range referralTimes(up) {
		if f.given == nil {
			continue
		}
		if had[f.column] != nil {
			p.Add(f.column, "This has already been recorded")
		}
		if f.given.Before(r.ReceivedAt) {
			p.Add(f.column, "This cannot be before the referral was received")
		}
		plan.Set = append(plan.Set, ReferralTime{Column: f.column, Clock: f.clock, At: *f.given})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	plan.CloseAssessment = up.Decision.EndsAssessment()
	return plan, nil
}

// S47Completion is an enquiry's completion as recorded later: when, and
// what it found.
type S47Completion struct {
	CompletedAt *time.Time
	Outcome     S47Outcome
}

// CheckS47Completion checks a completion's own fields.
func CheckS47Completion(c S47Completion, now time.Time) error {
	var p Problems
	if c.CompletedAt == nil {
		p.Add("completed_at", "Give when the enquiry was completed")
	} else {
		checkEventTime(&p, "completed_at", *c.CompletedAt, now)
	}
	switch {
	case c.Outcome == "":
		p.Add("outcome", "Give the enquiry's outcome: one of "+OneOf(S47Outcomes))
	case !c.Outcome.Valid():
		p.Add("outcome", "The outcome must be one of "+OneOf(S47Outcomes))
	}
	return p.Err()
}

// PlanS47Completion checks a completion against the enquiry, seen at
// version, and says which clock it ends: an enquiry is completed once,
// never before it started. An outcome with no continuing risk means no
// initial conference follows, so the conference's clock is closed with the
// outcome as its reason (docs/timescales.md#child-protection-conferences).
func PlanS47Completion(e *S47Enquiry, version int, c S47Completion) ([]ClockEnd, error) {
	if e.Version != version {
		return nil, &Error{Code: ECONFLICT, Message: "Someone else changed this enquiry: look again", Current: e}
	}
	if e.Completed() {
		return nil, Invalid(FieldError{Field: "completed_at", Message: "The enquiry has already been completed"})
	}
	if c.CompletedAt.Before(e.StartedAt) {
		return nil, Invalid(FieldError{Field: "completed_at", Message: "An enquiry cannot be completed before it started"})
	}
	return S47ClockEnds(c.Outcome), nil
}

// S47ClockEnds are the clocks an enquiry's outcome ends.
func S47ClockEnds(o S47Outcome) []ClockEnd {
	if !o.ClosesICPC() {
		return nil
	}
	return []ClockEnd{{Clock: ClockICPC, Reason: S47ClosedReason(o)}}
}

// S47ClosedReason is the reason an icpc task closed by an enquiry's
// outcome gives, in the form of the other reasons a clock's event gives
// ("referral decision: early-help").
func S47ClosedReason(o S47Outcome) string { return "section 47 enquiry outcome: " + string(o) }
