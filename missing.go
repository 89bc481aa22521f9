package lantern

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// MissingEpisode is a time a child went missing or was absent.
type MissingEpisode struct {
	ID              string     `json:"id"`
	ChildID         string     `json:"child_id"`
	Kind            string     `json:"kind"` // missing, absent
	MissingFrom     time.Time  `json:"missing_from"`
	ReportedBy      string     `json:"reported_by,omitempty"`
	ReportedAt      *time.Time `json:"reported_at,omitempty"`
	PoliceReference string     `json:"police_reference,omitempty"`
	ReturnedAt      *time.Time `json:"returned_at,omitempty"`
	ReturnedWhere   string     `json:"returned_where,omitempty"`
	ReturnedWith    string     `json:"returned_with,omitempty"`
	// Presentation is how the child presented on return.
	Presentation      []string `json:"presentation"`
	PresentationNotes string   `json:"presentation_notes,omitempty"`
	LookedAfter       bool     `json:"looked_after"`
	Placement         string   `json:"placement,omitempty"`
	// PlacingAuthorityInformed is when the placing authority was told.
	PlacingAuthorityInformed *time.Time       `json:"placing_authority_informed,omitempty"`
	Interview                *ReturnInterview `json:"return_interview,omitempty"`
	Version                  int              `json:"version"`
	Tasks                    []*Task          `json:"tasks"`
}

// Open reports whether the child is still missing.
func (e *MissingEpisode) Open() bool { return e.ReturnedAt == nil }

// Presentations are how a child may present on return (docs/pathway.md#missing-children-and-return-interviews).
var Presentations = []string{"injuries", "intoxication", "new-possessions", "well-cared-for", "tired-or-hungry", "distressed"}

// PresentationLabel says a presentation in words.
func PresentationLabel(p string) string {
	switch p {
	case "injuries":
		return "Injuries"
	case "intoxication":
		return "Drunk or under the influence of drugs"
	case "new-possessions":
		return "New possessions, money or clothes"
	case "well-cared-for":
		return "Looked well cared for, with no known base"
	case "tired-or-hungry":
		return "Tired or hungry"
	case "distressed":
		return "Distressed"
	}
	return p
}

// EpisodeInput is what is recorded of an episode.
type EpisodeInput struct {
	Kind                     string
	MissingFrom              time.Time
	ReportedBy               string
	ReportedAt               *time.Time
	PoliceReference          string
	ReturnedAt               *time.Time
	ReturnedWhere            string
	ReturnedWith             string
	Presentation             []string
	PresentationNotes        string
	Placement                string
	PlacingAuthorityInformed *time.Time
}

// Validate checks an episode as of now.
func (in *EpisodeInput) Validate(now time.Time) error {
	var p Problems
	if in.Kind == "" {
		in.Kind = "missing"
	}
	if in.Kind != "missing" && in.Kind != "absent" {
		p.Add("kind", "The kind must be missing or absent")
	}
	checkEventTime(&p, "missing_from", in.MissingFrom, now)
	if in.ReportedAt != nil {
		checkEventTime(&p, "reported_at", *in.ReportedAt, now)
	}
	if in.ReturnedAt != nil {
		checkEventTime(&p, "returned_at", *in.ReturnedAt, now)
		if !in.MissingFrom.IsZero() && in.ReturnedAt.Before(in.MissingFrom) {
			p.Add("returned_at", "The return cannot be before the child went missing")
		}
	}
	if in.PlacingAuthorityInformed != nil {
		checkEventTime(&p, "placing_authority_informed", *in.PlacingAuthorityInformed, now)
	}
	for _, pr := range in.Presentation {
		if !slices.Contains(Presentations, pr) {
			p.Add("presentation", "Unknown presentation "+pr+": use "+strings.Join(Presentations, ", "))
			break
		}
	}
	for _, f := range []struct{ field, label, v string }{
		{"reported_by", "reporter", in.ReportedBy}, {"police_reference", "police reference", in.PoliceReference},
		{"returned_where", "place", in.ReturnedWhere}, {"returned_with", "who they were with", in.ReturnedWith},
		{"placement", "placement", in.Placement},
	} {
		checkText(&p, f.field, f.label, strings.TrimSpace(f.v), 500)
	}
	checkText(&p, "presentation_notes", "notes", in.PresentationNotes, 5000)
	return p.Err()
}

// ReturnInterview is the independent interview offered after a return.
type ReturnInterview struct {
	ID        string     `json:"id"`
	OfferedAt *time.Time `json:"offered_at,omitempty"`
	HeldAt    *time.Time `json:"held_at,omitempty"`
	HeldBy    string     `json:"held_by,omitempty"`
	// ChildSaid is restricted: shown only to those who need it.
	ChildSaid     string   `json:"child_said,omitempty"`
	Restricted    bool     `json:"child_said_restricted,omitempty"`
	FollowUp      []string `json:"follow_up"`
	NotHeldReason string   `json:"not_held_reason,omitempty"`
}

// FollowUps are what may follow an interview.
// Each makes a work task (FollowUpWork), and the episode's page offers the
// place to do it.
var FollowUps = []string{"new-concern", "referral", "reassessment", "strategy-meeting", "police-intelligence", "safety-plan"}

