package lantern

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The front door (docs/frontdoor.md): where referrals to children's social
// care wait for a decision, are screened, and are answered.

// ReferralSource is how a referral came to the front door.
type ReferralSource string

const (
	// SourceRecorded: entered by children's social care, from a phone call,
	// a letter or another system.
	SourceRecorded ReferralSource = "recorded"
	// SourceConcern: a concern recorded in Lantern and referred by its
	// author, or with immediate risk.
	SourceConcern ReferralSource = "concern"
	// SourceToolkit: a partner agency's toolkit at medium or high.
	SourceToolkit ReferralSource = "toolkit"
)

// Label says the source in words.
func (s ReferralSource) Label() string {
	return labelOf(s, map[ReferralSource]string{SourceRecorded: "Recorded by children's social care",
		SourceConcern: "A concern recorded in Lantern", SourceToolkit: "A partner agency's toolkit at medium or high"})
}

// RefersConcern reports whether a concern goes to the front door as a
// referral: its author asked, or there is immediate risk (always).
func RefersConcern(refer, immediateRisk bool) bool { return refer || immediateRisk }

// ToolkitRefers reports whether a toolkit recorded at level by someone of
// an agency of kind goes to the front door: medium or high, from a partner
// (children's social care is the front door already).
func ToolkitRefers(level string, kind AgencyKind) bool {
	return (level == "medium" || level == "high") && kind != KindChildrensSocialCare
}

// SecondAgencyWindow is how close together two agencies' concerns about a
// child must be to alert the front door and the allocated social worker.
const SecondAgencyWindow = 7 * 24 * time.Hour

// SecondAgency reports whether a concern raised at at by agency, given the
// child's other concerns, is a second agency's worry within the window.
func SecondAgency(agencyID string, at time.Time, others []*Concern) bool {
	for _, c := range others {
		if c.AgencyID == agencyID {
			continue
		}
		if d := at.Sub(c.RaisedAt); d < SecondAgencyWindow && d > -SecondAgencyWindow {
			return true
		}
	}
	return false
}

// RAG is a screening rating: how urgently a referral needs a decision.
type RAG string

const (
	RAGRed   RAG = "red"
	RAGAmber RAG = "amber"
	RAGGreen RAG = "green"
)

// RAGs lists the ratings, most urgent first.
var RAGs = []RAG{RAGRed, RAGAmber, RAGGreen}

// Valid reports whether r is a rating.
func (r RAG) Valid() bool { return slices.Contains(RAGs, r) }

// Label says the rating in words.
func (r RAG) Label() string {
	return labelOf(r, map[RAG]string{RAGRed: "Red", RAGAmber: "Amber", RAGGreen: "Green"})
}

// Rating is one RAG rating of a referral, with why.
type Rating struct {
	ID          string    `json:"id"`
	RAG         RAG       `json:"rag"`
	Rationale   string    `json:"rationale"`
	RatedBy     string    `json:"rated_by"`
	RatedByName string    `json:"rated_by_name,omitempty"`
	RatedAt     time.Time `json:"rated_at"`
}

// CheckRating checks a rating given the referral's latest (nil when none):
// a valid rating with a rationale, and a change of rating with a new
// rationale, not the last one's again.
func CheckRating(last *Rating, rag RAG, rationale string) error {
	var p Problems
	rationale = strings.TrimSpace(rationale)
	if !rag.Valid() {
		p.Add("rag", "The rating must be one of "+OneOf(RAGs))
	}
	switch {
	case rationale == "":
		p.Add("rationale", "Say why the referral has this rating")
	case last != nil && last.RAG != rag && strings.EqualFold(strings.TrimSpace(last.Rationale), rationale):
		p.Add("rationale", "A change of rating needs a new rationale: say what has changed")
	}
	checkText(&p, "rationale", "rationale", rationale, 5000)
	return p.Err()
}

// Consent is what is known of the family's consent to the referral's
// enquiries.
type Consent string

const (
	ConsentSought    Consent = "sought"
	ConsentGiven     Consent = "given"
	ConsentRefused   Consent = "refused"
	ConsentNotSought Consent = "not-sought"
)

