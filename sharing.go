package lantern

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Information sharing (docs/information-governance.md): every disclosure of
// a child's information is a share record saying what went to whom, why, on
// what lawful basis, under which agreement and with or without consent; a
// decision not to share is a record too, with its reason. Records are
// never edited: a correction supersedes.

// ShareOutcome is whether information was shared.
type ShareOutcome string

const (
	ShareShared    ShareOutcome = "shared"
	ShareNotShared ShareOutcome = "not-shared"
)

// ShareOutcomes lists the outcomes.
var ShareOutcomes = []ShareOutcome{ShareShared, ShareNotShared}

// Label is the outcome in words.
func (o ShareOutcome) Label() string {
	return labelOf(o, map[ShareOutcome]string{ShareShared: "Shared", ShareNotShared: "Not shared"})
}

// LawfulBasis is a lawful basis for processing under UK GDPR Article 6(1).
type LawfulBasis string

const (
	BasisConsent             LawfulBasis = "consent"              // 6(1)(a)
	BasisContract            LawfulBasis = "contract"             // 6(1)(b)
	BasisLegalObligation     LawfulBasis = "legal-obligation"     // 6(1)(c)
	BasisVitalInterests      LawfulBasis = "vital-interests"      // 6(1)(d)
	BasisPublicTask          LawfulBasis = "public-task"          // 6(1)(e)
	BasisLegitimateInterests LawfulBasis = "legitimate-interests" // 6(1)(f)
)

// LawfulBases lists Article 6(1)'s bases in its order.
var LawfulBases = []LawfulBasis{BasisConsent, BasisContract, BasisLegalObligation, BasisVitalInterests,
	BasisPublicTask, BasisLegitimateInterests}

// Label is the basis in words, with its place in the Article.
func (b LawfulBasis) Label() string {
	return labelOf(b, map[LawfulBasis]string{
		BasisConsent:             "Consent (Article 6(1)(a))",
		BasisContract:            "Contract (Article 6(1)(b))",
		BasisLegalObligation:     "Legal obligation (Article 6(1)(c))",
		BasisVitalInterests:      "Vital interests (Article 6(1)(d))",
		BasisPublicTask:          "Public task (Article 6(1)(e))",
		BasisLegitimateInterests: "Legitimate interests (Article 6(1)(f))",
	})
}

// SpecialCondition is the condition for sharing special category data
// (health, sex life, ethnicity): UK GDPR Article 9(2) and, for its
// substantial public interest, a Data Protection Act 2018 Schedule 1
// condition.
type SpecialCondition string

const (
	// ConditionSafeguardingChildren: Schedule 1 paragraph 18, safeguarding
	// of children and of individuals at risk; Article 9(2)(g).
	ConditionSafeguardingChildren SpecialCondition = "safeguarding-children"
	// ConditionVitalInterests: Article 9(2)(c), when consent cannot be given.
	ConditionVitalInterests SpecialCondition = "vital-interests"
	// ConditionExplicitConsent: Article 9(2)(a).
	ConditionExplicitConsent SpecialCondition = "explicit-consent"
)

// SpecialConditions lists the conditions offered.
var SpecialConditions = []SpecialCondition{ConditionSafeguardingChildren, ConditionVitalInterests, ConditionExplicitConsent}

// Label is the condition in words.
func (c SpecialCondition) Label() string {
	if c == "" {
		return "No special category data"
	}
	return labelOf(c, map[SpecialCondition]string{
		ConditionSafeguardingChildren: "Safeguarding of children (DPA 2018 Schedule 1, paragraph 18)",
		ConditionVitalInterests:       "Vital interests (UK GDPR Article 9(2)(c))",
		ConditionExplicitConsent:      "Explicit consent (UK GDPR Article 9(2)(a))",
	})
}

// ShareConsents are the consent answers a share records: asked and given,
// asked and refused, or not sought (with the reason).
var ShareConsents = []Consent{ConsentGiven, ConsentRefused, ConsentNotSought}