// NotHeldReasons are why an interview did not happen.
var NotHeldReasons = []string{"declined", "not-reachable"}

// FollowUpLabel says a follow-up in words.
func FollowUpLabel(f string) string {
	return labelOf(f, map[string]string{"new-concern": "Record a new concern", "reassessment": "Complete the toolkit again",
		"police-intelligence": "Share intelligence with the police", "referral": "Refer to children's social care",
		"strategy-meeting": "Ask for a strategy meeting", "safety-plan": "Make a safety plan"})
}

// NotHeldLabel says why an interview did not happen, in words.
func NotHeldLabel(r string) string {
	return labelOf(r, map[string]string{"declined": "The young person declined it", "not-reachable": "The young person could not be reached"})
}

// Patterns summarise a child's episodes for the child's page.
type Patterns struct {
	Last30  int  `json:"last_30_days"`
	Last90  int  `json:"last_90_days"`
	Last365 int  `json:"last_365_days"`
	Open    bool `json:"still_missing"`
	// ByTimeOfDay counts episodes by when they began, in London:
	// night (22-06), morning (06-12), afternoon (12-18), evening (18-22).
	ByTimeOfDay map[string]int `json:"by_time_of_day"`
	// Places are where the child was found, most often first.
	Places []PlaceCount `json:"places"`
	// Reassess is the prompt: three or more episodes in 90 days.
	Reassess bool `json:"reassess"`
}

// PlaceCount is a place and how often.
type PlaceCount struct {
	Place string `json:"place"`
	Count int    `json:"count"`
}

// EpisodePatterns works out the patterns of episodes as of now.
func EpisodePatterns(es []*MissingEpisode, now time.Time) Patterns {
	p := Patterns{ByTimeOfDay: map[string]int{"night": 0, "morning": 0, "afternoon": 0, "evening": 0}}
	places := map[string]int{}
	for _, e := range es {
		age := now.Sub(e.MissingFrom)
		if age <= 30*24*time.Hour {
			p.Last30++
		}
		if age <= 90*24*time.Hour {
			p.Last90++
		}
		if age <= 365*24*time.Hour {
			p.Last365++
		}
		if e.Open() {
			p.Open = true
		}
		switch h := e.MissingFrom.In(London).Hour(); {
		case h >= 22 || h < 6:
			p.ByTimeOfDay["night"]++
		case h < 12:
			p.ByTimeOfDay["morning"]++
		case h < 18:
			p.ByTimeOfDay["afternoon"]++
		default:
			p.ByTimeOfDay["evening"]++
		}
		if w := strings.TrimSpace(e.ReturnedWhere); w != "" {
			places[strings.ToLower(w)]++
		}
	}
	for pl, n := range places {
		p.Places = append(p.Places, PlaceCount{pl, n})
	}
	sort.Slice(p.Places, func(i, j int) bool {
		if p.Places[i].Count != p.Places[j].Count {
			return p.Places[i].Count > p.Places[j].Count
		}
		return p.Places[i].Place < p.Places[j].Place
	})
	p.Reassess = p.Last90 >= 3
	return p
}

// ReturnInput records a child's return.
type ReturnInput struct {
	ReturnedAt               time.Time
	ReturnedWhere            string
	ReturnedWith             string
	Presentation             []string
	PresentationNotes        string
	PlacingAuthorityInformed *time.Time
}

// InterviewInput records a return interview, or why there was none.
type InterviewInput struct {
	OfferedAt     *time.Time
	HeldAt        *time.Time
	HeldBy        string
	ChildSaid     string
	FollowUp      []string
	NotHeldReason string
}

// MissingMonth is a month's figures for the partnership.
type MissingMonth struct {
	Month string `json:"month"` // YYYY-MM
	// All children, and looked-after children shown apart.
	All         MissingCounts `json:"all"`
	LookedAfter MissingCounts `json:"looked_after"`
}

// MissingCounts are a month's counts for a group of children.
type MissingCounts struct {
	Episodes        int `json:"episodes"`
	Children        int `json:"children"`
	RepeatChildren  int `json:"repeat_children"` // two or more episodes in the month
	Returns         int `json:"returns"`
	InterviewsIn72h int `json:"interviews_within_72h"`
	// ReturnsDue are the returns whose interview is decided: held within
	// 72 hours, recorded (held late or not held), or not recorded with the
	// 72 hours passed. The per cent is of these: a return whose 72 hours
	// are still running is not late yet (docs/pathway.md).
	ReturnsDue   int      `json:"returns_due"`
	PercentIn72h *float64 `json:"percent_interviews_within_72h"`
}

// ReturnInterviewOutcome says whether a return counts towards the per cent
// of return interviews held within 72 hours, as of now, and whether it
// counts as within. returned is when the child returned; recorded is
// whether an interview (held or not) has been recorded; held is when it
// was held, if it was.
func ReturnInterviewOutcome(returned time.Time, recorded bool, held *time.Time, now time.Time) (due, within bool) {
	deadline := returned.Add(72 * time.Hour)
	within = held != nil && !held.After(deadline)
	return within || recorded || now.After(deadline), within
}
