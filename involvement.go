package lantern

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// InvolvementSource is the explicit act that involves an agency with a child,
// so that its people see the record. The involvement lasts as long as its
// source: a professional removed, an invitation withdrawn, an action's task
// withdrawn, each ends the involvement it gave; the others (and an
// invitation to a meeting that has taken place) are ended by a decision,
// with a reason.
type InvolvementSource string

const (
	// SourceRecordCreated: someone of the agency made the record (someone
	// who sees every child by their role or agency involves no one so).
	SourceRecordCreated InvolvementSource = "record-created"
	// SourceProfessional: a professional of the agency named on the record.
	SourceProfessional InvolvementSource = "professional"
	// SourceInvitation: someone of the agency, from the directory, invited
	// to a meeting about the child.
	SourceInvitation InvolvementSource = "invitation"
	// SourceAction: someone of the agency owns an action of a meeting about
	// the child (done, it stays part of the record's work; withdrawn, its
	// task closed, it ends).
	SourceAction InvolvementSource = "action"
	// SourceShare: the child's information shared with someone of the
	// agency, from the directory.
	SourceShare InvolvementSource = "share"
	// SourceDecision: children's social care or the coordinator decided the
	// agency is involved, and said why.
	SourceDecision InvolvementSource = "decision"
)

// InvolvementSources lists every source, in the order shown to people.
var InvolvementSources = []InvolvementSource{SourceRecordCreated, SourceProfessional, SourceInvitation, SourceAction, SourceShare, SourceDecision}

func (s InvolvementSource) Valid() bool { return slices.Contains(InvolvementSources, s) }

// Label is the source in words.
func (s InvolvementSource) Label() string {
	switch s {
	case SourceRecordCreated:
		return "Made the record"
	case SourceProfessional:
		return "A professional named on the record"
	case SourceInvitation:
		return "Invited to a meeting"
	case SourceAction:
		return "Owns a meeting's action"
	case SourceShare:
		return "Information shared with them"
	case SourceDecision:
		return "Decided on the record"
	}
	return string(s)
}

// Endable reports whether the involvement may be ended by a decision on
// the child's record. A professional's ends when they are removed from the
// record, and an invitation's when it is withdrawn or the meeting
// cancelled; but once the meeting has taken place (or did not), nothing
// withdraws the invitation, so children's social care or the coordinator
// ends it, with a reason.
func (i *Involvement) Endable() bool {
	switch i.Source {
	case SourceProfessional:
		return false
	case SourceInvitation:
		return i.MeetingStatus != "" && i.MeetingStatus != MeetingScheduled
	}
	return true
}

// Involvement is one source of an agency's involvement with a child.
type Involvement struct {
	ID         string            `json:"id"`
	ChildID    string            `json:"child_id"`
	AgencyID   string            `json:"agency_id"`
	AgencyName string            `json:"agency_name"`
	Source     InvolvementSource `json:"source"`
	SourceID   string            `json:"source_id"`
	Reason     string            `json:"reason,omitempty"`
	StartedAt  time.Time         `json:"started_at"`
	StartedBy  string            `json:"started_by"`
	// StartedByName and EndedByName are the people's names, for showing;
	// empty where the system did it.
	StartedByName string     `json:"started_by_name,omitempty"`
	EndedAt       *time.Time `json:"ended_at,omitempty"`
	EndedBy       string     `json:"ended_by,omitempty"`
	EndedByName   string     `json:"ended_by_name,omitempty"`
	EndReason     string     `json:"end_reason,omitempty"`
	// MeetingID, MeetingKind and MeetingStartsAt are the meeting an
	// invitation, action or share came from, so a reader can tell the
	// sources apart.
	MeetingID       string      `json:"meeting_id,omitempty"`
	MeetingKind     MeetingKind `json:"meeting_kind,omitempty"`
	MeetingStartsAt *time.Time  `json:"meeting_starts_at,omitempty"`
	// MeetingStatus is that meeting's status: an invitation's involvement
	// may be ended by a decision once the meeting is no longer to be held.
	MeetingStatus MeetingStatus `json:"meeting_status,omitempty"`
}

// Live reports whether the involvement still gives its agency the record.
func (i *Involvement) Live() bool { return i.EndedAt == nil }

// InvolvementInput is a decision to involve an agency with a child.
type InvolvementInput struct {
	AgencyID string `json:"agency_id"`
	Reason   string `json:"reason"`
}

// Validate trims the input and checks it.
func (in *InvolvementInput) Validate() error {
	in.AgencyID, in.Reason = strings.TrimSpace(in.AgencyID), strings.TrimSpace(in.Reason)
	var p Problems
	if in.AgencyID == "" {
		p.Add("agency_id", "Select the agency to involve")
	}
	checkReason(&p, "reason", in.Reason, "Say why the agency is involved")
	return p.Err()
}

// checkReason requires a reason of at most 2000 characters.
func checkReason(p *Problems, field, v, missing string) {
	switch {
	case v == "":
		p.Add(field, missing)
	case utf8.RuneCountInString(v) > 2000:
		p.Add(field, "The reason must be 2000 characters or fewer")
	default:
		checkText(p, field, "reason", v, 2000)
	}
}

// CheckEndReason checks why an involvement is ended.
func CheckEndReason(reason string) error {
	var p Problems
	checkReason(&p, "reason", strings.TrimSpace(reason), "Say why the agency is no longer involved")
	return p.Err()
}
