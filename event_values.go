package lantern

import (
	"slices"
	"strings"
)

// The coded values of the statutory events: each one type, one list, its
// check and its words. The pages' forms and records, the API's checks and
// the store read them from here. (The words were in three places: a form's
// options, the record page's labels and the API's checks.)

// ReferralMethod is how a referral arrived.
type ReferralMethod string

const (
	ReferralByPhone   ReferralMethod = "phone"
	ReferralInWriting ReferralMethod = "written"
	ReferralOnline    ReferralMethod = "online"
)

// ReferralMethods lists every method, in the order shown.
var ReferralMethods = []ReferralMethod{ReferralByPhone, ReferralInWriting, ReferralOnline}

func (m ReferralMethod) Valid() bool { return slices.Contains(ReferralMethods, m) }

// Label is the method in words.
func (m ReferralMethod) Label() string {
	return labelOf(m, map[ReferralMethod]string{ReferralByPhone: "By telephone", ReferralInWriting: "In writing",
		ReferralOnline: "Through the online referral form"})
}

// ReferralDecision is what children's social care decides on a referral.
type ReferralDecision string

const (
	DecideAssessment         ReferralDecision = "assessment"
	DecideStrategyDiscussion ReferralDecision = "strategy-discussion"
	DecideEarlyHelp          ReferralDecision = "early-help"
	DecideInformationOnly    ReferralDecision = "information-and-advice"
	DecideNoFurtherAction    ReferralDecision = "no-further-action"
	// DecideAlreadyOpen: the child's case is open; the allocated social
	// worker is told, and no new assessment starts.
	DecideAlreadyOpen ReferralDecision = "already-open"
)

// ReferralDecisions lists every decision, in the order shown.
var ReferralDecisions = []ReferralDecision{DecideAssessment, DecideStrategyDiscussion, DecideEarlyHelp, DecideInformationOnly, DecideNoFurtherAction, DecideAlreadyOpen}

func (d ReferralDecision) Valid() bool { return slices.Contains(ReferralDecisions, d) }

// Label is the decision in words.
func (d ReferralDecision) Label() string {
	return labelOf(d, map[ReferralDecision]string{DecideAssessment: "Assessment by children's social care",
		DecideStrategyDiscussion: "Strategy discussion: there may be significant harm", DecideEarlyHelp: "Early help",
		DecideInformationOnly: "Information and advice only", DecideNoFurtherAction: "No further action",
		DecideAlreadyOpen: "Already open: the allocated social worker is told"})
}

// EndsAssessment reports whether the decision means no assessment follows:
// its clock ends with the decision.
func (d ReferralDecision) EndsAssessment() bool {
	return d == DecideEarlyHelp || d == DecideInformationOnly || d == DecideNoFurtherAction || d == DecideAlreadyOpen
}

// NeedsReason reports whether the decision must say why: no further action
// closes the door on the referrer's worry.
func (d ReferralDecision) NeedsReason() bool { return d == DecideNoFurtherAction }

// DiscussionDecision is what a strategy discussion decides.
type DiscussionDecision string

const (
	DiscussionS47   DiscussionDecision = "s47"
	DiscussionNoS47 DiscussionDecision = "no-s47"
)

// DiscussionDecisions lists both, in the order shown.
var DiscussionDecisions = []DiscussionDecision{DiscussionS47, DiscussionNoS47}

func (d DiscussionDecision) Valid() bool { return slices.Contains(DiscussionDecisions, d) }

// Label is the decision in words.
func (d DiscussionDecision) Label() string {
	return labelOf(d, map[DiscussionDecision]string{DiscussionS47: "Start child protection enquiries (section 47)",
		DiscussionNoS47: "Do not start child protection enquiries"})
}

// ConferenceKind is an initial or a review child protection conference.
type ConferenceKind string

const (
	ConferenceInitial ConferenceKind = "initial"
	ConferenceReview  ConferenceKind = "review"
)

// ConferenceKinds lists both, in the order shown.
var ConferenceKinds = []ConferenceKind{ConferenceInitial, ConferenceReview}

func (k ConferenceKind) Valid() bool { return slices.Contains(ConferenceKinds, k) }

// Label is the kind in words.
func (k ConferenceKind) Label() string {
	return labelOf(k, map[ConferenceKind]string{ConferenceInitial: "Initial child protection conference",
		ConferenceReview: "Review child protection conference"})
}

// ConferenceOutcome is whether a conference decided on a plan.
type ConferenceOutcome string

const (
	ConferencePlanNeeded ConferenceOutcome = "plan"
	ConferenceNoPlan     ConferenceOutcome = "no-plan"
)

// ConferenceOutcomes lists both, in the order shown.
var ConferenceOutcomes = []ConferenceOutcome{ConferencePlanNeeded, ConferenceNoPlan}

func (o ConferenceOutcome) Valid() bool { return slices.Contains(ConferenceOutcomes, o) }

