package lantern

import (
	"slices"
	"strings"
	"time"
)

// The partnership's strategy action plan (docs/strategy.md): strands, the
// actions under each, dated progress notes carrying a RAG rating, and a
// suggested rating worked out from the dates, which a person may override
// with a reason. A board is a dated snapshot of every action's rating, so
// that the next board sees what changed.

// PlanRAG is an action's rating: blue done, green on track, amber at risk, red
// off track. "" is not yet rated (a new action, before its first note).
type PlanRAG string

const (
	PlanUnrated PlanRAG = ""
	PlanBlue    PlanRAG = "blue"
	PlanGreen   PlanRAG = "green"
	PlanAmber   PlanRAG = "amber"
	PlanRed     PlanRAG = "red"
)

// PlanRAGs are the ratings, done first (the order of a board's columns).
var PlanRAGs = []PlanRAG{PlanBlue, PlanGreen, PlanAmber, PlanRed}

// Valid reports whether r is one of PlanRAGs.
func (r PlanRAG) Valid() bool { return slices.Contains(PlanRAGs, r) }

// Word is what the rating means, the word shown inside its tag: colour is
// never the only carrier.
func (r PlanRAG) Word() string {
	switch r {
	case PlanBlue:
		return "Done"
	case PlanGreen:
		return "On track"
	case PlanAmber:
		return "At risk"
	case PlanRed:
		return "Off track"
	}
	return "Not rated"
}

// Label is the colour and its meaning: "Amber: at risk".
func (r PlanRAG) Label() string {
	if !r.Valid() {
		return "Not rated"
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:]) + ": " + strings.ToLower(r.Word())
}

// TagClass is the GOV.UK tag's modifier; amber is GOV.UK's yellow.
func (r PlanRAG) TagClass() string {
	switch r {
	case PlanBlue:
		return "govuk-tag--blue"
	case PlanGreen:
		return "govuk-tag--green"
	case PlanAmber:
		return "govuk-tag--yellow"
	case PlanRed:
		return "govuk-tag--red"
	}
	return "govuk-tag--grey"
}

// concern ranks how much a rating says is wrong: red most, done least.
func (r PlanRAG) concern() int {
	switch r {
	case PlanRed:
		return 3
	case PlanAmber:
		return 2
	case PlanGreen:
		return 1
	}
	return 0
}

// NeedsRationale reports whether a rating must say why: amber and red.
func (r PlanRAG) NeedsRationale() bool { return r == PlanAmber || r == PlanRed }

// Strand is one of the strategy's strands of work.
type Strand struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	Title  string `json:"title"`
	Aim    string `json:"aim"`
	// Actions are the strand's actions, by reference, when listed with
	// them.
	Actions []*PlanAction `json:"actions,omitempty"`
}

// StrandInput is a strand as written.
type StrandInput struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	Aim    string `json:"aim"`
}

// CheckStrand checks a strand as written.
func CheckStrand(in *StrandInput) error {
	var p Problems
	in.Title, in.Aim = strings.TrimSpace(in.Title), strings.TrimSpace(in.Aim)
	if in.Number < 1 || in.Number > 99 {
		p.Add("number", "Give the strand a number from 1 to 99")
	}
	if in.Title == "" {
		p.Add("title", "Enter the strand's title")
	}
	checkText(&p, "title", "title", in.Title, 200)
	checkText(&p, "aim", "aim", in.Aim, 2000)
	return p.Err()
}

// PlanActionInput is an action as written. Lead is the id of the person of
// the area who leads it; Agency is who delivers it, in words (an agency, a
// group, a board). DueOn nil is "ongoing". Version is the version read (0
// for a new action): a stale one is refused.
type PlanActionInput struct {
	StrandID    string `json:"strand_id"`
	Reference   string `json:"reference"`
	Description string `json:"description"`
	Lead        string `json:"lead"`
	Agency      string `json:"agency"`
	DueOn       *Date  `json:"due_on"`
	Version     int    `json:"version"`
}