// ShareRequest is a share, or a decision not to share, as recorded.
type ShareRequest struct {
	Outcome ShareOutcome `json:"outcome"`
	// To is whom it went (or would have gone) to: a person, a team, an
	// agency. ToAgencyID names the agency when it is one of the area's.
	To         string      `json:"to"`
	ToAgencyID string      `json:"to_agency_id,omitempty"`
	What       string      `json:"what"`
	Purpose    string      `json:"purpose"`
	Basis      LawfulBasis `json:"basis"`
	// Condition is set when special category data was shared.
	Condition SpecialCondition `json:"condition,omitempty"`
	Consent   Consent          `json:"consent"`
	// Reason: why consent was not sought or was overridden, why it was
	// not shared, why an emergency share went ahead with no agreement.
	Reason string `json:"reason"`
	// AgreementID is the information-sharing agreement the share falls
	// under; empty for none, and then AgreementNote says why.
	AgreementID   string `json:"agreement_id,omitempty"`
	AgreementNote string `json:"agreement_note,omitempty"`
	// Emergency: shared to protect life, under vital interests, whatever
	// any agreement says.
	Emergency bool `json:"emergency,omitempty"`
	// Supersedes is the share this one corrects.
	Supersedes string `json:"supersedes,omitempty"`
	// SharedAt is when it was shared; now when empty.
	SharedAt *time.Time `json:"shared_at,omitempty"`
}

// MinShareReason is the fewest characters a reason may have where one is
// needed (a share's, a seal's, a review's): any reason given is recorded,
// and weighed by whoever reviews it.
const MinShareReason = 1

// Normalise trims the request's text.
func (r *ShareRequest) Normalise() {
	for _, s := range []*string{&r.To, &r.ToAgencyID, &r.What, &r.Purpose, &r.Reason, &r.AgreementID, &r.AgreementNote, &r.Supersedes} {
		*s = strings.TrimSpace(*s)
	}
}

// CheckShare is the rule for a share record (the database holds the same
// rule as a constraint): a share needs its purpose, an Article 6 basis and
// the consent answer; consent as the basis needs consent given; consent not
// sought or refused, a decision not to share, and an emergency share each
// need the reason; an emergency is a vital-interests share.
func CheckShare(r *ShareRequest, now time.Time) error {
	var p Problems
	switch r.Outcome {
	case ShareShared, ShareNotShared:
	case "":
		p.Add("outcome", "Say whether the information was shared")
	default:
		p.Add("outcome", "Outcome must be one of shared, not-shared")
	}
	if r.To == "" {
		p.Add("to", "Say whom the information was for")
	}
	checkText(&p, "to", "recipient", r.To, 300)
	if r.What == "" {
		p.Add("what", "Say what information this was")
	}
	checkText(&p, "what", "description of the information", r.What, 2000)
	checkText(&p, "purpose", "purpose", r.Purpose, 2000)
	checkText(&p, "reason", "reason", r.Reason, 5000)
	checkText(&p, "agreement_note", "note", r.AgreementNote, 2000)
	reasonNeeded := func(msg string) {
		if utf8.RuneCountInString(strings.TrimSpace(r.Reason)) < MinShareReason && !hasField(p, "reason") {
			p.Add("reason", msg)
		}
	}
	if r.Basis != "" && !r.Basis.valid() {
		p.Add("basis", "Basis must be one of "+OneOf(LawfulBases))
	}
	if r.Condition != "" && !slices.Contains(SpecialConditions, r.Condition) {
		p.Add("condition", "Condition must be one of "+OneOf(SpecialConditions))
	}
	if r.Consent != "" && !slices.Contains(ShareConsents, r.Consent) {
		p.Add("consent", "Consent must be one of "+OneOf(ShareConsents))
	}
	switch r.Outcome {
	case ShareShared:
		if r.Purpose == "" {
			p.Add("purpose", "Say why the information was shared")
		}
		if r.Basis == "" {
			p.Add("basis", "Give the lawful basis for sharing (UK GDPR Article 6(1))")
		}
		switch r.Consent {
		case "":
			p.Add("consent", "Say whether consent was given, refused or not sought")
		case ConsentNotSought:
			reasonNeeded("Say why consent was not sought")
		case ConsentRefused:
			reasonNeeded("Consent was refused: say why the information was shared without it")
		}
		if r.Basis == BasisConsent && r.Consent != ConsentGiven && !hasField(p, "consent") {
			p.Add("consent", "Consent is the basis, so it must have been given")
		}
		if r.Condition == ConditionExplicitConsent && r.Consent != ConsentGiven && !hasField(p, "consent") {
			p.Add("consent", "Explicit consent is the condition, so it must have been given")
		}
		if r.Emergency {
			if r.Basis != BasisVitalInterests && !hasField(p, "basis") {
				p.Add("basis", "An emergency share is made to protect life: its basis is vital interests")
			}
			reasonNeeded("Say what the emergency was")
		}
	case ShareNotShared:
		reasonNeeded("Give the reason for not sharing")
		if r.Emergency {
			p.Add("emergency", "Only a share can be an emergency")
		}
	}
	if r.SharedAt != nil && r.SharedAt.After(now.Add(5*time.Minute)) {
		p.Add("shared_at", "The time shared must not be in the future")
	}
	return p.Err()
}