// Consents lists them, in the order shown.
var Consents = []Consent{ConsentSought, ConsentGiven, ConsentRefused, ConsentNotSought}

// Valid reports whether c is a consent state.
func (c Consent) Valid() bool { return slices.Contains(Consents, c) }

// Label says it in words.
func (c Consent) Label() string {
	return labelOf(c, map[Consent]string{"": "Not recorded", ConsentSought: "Sought: waiting for an answer", ConsentGiven: "Given",
		ConsentRefused: "Refused", ConsentNotSought: "Not sought"})
}

// ConsentRecord is the consent recorded on a referral. A decision not to
// seek consent waits for a manager's approval.
type ConsentRecord struct {
	State          Consent    `json:"consent"`
	Reason         string     `json:"reason,omitempty"`
	RecordedBy     string     `json:"recorded_by,omitempty"`
	ApprovedBy     string     `json:"approved_by,omitempty"`
	ApprovedByName string     `json:"approved_by_name,omitempty"`
	ApprovedAt     *time.Time `json:"approved_at,omitempty"`
}

// AwaitingApproval reports whether a decision not to seek consent waits
// for a manager.
func (c ConsentRecord) AwaitingApproval() bool {
	return c.State == ConsentNotSought && c.ApprovedAt == nil
}

// CheckConsent checks consent being recorded: not seeking it needs the
// reasons.
func CheckConsent(state Consent, reason string) error {
	var p Problems
	if !state.Valid() {
		p.Add("consent", "Consent must be one of "+OneOf(Consents))
	}
	if state == ConsentNotSought && strings.TrimSpace(reason) == "" {
		p.Add("reason", "Give the reasons for not seeking consent, for a manager to approve")
	}
	checkText(&p, "reason", "reasons", reason, 5000)
	return p.Err()
}

// CheckDecision checks a referral's decision against the child: no
// further action needs a reason, and "already open" needs an allocated
// social worker to tell.
func CheckDecision(d ReferralDecision, reason string, child *Child) error {
	var p Problems
	if d.NeedsReason() && strings.TrimSpace(reason) == "" {
		p.Add("decision_reason", "Say why there is to be no further action")
	}
	if d == DecideAlreadyOpen && (child == nil || child.AllocatedSocialWorkerID == "") {
		p.Add("decision", "The child has no allocated social worker to tell: allocate one, or choose another decision")
	}
	checkText(&p, "decision_reason", "reason", reason, 5000)
	return p.Err()
}

// FrontDoorItem is a referral waiting for a decision, as the queue shows it.
// The first seven fields are the API's fixed points.
type FrontDoorItem struct {
	ReferralID    string    `json:"referral_id"`
	ChildID       string    `json:"child_id"`
	ConcernID     *string   `json:"concern_id"`
	ReceivedAt    time.Time `json:"received_at"`
	ImmediateRisk bool      `json:"immediate_risk"`
	FromAgencyID  *string   `json:"from_agency_id"`
	DecisionDueAt time.Time `json:"decision_due_at"`

	ChildName      string         `json:"child_name"`
	DateOfBirth    Date           `json:"date_of_birth"`
	FromAgencyName string         `json:"from_agency_name,omitempty"`
	ReferrerName   string         `json:"referrer_name"`
	Source         ReferralSource `json:"source"`
	RAG            RAG            `json:"rag,omitempty"`
	// Level is the child's latest toolkit level, and when; empty if none.
	Level      string `json:"level,omitempty"`
	LevelOn    Date   `json:"level_on,omitempty"`
	CaseOpen   bool   `json:"case_open"`
	OpenAsks   int    `json:"open_information_requests"`
	AllocateID string `json:"allocated_social_worker_id,omitempty"`
}

// Late reports whether the decision is overdue at now.
func (it *FrontDoorItem) Late(now time.Time) bool { return now.After(it.DecisionDueAt) }

// Waited says how long the referral has waited, in words.
func (it *FrontDoorItem) Waited(now time.Time) string { return Span(now.Sub(it.ReceivedAt)) }