// PlanAction is an action of the plan, with its latest rating.
type PlanAction struct {
	ID string `json:"id"`
	PlanActionInput
	LeadName string `json:"lead_name"`
	// RAG is the latest note's rating, Rationale its reason; "" before the
	// first note.
	RAG       PlanRAG `json:"rag"`
	Rationale string  `json:"rationale,omitempty"`
	// LastNoteOn is the latest note's date.
	LastNoteOn *Date `json:"last_note_on,omitempty"`
	// Suggested is the rating the dates suggest (SuggestRAG), "" for
	// none; filled in when listed.
	Suggested PlanRAG        `json:"suggested_rag,omitempty"`
	Notes     []ProgressNote `json:"notes,omitempty"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// Ongoing reports whether the action has no due date.
func (a *PlanAction) Ongoing() bool { return a.DueOn == nil }

// Overdue reports whether the action is past its due date and not done.
func (a *PlanAction) Overdue(today Date) bool {
	return a.DueOn != nil && a.DueOn.Before(today) && a.RAG != PlanBlue
}

// CheckPlanAction checks an action as written (the store checks that the
// strand and the lead exist).
func CheckPlanAction(in *PlanActionInput) error {
	var p Problems
	for _, s := range []*string{&in.StrandID, &in.Reference, &in.Description, &in.Lead, &in.Agency} {
		*s = strings.TrimSpace(*s)
	}
	if in.StrandID == "" {
		p.Add("strand_id", "Choose the strand the action is under")
	}
	if in.Reference == "" {
		p.Add("reference", "Enter the action's reference, such as 2.1")
	}
	checkText(&p, "reference", "reference", in.Reference, 20)
	if in.Description == "" {
		p.Add("description", "Describe the action")
	}
	checkText(&p, "description", "description", in.Description, 2000)
	if in.Lead == "" {
		p.Add("lead", "Choose the person who leads the action")
	}
	checkText(&p, "agency", "agency", in.Agency, 200)
	if in.Version < 0 {
		p.Add("version", "The version cannot be negative")
	}
	return p.Err()
}

// ProgressNote is a dated note of progress on an action, with the rating
// it gives the action. Rationale says why a rating is amber or red;
// OverrideReason why the rating is better than the one suggested.
type ProgressNote struct {
	ID             string    `json:"id"`
	ActionID       string    `json:"action_id"`
	On             Date      `json:"on"`
	Text           string    `json:"text"`
	RAG            PlanRAG   `json:"rag"`
	Rationale      string    `json:"rationale,omitempty"`
	Suggested      PlanRAG   `json:"suggested_rag,omitempty"`
	OverrideReason string    `json:"override_reason,omitempty"`
	By             string    `json:"by"`
	ByName         string    `json:"by_name"`
	At             time.Time `json:"at"`
}

// NoteInput is a progress note as written, with the action's version as
// read.
type NoteInput struct {
	On             Date    `json:"on"`
	Text           string  `json:"text"`
	RAG            PlanRAG `json:"rag"`
	Rationale      string  `json:"rationale"`
	OverrideReason string  `json:"override_reason"`
	Version        int     `json:"version"`
}

// SuggestWindow is how near a due date, and how old the latest note, make
// an action's rating suggested amber.
const SuggestWindow = 28

// SuggestRAG is the rating the dates suggest for an action, today: done
// (blue) stays done; past its due date and not done, red; due within 28
// days and no progress note in the last 28, amber; otherwise none (""), and
// the rating is the lead's judgement. Ongoing actions have no due date, so
// no suggestion.
func SuggestRAG(a *PlanAction, notes []ProgressNote, today Date) PlanRAG {
	if a.RAG == PlanBlue {
		return PlanBlue
	}
	if a.DueOn == nil {
		return PlanUnrated
	}
	if a.DueOn.Before(today) {
		return PlanRed
	}
	if a.DueOn.After(today.AddDays(SuggestWindow)) {
		return PlanUnrated
	}
	latest := a.LastNoteOn
	for i := range notes {
		if latest == nil || notes[i].On.After(*latest) {
			latest = &notes[i].On
		}
	}
	if latest == nil || latest.Before(today.AddDays(-SuggestWindow)) {
		return PlanAmber
	}
	return PlanUnrated
}

// NeedsOverride reports whether a rating is better than the one suggested,
// so must give a reason: green or amber against a suggested red, green
// against a suggested amber. Done is never an override: it is what the
// note records.
func NeedsOverride(rating, suggested PlanRAG) bool {
	return rating != PlanBlue && (suggested == PlanRed || suggested == PlanAmber) && rating.concern() < suggested.concern()
}

// CheckNote checks a progress note as written, given the rating the dates
// suggest once it is recorded (SuggestRAG with the note, as if rated as it
// says): amber and red need a rationale, and a rating better than the
// suggestion needs the reason for overriding it.
func CheckNote(in *NoteInput, suggested PlanRAG, today Date) error {
	var p Problems
	in.Text, in.Rationale, in.OverrideReason = strings.TrimSpace(in.Text), strings.TrimSpace(in.Rationale), strings.TrimSpace(in.OverrideReason)
	switch {
	case in.On.IsZero():
		p.Add("on", "Enter the date of the progress")
	case in.On.After(today):
		p.Add("on", "The date of the progress cannot be in the future")
	}
	if in.Text == "" {
		p.Add("text", "Say what progress there has been")
	}
	checkText(&p, "text", "note", in.Text, 5000)
	if !in.RAG.Valid() {
		p.Add("rag", "Rating must be one of blue, green, amber, red")
	}
	checkText(&p, "rationale", "rationale", in.Rationale, 2000)
	if in.RAG.NeedsRationale() && in.Rationale == "" && !hasField(p, "rationale") {
		p.Add("rationale", "Say why the action is "+strings.ToLower(in.RAG.Word())+": "+string(in.RAG)+" needs a rationale")
	}
	checkText(&p, "override_reason", "reason", in.OverrideReason, 2000)
	if in.RAG.Valid() && NeedsOverride(in.RAG, suggested) && in.OverrideReason == "" && !hasField(p, "override_reason") {
		p.Add("override_reason", "The dates suggest "+suggested.Label()+": say why the rating is "+string(in.RAG))
	}
	return p.Err()
}

// Board is a dated snapshot of every action's rating, as the partnership's
// board saw it.
type Board struct {
	ID         string             `json:"id"`
	Title      string             `json:"title"`
	HeldOn     Date               `json:"held_on"`
	RecordedAt time.Time          `json:"recorded_at"`
	RecordedBy string             `json:"recorded_by"`
	Ratings    map[string]PlanRAG `json:"ratings,omitempty"` // by action id
}

// BoardInput is a board as recorded.
type BoardInput struct {
	Title  string `json:"title"`
	HeldOn Date   `json:"held_on"`
}

// CheckBoard checks a board as recorded.
func CheckBoard(in *BoardInput, today Date) error {
	var p Problems
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		p.Add("title", "Name the board, such as the safeguarding partnership's executive")
	}
	checkText(&p, "title", "title", in.Title, 200)
	switch {
	case in.HeldOn.IsZero():
		p.Add("held_on", "Enter the date of the board")
	case in.HeldOn.After(today):
		p.Add("held_on", "The board's date cannot be in the future: record it on the day")
	}
	return p.Err()
}

// StrandCount is how many of a strand's actions are at each rating.
type StrandCount struct {
	Strand   *Strand         `json:"strand"`
	Counts   map[PlanRAG]int `json:"counts"`
	NotRated int             `json:"not_rated"`
	Total    int             `json:"total"`
}

// RatingChange is an action whose rating is not what it was at a board.
type RatingChange struct {
	Action *PlanAction `json:"action"`
	Was    PlanRAG     `json:"was"` // "" when not rated, or new since
	Now    PlanRAG     `json:"now"`
	// New says the action was added since the board.
	New bool `json:"new"`
}

// BoardView is the plan's ratings by strand now, and what changed since a
// board (none when there has been none).
type BoardView struct {
	Counts  []StrandCount  `json:"counts"`
	Since   *Board         `json:"since,omitempty"`
	Changes []RatingChange `json:"changes"`
	Boards  []*Board       `json:"boards"`
}

// CountByStrand counts each strand's actions by rating.
func CountByStrand(strands []*Strand) []StrandCount {
	out := make([]StrandCount, 0, len(strands))
	for _, s := range strands {
		c := StrandCount{Strand: s, Counts: map[PlanRAG]int{}}
		for _, a := range s.Actions {
			if a.RAG.Valid() {
				c.Counts[a.RAG]++
			} else {
				c.NotRated++
			}
			c.Total++
		}
		out = append(out, c)
	}
	return out
}

// ChangesSince lists the actions whose rating differs from a board's
// snapshot (ratings by action id), in the strands' order.
func ChangesSince(strands []*Strand, ratings map[string]PlanRAG) []RatingChange {
	out := []RatingChange{}
	for _, s := range strands {
		for _, a := range s.Actions {
			was, ok := ratings[a.ID]
			if ok && was == a.RAG {
				continue
			}
			out = append(out, RatingChange{Action: a, Was: was, Now: a.RAG, New: !ok})
		}
	}
	return out
}