func hasField(p Problems, field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

func (b LawfulBasis) valid() bool { return slices.Contains(LawfulBases, b) }

// InformationShare is one disclosure of a child's information, or a
// decision not to disclose it: to whom, what, why, on what basis, when.
type InformationShare struct {
	ID                string           `json:"id"`
	ChildID           string           `json:"child_id"`
	Outcome           ShareOutcome     `json:"outcome"`
	MeetingID         string           `json:"meeting_id,omitempty"`
	What              string           `json:"what"` // minutes, toolkit, police-form, or words
	AssessmentID      string           `json:"assessment_id,omitempty"`
	RecipientName     string           `json:"recipient_name"`
	To                string           `json:"to"` // the recipient, as a share's request names it
	RecipientEmail    string           `json:"recipient_email,omitempty"`
	RecipientAgency   string           `json:"recipient_agency,omitempty"`
	RecipientAgencyID string           `json:"to_agency_id,omitempty"`
	RecipientRole     string           `json:"recipient_role,omitempty"`
	Purpose           string           `json:"purpose"`
	Basis             LawfulBasis      `json:"basis,omitempty"`
	Condition         SpecialCondition `json:"condition,omitempty"`
	Consent           Consent          `json:"consent,omitempty"`
	Reason            string           `json:"reason,omitempty"`
	AgreementID       string           `json:"agreement_id,omitempty"`
	AgreementNote     string           `json:"agreement_note,omitempty"`
	Emergency         bool             `json:"emergency"`
	Supersedes        string           `json:"supersedes,omitempty"`
	SupersededBy      string           `json:"superseded_by,omitempty"`
	SharedAt          time.Time        `json:"shared_at"`
	SharedBy          string           `json:"shared_by"`
	SharedByName      string           `json:"shared_by_name,omitempty"`
	SharedByAgency    string           `json:"shared_by_agency_id,omitempty"`
	SentAt            *time.Time       `json:"sent_at,omitempty"`
	SendError         string           `json:"send_error,omitempty"`
}

// Share purposes and reasons the system records for the shares it makes
// itself (minutes and toolkits sent after a meeting, the partner
// intelligence form): the area's procedure is their basis.
const (
	SystemShareReason = "Sent under the area's child sexual exploitation procedure to those taking part in the child's safeguarding; " +
		"seeking consent first could place the child at risk"
)

// Agreement is an information-sharing agreement between the area's
// agencies: who is party to it, for what, which classes of data, on what
// basis, for how long, signed by whom; a new version replaces the last.
type Agreement struct {
	ID string `json:"id"`
	// AgreementInput's Version is, here, the agreement's own version.
	AgreementInput
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// AgreementInput is an agreement as written; Version is the version it
// replaces (0 for a new agreement).
type AgreementInput struct {
	Title       string           `json:"title"`
	AgencyIDs   []string         `json:"agency_ids"`
	Purposes    string           `json:"purposes"`
	DataClasses string           `json:"data_classes"`
	Basis       LawfulBasis      `json:"basis"`
	Condition   SpecialCondition `json:"condition,omitempty"`
	Retention   string           `json:"retention"`
	Signatories string           `json:"signatories"`
	StartsOn    Date             `json:"starts_on"`
	ReviewOn    Date             `json:"review_on"`
	EndsOn      *Date            `json:"ends_on,omitempty"`
	Version     int              `json:"version"`
}

// CheckAgreement checks an agreement as written.
func CheckAgreement(in *AgreementInput) error {
	var p Problems
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		p.Add("title", "Enter the agreement's title")
	}
	checkText(&p, "title", "title", in.Title, 200)
	if len(in.AgencyIDs) < 2 {
		p.Add("agency_ids", "An agreement needs at least two agencies as parties")
	}
	if len(in.AgencyIDs) > 100 {
		p.Add("agency_ids", "An agreement can have at most 100 parties")
	}
	for _, f := range []struct{ field, label, v string }{{"purposes", "purposes", in.Purposes}, {"data_classes", "classes of data", in.DataClasses},
		{"retention", "retention", in.Retention}, {"signatories", "signatories", in.Signatories}} {
		if strings.TrimSpace(f.v) == "" {
			p.Add(f.field, "Enter the "+f.label)
		}
		checkText(&p, f.field, f.label, f.v, 5000)
	}
	if !in.Basis.valid() {
		p.Add("basis", "Basis must be one of "+OneOf(LawfulBases))
	}
	if in.Condition != "" && !slices.Contains(SpecialConditions, in.Condition) {
		p.Add("condition", "Condition must be one of "+OneOf(SpecialConditions))
	}
	if in.StartsOn.IsZero() {
		p.Add("starts_on", "Enter the date the agreement starts")
	}
	if in.ReviewOn.IsZero() {
		p.Add("review_on", "Enter the date the agreement is to be reviewed")
	} else if !in.StartsOn.IsZero() && in.ReviewOn.Before(in.StartsOn) {
		p.Add("review_on", "The review date must be on or after the start")
	}
	if in.EndsOn != nil && !in.StartsOn.IsZero() && in.EndsOn.Before(in.StartsOn) {
		p.Add("ends_on", "The end date must be on or after the start")
	}
	return p.Err()
}

// InForce reports whether the agreement covers a day.
func (a *Agreement) InForce(d Date) bool {
	return !d.Before(a.StartsOn) && (a.EndsOn == nil || !a.EndsOn.Before(d))
}

// CheckShareAgreement is the rule for a share and the agreement it names
// (nil when it names none): a routine share under an agreement must fall
// within it (in force on the day, the recipient agency a party); an
// emergency share goes ahead whatever the agreement says.
func CheckShareAgreement(r *ShareRequest, a *Agreement, on Date) error {
	if r.Outcome != ShareShared || r.Emergency || r.AgreementID == "" {
		return nil
	}
	switch {
	case a == nil:
		return Invalid(FieldError{"agreement_id", "No such information-sharing agreement"})
	case !a.InForce(on):
		return Invalid(FieldError{"agreement_id", "That agreement is not in force on the day of the share: only an emergency share, to protect life, can go ahead without one"})
	case r.ToAgencyID != "" && !slices.Contains(a.AgencyIDs, r.ToAgencyID):
		return Invalid(FieldError{"agreement_id", "The recipient's agency is not a party to that agreement"})
	}
	return nil
}

// Seal is a sealed record: found by no one off its allow-list.
type Seal struct {
	ChildID  string        `json:"child_id"`
	Reason   string        `json:"reason"`
	ReviewOn Date          `json:"review_on"`
	SealedBy string        `json:"sealed_by"`
	SealedAt time.Time     `json:"sealed_at"`
	Allowed  []*SealAccess `json:"allowed"`
}

// SealRequest seals a record.
type SealRequest struct {
	Reason   string `json:"reason"`
	ReviewOn Date   `json:"review_on"`
	// Allow is who else may see the record (the sealer and the allocated
	// social worker always may).
	Allow []string `json:"allow,omitempty"`
}

// MaxSealReview is how far ahead a seal's review may be set.
const MaxSealReview = 366

// CheckSeal checks a seal as asked for on today.
func CheckSeal(r *SealRequest, today Date) error {
	var p Problems
	r.Reason = strings.TrimSpace(r.Reason)
	if utf8.RuneCountInString(r.Reason) < MinShareReason {
		p.Add("reason", "Give the reason for sealing the record")
	}
	checkText(&p, "reason", "reason", r.Reason, 2000)
	switch {
	case r.ReviewOn.IsZero():
		p.Add("review_on", "Enter the date the seal is to be reviewed")
	case r.ReviewOn.Before(today):
		p.Add("review_on", "The review date must be today or later")
	case r.ReviewOn.After(today.AddDays(MaxSealReview)):
		p.Add("review_on", "Review a seal within a year")
	}
	if len(r.Allow) > 50 {
		p.Add("allow", "At most 50 people can be on a record's allow-list")
	}
	return p.Err()
}

// Kinds of access to a sealed record.
const (
	AccessAllowed    = "allowed"
	AccessBreakGlass = "break-glass"
)

// SealAccess is a person's access to a sealed record: on its allow-list,
// or by breaking the glass for a while.
type SealAccess struct {
	ID         string     `json:"id"`
	ChildID    string     `json:"child_id"`
	UserID     string     `json:"user_id"`
	UserName   string     `json:"user_name,omitempty"`
	Kind       string     `json:"kind"`
	Reason     string     `json:"reason,omitempty"`
	GrantedBy  string     `json:"granted_by"`
	GrantedAt  time.Time  `json:"granted_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	EndedAt    *time.Time `json:"ended_at,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	ReviewedBy string     `json:"reviewed_by,omitempty"`
	ReviewNote string     `json:"review_note,omitempty"`
	// ReviewBy is the last day to review it: BreakGlassReviewDays working
	// days after the day of the grant. Late, unreviewed after it.
	ReviewBy *Date `json:"review_by,omitempty"`
	Late     bool  `json:"late,omitempty"`
}

// BreakGlassMinReason is the fewest characters a break-glass reason may have.
const BreakGlassMinReason = 20

// BreakGlassFor is how long breaking the glass opens a record by default.
const BreakGlassFor = 4 * time.Hour

// BreakGlassReviewDays is how many working days the review of a break-glass
// access has before it is late.
const BreakGlassReviewDays = 5

// BreakGlassRequest asks to read a sealed record.
type BreakGlassRequest struct {
	Reason string `json:"reason"`
}

// CheckBreakGlass checks the reason given.
func CheckBreakGlass(r *BreakGlassRequest) error {
	return checkWords(&r.Reason, "reason", BreakGlassMinReason, 2000, "Give the reason you need this record now, in at least 20 characters")
}

// checkWords trims a required text and checks it has from min to max
// characters and no control characters, naming field with msg when short.
func checkWords(v *string, field string, min, max int, msg string) error {
	var p Problems
	*v = strings.TrimSpace(*v)
	if utf8.RuneCountInString(*v) < min {
		p.Add(field, msg)
	}
	checkText(&p, field, field, *v, max)
	return p.Err()
}

// ReviewRequest records the review of a break-glass access.
type ReviewRequest struct {
	Note string `json:"note"`
}

// CheckReview checks a review.
func CheckReview(r *ReviewRequest) error {
	return checkWords(&r.Note, "note", MinShareReason, 5000, "Say what the review found")
}