// FrontDoorFilter narrows the queue.
type FrontDoorFilter struct {
	Limit, Offset int
	// RAGs keeps referrals rated so; RAGUnrated those not rated yet.
	RAGs       []RAG
	RAGUnrated bool
	// ImmediateRisk and Late, when set, keep referrals with (or without)
	// immediate risk, and past (or within) the decision's deadline.
	ImmediateRisk, Late *bool
}

// Unrated is the rag filter's value for referrals not rated yet.
const Unrated = "unrated"

// ParseFrontDoorQuery reads the queue's filters: rag (red, amber, green or
// unrated; repeated or comma-separated), immediate_risk and late (true or
// false). An unknown value is refused, naming its filter.
func ParseFrontDoorQuery(q map[string][]string) (FrontDoorFilter, error) {
	var f FrontDoorFilter
	var p Problems
	for _, v := range q["rag"] {
		for _, r := range strings.Split(v, ",") {
			switch r = strings.TrimSpace(r); {
			case r == "":
			case r == Unrated:
				f.RAGUnrated = true
			case RAG(r).Valid():
				if !slices.Contains(f.RAGs, RAG(r)) {
					f.RAGs = append(f.RAGs, RAG(r))
				}
			default:
				p.Add("rag", "Filter by red, amber, green or unrated")
			}
		}
	}
	flag := func(name string) *bool {
		vs := q[name]
		if len(vs) == 0 || vs[len(vs)-1] == "" {
			return nil
		}
		switch vs[len(vs)-1] {
		case "true":
			t := true
			return &t
		case "false":
			f := false
			return &f
		}
		p.Add(name, name+" must be true or false")
		return nil
	}
	f.ImmediateRisk, f.Late = flag("immediate_risk"), flag("late")
	return f, p.Err()
}

// InfoRequest asks a partner agency what it holds about a referred child.
type InfoRequest struct {
	ID           string     `json:"id"`
	ReferralID   string     `json:"referral_id"`
	ChildID      string     `json:"child_id"`
	AgencyID     string     `json:"agency_id"`
	AgencyName   string     `json:"agency_name,omitempty"`
	Question     string     `json:"question"`
	AskedBy      string     `json:"asked_by"`
	AskedByName  string     `json:"asked_by_name,omitempty"`
	AskedAt      time.Time  `json:"asked_at"`
	DueAt        time.Time  `json:"due_at"`
	Answer       string     `json:"answer,omitempty"`
	AnsweredBy   string     `json:"answered_by,omitempty"`
	AnsweredName string     `json:"answered_by_name,omitempty"`
	AnsweredAt   *time.Time `json:"answered_at,omitempty"`
	ChasedAt     *time.Time `json:"chased_at,omitempty"`
	Version      int        `json:"version"`
	// Who the request is about, for the agency asked to search its
	// records: the request shows them these and nothing else of the record.
	ChildName   string `json:"child_name,omitempty"`
	DateOfBirth Date   `json:"date_of_birth"`
	Address     string `json:"address,omitempty"`
}

// Late reports whether the request is unanswered past its deadline.
func (r *InfoRequest) Late(now time.Time) bool { return r.AnsweredAt == nil && now.After(r.DueAt) }

// InfoRequestInput asks an agency.
type InfoRequestInput struct {
	AgencyID string
	Question string
	DueAt    time.Time
}

// MaxRequestHours bounds an information request's deadline.
const MaxRequestHours = 14 * 24

// Validate checks a request as of now: an agency, a question, and a
// deadline after now and within MaxRequestHours.
func (in *InfoRequestInput) Validate(now time.Time) error {
	var p Problems
	in.Question = strings.TrimSpace(in.Question)
	if in.AgencyID == "" {
		p.Add("agency_id", "Choose the agency to ask")
	}
	if in.Question == "" {
		p.Add("question", "Say what you want to know")
	}
	checkText(&p, "question", "question", in.Question, 5000)
	switch {
	case in.DueAt.IsZero():
		p.Add("due_at", "Give the deadline for the answer")
	case !in.DueAt.After(now):
		p.Add("due_at", "The deadline must be in the future")
	case in.DueAt.After(now.Add(MaxRequestHours * time.Hour)):
		p.Add("due_at", fmt.Sprintf("The deadline must be within %d days", MaxRequestHours/24))
	}
	return p.Err()
}

