package lantern

import (
	"strings"
	"time"
)

// The toolkit's prompts from intelligence (issue 14, item 7): a link from a
// child to a person of concern, or to a hotspot, suggests an indicator on
// the assessment form, with the link it came from. The practitioner
// confirms (ticks the indicator) or declines with a reason; a suggestion
// never ticks itself.

// The indicators intelligence suggests (toolkit/nottingham-v1.json).
const (
	IndicatorKnownPerpetrators = "sign.known-perpetrators"
	IndicatorHotspotAreas      = "sign.hotspot-areas"
)

// PromptKinds are the links from a child to a person that suggest
// "Associating with known CSE perpetrators".
var PromptKinds = []LinkKind{LinkAssociate, LinkCollectedFrom, LinkOnlineContact}

// IntelPrompt is one suggestion: the indicator, the child's link it came
// from, and what may be said of it to the caller.
type IntelPrompt struct {
	Indicator  string `json:"indicator"`
	LinkID     string `json:"link_id"`
	RecordedOn Date   `json:"recorded_on"`
	// Text says what intelligence holds, in words the caller may read: for
	// someone who may not read intelligence, only that it links the child
	// to a person of concern or a hotspot, and when.
	Text string `json:"text"`
	// Entity is the person or place, and Via the phone, vehicle or account
	// between, for those who read intelligence only.
	Entity *EntityRef `json:"entity,omitempty"`
	Label  string     `json:"label,omitempty"`
	Via    string     `json:"via,omitempty"`
}

// Decisions on a prompt.
const (
	PromptConfirmed = "confirmed"
	PromptDeclined  = "declined"
)

// PromptDecision is what the practitioner decided about a prompt.
type PromptDecision struct {
	Indicator string `json:"indicator"`
	LinkID    string `json:"link_id"`
	Decision  string `json:"decision"`
	Reason    string `json:"reason,omitempty"`
}

// CheckPromptDecision checks a decision: confirmed, or declined with a
// reason. Problems are named under field: field.decision, field.reason.
func CheckPromptDecision(d *PromptDecision, field string) error {
	var p Problems
	d.Reason = strings.TrimSpace(d.Reason)
	switch d.Decision {
	case PromptConfirmed:
	case PromptDeclined:
		if d.Reason == "" {
			p.Add(field+".reason", "Say why you decline the suggestion")
		}
	default:
		p.Add(field+".decision", "Confirm or decline the suggestion")
	}
	checkText(&p, field+".reason", "reason", d.Reason, 2000)
	return p.Err()
}

// PromptText says what intelligence holds about a suggestion, in words the
// caller may read. To someone who reads intelligence: the person or place
// (and the phone, vehicle or account between, if any), the kind of link
// and when it was recorded. To anyone else: only that intelligence links
// the child to a person of concern or a hotspot, and when.
func PromptText(indicator string, recordedOn Date, kind LinkKind, reader bool, label, via string) string {
	if !reader {
		what := "a person of concern"
		if indicator == IndicatorHotspotAreas {
			what = "a place known as a hotspot"
		}
		return "Intelligence held links this child to " + what + " (recorded " + recordedOn.String() + ")"
	}
	t := "Intelligence links this child to " + label
	if via != "" {
		t += " through " + via
	}
	return t + ": " + kind.Label() + " (recorded " + recordedOn.String() + ")"
}

// AssessmentPrompt is a decision on a suggestion, kept with an assessment:
// what was decided, by whom and when, and the link the suggestion came
// from, said as IntelPrompt says it to the caller. A decision on a link
// of handling C is the police's: no one else is shown it.
type AssessmentPrompt struct {
	AssessmentID  string    `json:"-"`
	Indicator     string    `json:"indicator"`
	LinkID        string    `json:"link_id"`
	Decision      string    `json:"decision"`
	Reason        string    `json:"reason"`
	DecidedBy     string    `json:"decided_by"`
	DecidedByName string    `json:"decided_by_name"`
	DecidedAt     time.Time `json:"decided_at"`
	RecordedOn    Date      `json:"recorded_on"`
	Text          string    `json:"text"`
	// Entity is the other end of the link (the person, place, phone,
	// vehicle or account), Label its label, and Withdrawn whether the
	// link has been withdrawn since: for those who read intelligence only.
	Entity    *EntityRef `json:"entity,omitempty"`
	Label     string     `json:"label,omitempty"`
	Withdrawn bool       `json:"withdrawn,omitempty"`
}
