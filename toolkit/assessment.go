package toolkit

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"lantern"
)

// AssessmentInput is what a practitioner gives; the child's date of birth,
// open case and missing episodes come from the record, not from them.
type AssessmentInput struct {
	Answers           Input
	Evidence          map[string]string
	Analysis          string
	RecordedLevel     Level
	OverrideRationale string
	ConcernID         string
	// Prompts are the decisions on the suggestions from intelligence
	// (lantern.IntelPrompt): kept with the assessment, never ticking an
	// indicator themselves.
	Prompts []lantern.PromptDecision
}

// Assessment is a completed toolkit kept on a child's record, tied to the
// toolkit version it used.
type Assessment struct {
	ID        string `json:"id"`
	ChildID   string `json:"child_id"`
	ConcernID string `json:"concern_id,omitempty"`
	// ReferralID is the referral to the front door that a partner's
	// toolkit at medium or high made, or found waiting (docs/frontdoor.md).
	ReferralID         string            `json:"referral_id,omitempty"`
	Toolkit            string            `json:"toolkit"`
	AssessedOn         lantern.Date      `json:"assessed_on"`
	Indicators         []string          `json:"indicators"`
	Evidence           map[string]string `json:"evidence"`
	Analysis           string            `json:"analysis"`
	Disclosure         bool              `json:"disclosure"`
	ImmediateRisk      bool              `json:"immediate_risk"`
	OpenCase           bool              `json:"open_case"`
	PoliceIntelligence bool              `json:"police_intelligence"`
	LearningDisability bool              `json:"learning_disability"`
	PartnerAgeGapYears *float64          `json:"partner_age_gap_years"`
	MissingEpisodes90d int               `json:"missing_episodes_90d"`
	Suggested          *Result           `json:"suggested"`
	RecordedLevel      Level             `json:"recorded_level"`
	OverrideRationale  string            `json:"override_rationale,omitempty"`
	CreatedBy          string            `json:"created_by"`
	CreatedByName      string            `json:"created_by_name,omitempty"`
	AgencyID           string            `json:"agency_id"`
	CreatedAt          time.Time         `json:"created_at"`
	Tasks              []*lantern.Task   `json:"tasks"`
	// Prompts are the decisions on the suggestions from intelligence kept
	// with the assessment, as the reader may see them: filled where the
	// assessment is read for them (Store.Assessment, the API).
	Prompts []lantern.AssessmentPrompt `json:"prompts"`
}

// Assess scores the answers and checks what the practitioner must add: an
// analysis of their own, evidence for every medium and high sign, and a
// rationale for recording a level other than the one suggested.
func (d *Definition) Assess(in AssessmentInput, today lantern.Date) (*Assessment, error) {
	var p lantern.Problems
	if err := d.Check(in.Answers); err != nil {
		for _, fe := range lantern.ErrorFields(err) {
			// The date of birth is the record's, not the practitioner's
			// answer: an assessment dated before it has the wrong date.
			if fe.Field == "date_of_birth" {
				switch {
				case in.Answers.DateOfBirth.IsZero():
					fe.Message = "The child's record has no date of birth: add it to the record first"
				case in.Answers.AssessedOn.Before(in.Answers.DateOfBirth):
					fe = lantern.FieldError{Field: "assessed_on", Message: "The assessment's date must be on or after the young person's date of birth (" + in.Answers.DateOfBirth.String() + ")"}
				}
			}
			p = append(p, fe)
		}
	}
	if in.Answers.AssessedOn.After(today) {
		p.Add("assessed_on", "The assessment's date must be today or in the past")
	}
	analysis := strings.TrimSpace(in.Analysis)
	if analysis == "" {
		p.Add("analysis", "Write your own analysis: what the indicators mean for this young person, and why")
	} else if utf8.RuneCountInString(analysis) > 20000 {
		p.Add("analysis", "The analysis must be 20000 characters or fewer")
	}
	ticked := map[string]bool{}
	for _, id := range in.Answers.Indicators {
		ticked[id] = true
	}
	evidence := map[string]string{}
	keys := make([]string, 0, len(in.Evidence))
	for k := range in.Evidence {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, id := range keys {
		text := strings.TrimSpace(in.Evidence[id])
		switch {
		case !ticked[id]:
			p.Add("evidence."+id, "Evidence is given for "+d.indicatorName(id)+", which is not ticked")
		case utf8.RuneCountInString(text) > 5000:
			p.Add("evidence."+id, "Evidence must be 5000 characters or fewer")
		case text != "":
			evidence[id] = text
		}
	}
	for _, id := range in.Answers.Indicators {
		ind := d.index[id]
		if ind != nil && (ind.Band == BandMedium || ind.Band == BandHigh) && evidence[id] == "" {
			p.Add("evidence."+id, "Give the evidence for “"+ind.Text+"”")
		}
	}
	rec := in.RecordedLevel
	if rec != "" && !rec.Valid() {
		p.Add("recorded_level", "The recorded level must be none, vulnerable, emerging, medium or high")
	}
	// The rationale is checked with the rest, so that every problem shows
	// at once; it needs the suggestion, so answers the toolkit can score.
	var res *Result
	if r, err := d.Score(in.Answers); err == nil {
		res = r
	} else if len(p) == 0 {
		return nil, err
	}
	rationale := strings.TrimSpace(in.OverrideRationale)
	if res != nil && rec == "" {
		rec = res.Level
	}
	if res != nil && rec.Valid() && rec != res.Level && rationale == "" {
		p.Add("override_rationale", fmt.Sprintf("Explain why you record %s when the toolkit suggests %s", rec.Label(), res.Level.Label()))
	}
	if len(p) > 0 {
		return nil, p.Err()
	}
	if rec == res.Level {
		rationale = ""
	}
	a := in.Answers
	indicators := res.Indicators
	missing := 0
	if a.MissingEpisodes90d != nil {
		missing = *a.MissingEpisodes90d
	}
	return &Assessment{Toolkit: d.ID, AssessedOn: a.AssessedOn, Indicators: indicators, Evidence: evidence, Analysis: analysis,
		Disclosure: a.Disclosure, ImmediateRisk: a.ImmediateRisk, OpenCase: a.OpenCase, PoliceIntelligence: a.PoliceIntelligence,
		LearningDisability: a.LearningDisability, PartnerAgeGapYears: a.PartnerAgeGapYears, MissingEpisodes90d: missing,
		Suggested: res, RecordedLevel: rec, OverrideRationale: rationale, ConcernID: in.ConcernID, Tasks: []*lantern.Task{}}, nil
}

// NeedsReassessment reports whether a recorded level sets a reassessment task.
func NeedsReassessment(l Level) bool { return l == Vulnerable || l == Emerging }

// Change is what differs between two assessments.
type Change struct {
	Added, Removed []string
	From, To       Level
}

// Compare says what changed from an earlier assessment a to a later b.
func Compare(a, b *Assessment) Change {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ina, inb := in(a.Indicators), in(b.Indicators)
	c := Change{From: a.RecordedLevel, To: b.RecordedLevel}
	for _, x := range b.Indicators {
		if !ina[x] {
			c.Added = append(c.Added, x)
		}
	}
	for _, x := range a.Indicators {
		if !inb[x] {
			c.Removed = append(c.Removed, x)
		}
	}
	return c
}
