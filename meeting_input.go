package lantern

import (
	"strings"
	"time"
	"unicode/utf8"
)

// What arranging, changing and recording a meeting takes, and the meeting
// lists and reports read back.

// MeetingInput is what arranging a meeting needs.
type MeetingInput struct {
	Kind     MeetingKind
	ChildIDs []string
	StartsAt time.Time
	EndsAt   time.Time
	Location string
	// AssessmentID attaches a completed toolkit about one of the children.
	AssessmentID string
	// Invitees, and whether the young person and carers are invited (or
	// why not), may be given now or later.
	Invitees      []InviteeInput
	Participation *Participation
}

// Outcome is what a meeting decided.
type Outcome struct {
	Held      bool
	Decisions []MeetingDecision
	Actions   []MeetingAction
	// Attendance by invitee id.
	Attendance map[string]Attendance
	Chair      string
	Minutes    string
	// Associates is what is known of associates and suspected offenders.
	Associates      string
	NextMeetingDate Date
}

// MeetingsReport counts the CSE strategy meetings held in a period, the
// distinct children they were about, and each child's level at the latest
// of those meetings.
type MeetingsReport struct {
	Meetings int            `json:"meetings"`
	Children int            `json:"children"`
	ByLevel  map[string]int `json:"by_level"`
}

// InviteeInput is someone to invite: a directory entry by its id, or anyone
// else by name and email address.
type InviteeInput struct {
	ContactID string
	Name      string
	Email     string
	Agency    string
	Role      string
}

// Participation is whether the young person and their carers are invited to
// a meeting, and if not, why not.
type Participation struct {
	YoungPerson       string // invited, not-invited
	YoungPersonReason string
	Carers            string
	CarersReason      string
}

func (pt *Participation) Check(p *Problems) {
	pt.YoungPersonReason, pt.CarersReason = strings.TrimSpace(pt.YoungPersonReason), strings.TrimSpace(pt.CarersReason)
	check := func(field, v, reason, who string) {
		switch v {
		case "invited", "":
		case "not-invited":
			if reason == "" {
				p.Add(field+"_reason", "Say why "+who+" not invited")
			}
		default:
			p.Add(field, "Say whether "+who+" invited: invited or not-invited")
		}
		if utf8.RuneCountInString(reason) > 2000 {
			p.Add(field+"_reason", "The reason must be 2000 characters or fewer")
		}
	}
	check("young_person", pt.YoungPerson, pt.YoungPersonReason, "the young person is")
	check("carers", pt.Carers, pt.CarersReason, "the carers are")
	if pt.YoungPerson != "not-invited" {
		pt.YoungPersonReason = ""
	}
	if pt.Carers != "not-invited" {
		pt.CarersReason = ""
	}
}

// Invitation is one email to send: the invitee and what they are to be
// sent (an invitation or update at the meeting's sequence, or a
// cancellation).
type Invitation struct {
	Invitee Invitee
	Cancel  bool
}

// MeetingFilter narrows a list of meetings.
type MeetingFilter struct {
	ChildID string    // about this child
	From    time.Time // starting at or after (zero: any)
	Before  time.Time // starting before (zero: any)
	Newest  bool      // latest first
	Limit   int       // 50 when zero; at most 500
}

// MeetingChild names a child on a meeting in a list.
type MeetingChild struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// MeetingSummary is a meeting as a list shows it.
type MeetingSummary struct {
	ID       string         `json:"id"`
	Kind     MeetingKind    `json:"kind"`
	Status   MeetingStatus  `json:"status"`
	StartsAt time.Time      `json:"starts_at"`
	EndsAt   time.Time      `json:"ends_at"`
	Location string         `json:"location"`
	Children []MeetingChild `json:"children"`
}

// ComingUp is whether a meeting belongs in a list of meetings still to
// come: it has not ended and is neither held nor recorded as not taking
// place. A meeting held earlier today is not coming up; a cancelled one
// still to come is, so that no one goes to it.
func (m *MeetingSummary) ComingUp(now time.Time) bool {
	return m.EndsAt.After(now) && m.Status != MeetingHeld && m.Status != MeetingNotHeld
}

// SplitComingUp divides meetings from the start of today on, in order of
// starting, into those coming up and those past (latest first), by
// ComingUp.
func SplitComingUp(ms []*MeetingSummary, now time.Time) (coming, past []*MeetingSummary) {
	for _, m := range ms {
		if m.ComingUp(now) {
			coming = append(coming, m)
		} else {
			past = append([]*MeetingSummary{m}, past...)
		}
	}
	return coming, past
}

// Owner is someone who may own a meeting's action.
type Owner struct {
	ID, Name, Agency string
}

// Distribution is one email of a distribution: to one recipient, about the
// shares it carries.
type Distribution struct {
	To       Invitee
	What     []string // minutes, toolkit
	ShareIDs []string
}