// Label is the outcome in words.
func (o ConferenceOutcome) Label() string {
	return labelOf(o, map[ConferenceOutcome]string{ConferencePlanNeeded: "The child needs a child protection plan",
		ConferenceNoPlan: "The child does not need a child protection plan"})
}

// SWAssessmentKind is a kind of social work assessment: single (Working
// Together 2023), or initial and core (2006).
type SWAssessmentKind string

const (
	SWSingle  SWAssessmentKind = "single"
	SWInitial SWAssessmentKind = "initial"
	SWCore    SWAssessmentKind = "core"
)

// SWAssessmentKinds lists every kind, in the order shown.
var SWAssessmentKinds = []SWAssessmentKind{SWSingle, SWInitial, SWCore}

func (k SWAssessmentKind) Valid() bool { return slices.Contains(SWAssessmentKinds, k) }

// Label is the kind in words.
func (k SWAssessmentKind) Label() string {
	return labelOf(k, map[SWAssessmentKind]string{SWSingle: "Single assessment", SWInitial: "Initial assessment", SWCore: "Core assessment"})
}

// S47Outcome is what a section 47 enquiry found.
type S47Outcome string

const (
	S47NotSubstantiated S47Outcome = "not-substantiated"
	S47NoContinuingRisk S47Outcome = "substantiated-no-continuing-risk"
	S47ICPC             S47Outcome = "substantiated-icpc"
)

// S47Outcomes lists every outcome, in the order shown.
var S47Outcomes = []S47Outcome{S47NotSubstantiated, S47NoContinuingRisk, S47ICPC}

func (o S47Outcome) Valid() bool { return slices.Contains(S47Outcomes, o) }

// Label is the outcome in words.
func (o S47Outcome) Label() string {
	return labelOf(o, map[S47Outcome]string{S47NotSubstantiated: "Concerns not substantiated",
		S47NoContinuingRisk: "Concerns substantiated, but the child is not judged to be at continuing risk of significant harm",
		S47ICPC:             "Concerns substantiated and the child is judged to be at continuing risk: convene an initial child protection conference"})
}

// labelOf is a value's words, or the value itself when it has none (a value
// stored before its words were written).
func labelOf[T ~string](v T, words map[T]string) string {
	if w, ok := words[v]; ok {
		return w
	}
	return string(v)
}

// OneOf says which values a field may take, for an error message.
func OneOf[T ~string](vs []T) string {
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = string(v)
	}
	return strings.Join(ss, ", ")
}

// PlanEndReason is why a child protection plan ended (Working Together
// 2023, "Discontinuing the child protection plan"): a review conference
// judged the child no longer at continuing risk of significant harm, or the
// plan ended because the child moved away, became looked after, turned 18,
// left the UK or died; or a later initial conference started a new plan.
type PlanEndReason string

const (
	PlanEndNoLongerAtRisk PlanEndReason = "no-longer-at-risk"
	PlanEndMovedArea      PlanEndReason = "moved-area"
	PlanEndLookedAfter    PlanEndReason = "looked-after"
	PlanEndReached18      PlanEndReason = "reached-18"
	PlanEndLeftUK         PlanEndReason = "left-uk"
	PlanEndDied           PlanEndReason = "died"
	// PlanEndNewPlan is set by the store, never chosen: an initial
	// conference started a plan while one was open.
	PlanEndNewPlan PlanEndReason = "new-plan"
)

// PlanEndReasons lists every reason, in the order shown.
var PlanEndReasons = []PlanEndReason{PlanEndNoLongerAtRisk, PlanEndMovedArea, PlanEndLookedAfter, PlanEndReached18, PlanEndLeftUK, PlanEndDied, PlanEndNewPlan}

// ReviewPlanEndReasons are the reasons a review conference may give for
// ending a plan.
var ReviewPlanEndReasons = PlanEndReasons[:len(PlanEndReasons)-1]

func (r PlanEndReason) Valid() bool { return slices.Contains(PlanEndReasons, r) }

// Label is the reason in words.
func (r PlanEndReason) Label() string {
	return labelOf(r, map[PlanEndReason]string{
		PlanEndNoLongerAtRisk: "The child is no longer at continuing risk of significant harm",
		PlanEndMovedArea:      "The child moved permanently to another local authority area",
		PlanEndLookedAfter:    "The child became looked after, and their care plan now addresses the risk",
		PlanEndReached18:      "The child reached 18",
		PlanEndLeftUK:         "The child left the UK permanently",
		PlanEndDied:           "The child died",
		PlanEndNewPlan:        "A later initial conference started a new plan"})
}

// ClosesICPC reports whether the outcome means no conference follows: the
// initial conference's clock ends with the enquiry.
func (o S47Outcome) ClosesICPC() bool { return o == S47NotSubstantiated || o == S47NoContinuingRisk }