// CheckAnswer checks an answer to a request.
func CheckAnswer(answer string) error {
	var p Problems
	if strings.TrimSpace(answer) == "" {
		p.Add("answer", "Say what your agency holds, or that it holds nothing")
	}
	checkText(&p, "answer", "answer", answer, 20000)
	return p.Err()
}

// Consultation is a practitioner's question to the front door about a
// child they do not name, and the advice given.
type Consultation struct {
	ID          string     `json:"id"`
	AskedBy     string     `json:"asked_by"`
	AskedByName string     `json:"asked_by_name,omitempty"`
	AgencyID    string     `json:"agency_id"`
	AgencyName  string     `json:"agency_name,omitempty"`
	AskedAt     time.Time  `json:"asked_at"`
	Question    string     `json:"question"`
	Advice      string     `json:"advice,omitempty"`
	AdvisedBy   string     `json:"advised_by,omitempty"`
	AdvisedName string     `json:"advised_by_name,omitempty"`
	AdvisedAt   *time.Time `json:"advised_at,omitempty"`
	Version     int        `json:"version"`
}

// CheckConsultation checks a question to the front door.
func CheckConsultation(question string) error {
	var p Problems
	if strings.TrimSpace(question) == "" {
		p.Add("question", "Describe the worry, without the child's name")
	}
	checkText(&p, "question", "question", question, 10000)
	return p.Err()
}

// CheckAdvice checks the front door's advice.
func CheckAdvice(advice string) error {
	var p Problems
	if strings.TrimSpace(advice) == "" {
		p.Add("advice", "Enter the advice given")
	}
	checkText(&p, "advice", "advice", advice, 10000)
	return p.Err()
}

// AlertKind is why an alert was raised.
type AlertKind string

const (
	// AlertImmediateRisk: a concern with immediate risk reached the front door.
	AlertImmediateRisk AlertKind = "immediate-risk"
	// AlertSecondAgency: a second agency's concern about a child within
	// SecondAgencyWindow.
	AlertSecondAgency AlertKind = "second-agency"
	// AlertDecision: the front door decided on someone's referral.
	AlertDecision AlertKind = "decision"
	// AlertAlreadyOpen: a referral about an allocated social worker's child.
	AlertAlreadyOpen AlertKind = "already-open"
	// AlertInfoRequest: the front door asks an agency what it holds.
	AlertInfoRequest AlertKind = "information-request"
	// AlertInfoChase: the request is late.
	AlertInfoChase AlertKind = "information-request-late"
	// AlertBreakGlass: someone broke the glass to read a sealed record.
	AlertBreakGlass AlertKind = "break-glass"
)

// Label says the alert in words. None names a child: alerts are emailed.
func (k AlertKind) Label() string {
	return labelOf(k, map[AlertKind]string{
		AlertImmediateRisk: "A concern with immediate risk is waiting at the front door",
		AlertSecondAgency:  "A second agency has raised a concern about a child within seven days",
		AlertDecision:      "The front door has decided on a referral you made",
		AlertAlreadyOpen:   "A new referral has been made about a child allocated to you",
		AlertInfoRequest:   "The front door asks what your agency holds about a child",
		AlertInfoChase:     "An information request to your agency is late",
		AlertBreakGlass:    "Someone has broken the glass to read a sealed record: review it",
	})
}

// Alert is a notice to a person or to the front door, shown on their pages
// and emailed.
type Alert struct {
	ID         string     `json:"id"`
	Kind       AlertKind  `json:"kind"`
	ChildID    string     `json:"child_id,omitempty"`
	ReferralID string     `json:"referral_id,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
	// Link is the page to act on it, relative to the site.
	Link string `json:"link"`
	// ChildName is shown on the pages of whom the alert is for, who see
	// the child; an alert's email never names the child.
	ChildName string `json:"child_name,omitempty"`
}

// Outgoing is an alert's email waiting in the outbox.
type Outgoing struct {
	ID       string
	Kind     AlertKind
	Address  string
	Attempts int
	Link     string
}

// RetryAfter is how long to wait before trying an alert's email again
// after attempts failures: a minute, doubling, at most an hour.
func RetryAfter(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
