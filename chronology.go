package lantern

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A child's chronology: every event on the record in time order, each once
// (docs/api.md#chronology). The store reads each source and writes each
// item's summary in words; this is the list of kinds, the filter's reader
// and the order.

// ChronologyKind is a kind of item in a chronology.
type ChronologyKind string

const (
	ChronConcern              ChronologyKind = "concern"
	ChronAssessment           ChronologyKind = "assessment"
	ChronReferral             ChronologyKind = "referral"
	ChronReferralDecision     ChronologyKind = "referral-decision"
	ChronStrategyDiscussion   ChronologyKind = "strategy-discussion"
	ChronS47Enquiry           ChronologyKind = "s47-enquiry"
	ChronS47Outcome           ChronologyKind = "s47-outcome"
	ChronConference           ChronologyKind = "conference"
	ChronPlanStart            ChronologyKind = "plan-start"
	ChronPlanEnd              ChronologyKind = "plan-end"
	ChronCoreGroup            ChronologyKind = "core-group"
	ChronSocialWorkAssessment ChronologyKind = "social-work-assessment"
	ChronMeeting              ChronologyKind = "meeting"
	ChronMeetingDecision      ChronologyKind = "meeting-decision"
	ChronMissingEpisode       ChronologyKind = "missing-episode"
	ChronReturn               ChronologyKind = "return"
	ChronReturnInterview      ChronologyKind = "return-interview"
	ChronShare                ChronologyKind = "share"
)

// ChronologyKinds lists every kind, in the order the filter shows them.
var ChronologyKinds = []ChronologyKind{ChronConcern, ChronAssessment, ChronReferral, ChronReferralDecision, ChronStrategyDiscussion,
	ChronS47Enquiry, ChronS47Outcome, ChronConference, ChronPlanStart, ChronPlanEnd, ChronCoreGroup, ChronSocialWorkAssessment,
	ChronMeeting, ChronMeetingDecision, ChronMissingEpisode, ChronReturn, ChronReturnInterview, ChronShare}

func (k ChronologyKind) Valid() bool { return slices.Contains(ChronologyKinds, k) }

// Label is the kind in words.
func (k ChronologyKind) Label() string {
	return labelOf(k, map[ChronologyKind]string{ChronConcern: "Concern", ChronAssessment: "Toolkit assessment",
		ChronReferral: "Referral", ChronReferralDecision: "Referral decision", ChronStrategyDiscussion: "Strategy discussion",
		ChronS47Enquiry: "Section 47 enquiry started", ChronS47Outcome: "Section 47 enquiry completed",
		ChronConference: "Child protection conference", ChronPlanStart: "Child protection plan started",
		ChronPlanEnd: "Child protection plan ended", ChronCoreGroup: "Core group meeting",
		ChronSocialWorkAssessment: "Social work assessment", ChronMeeting: "Meeting", ChronMeetingDecision: "Meeting decision",
		ChronMissingEpisode: "Missing or absent", ChronReturn: "Return", ChronReturnInterview: "Return interview",
		ChronShare: "Information shared"})
}

// ChronologyItem is one event in a child's chronology. Summary is in
// words, with no internal id; Link is the page that shows the event, where
// there is one.
type ChronologyItem struct {
	At       time.Time      `json:"at"`
	Kind     ChronologyKind `json:"kind"`
	Summary  string         `json:"summary"`
	ID       string         `json:"id"`
	Link     string         `json:"link,omitempty"`
	ByAgency string         `json:"by_agency,omitempty"`
	// DateOnly says the event has a date but no time of day (a toolkit's,
	// a plan's): At is the start of that day in the UK.
	DateOnly bool `json:"date_only,omitempty"`
}

// ChronologyFilter is which kinds a chronology holds: every kind when
// empty.
type ChronologyFilter []ChronologyKind

// Wants reports whether the filter keeps kind k.
func (f ChronologyFilter) Wants(k ChronologyKind) bool { return len(f) == 0 || slices.Contains(f, k) }

// WantsAny reports whether the filter keeps any of ks.
func (f ChronologyFilter) WantsAny(ks ...ChronologyKind) bool {
	return slices.ContainsFunc(ks, f.Wants)
}

// ParseChronologyKinds reads a filter given as kinds separated by commas
// ("concern,referral"), each perhaps given more than once (?kind=a&kind=b).
// Blank parts are ignored; an unknown kind is a problem naming kind.
func ParseChronologyKinds(values []string) (ChronologyFilter, error) {
	var f ChronologyFilter
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			k := ChronologyKind(strings.TrimSpace(part))
			switch {
			case k == "":
			case !k.Valid():
				return nil, Invalid(FieldError{Field: "kind", Message: "Unknown kind: use one or more of " + OneOf(ChronologyKinds)})
			case !slices.Contains(f, k):
				f = append(f, k)
			}
		}
	}
	return f, nil
}

// chronRank is each kind's place in ChronologyKinds, for the order.
var chronRank = func() map[ChronologyKind]int {
	m := map[ChronologyKind]int{}
	for i, k := range ChronologyKinds {
		m[k] = i
	}
	return m
}()

// SortChronology orders items newest first; items at the same time keep
// the order of ChronologyKinds reversed (a referral's decision made as it
// arrived comes above it), then by id, so the order is stable.
func SortChronology(items []ChronologyItem) {
	slices.SortFunc(items, func(a, b ChronologyItem) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		if c := cmp.Compare(chronRank[b.Kind], chronRank[a.Kind]); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Excerpt is the start of free text for a summary: one line, at most n
// runes, cut at a word with an ellipsis.
func Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// Span is a length of time in words, roughly: "3 hours", "2 days".
func Span(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.Itoa(n) + " " + unit + "s"
	}
	switch {
	case d < time.Hour:
		return plural(max(int(d/time.Minute), 0), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

// ShareWhatLabel says in words what a share sent (information_shares.what),
// from a meeting of kind k when there was one.
func ShareWhatLabel(what string, k MeetingKind) string {
	switch what {
	case "minutes":
		if k != "" {
			return "Minutes of the " + LowerFirst(k.Label())
		}
		return "Meeting minutes"
	case "toolkit":
		return "Toolkit assessment"
	case "police-form":
		return "Partner intelligence form"
	}
	return "Information"
}

// LowerFirst lowers the first letter of words that will follow others
// ("Strategy discussion" after "the"), leaving an acronym ("CSE") as it is.
func LowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 || (len(r) > 1 && unicode.IsUpper(r[1])) {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
