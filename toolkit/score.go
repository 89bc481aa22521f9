package toolkit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"lantern"
)

// Input is an assessment's answers.
type Input struct {
	AssessedOn         lantern.Date
	DateOfBirth        lantern.Date
	Indicators         []string
	Disclosure         bool
	ImmediateRisk      bool
	OpenCase           bool
	PoliceIntelligence bool
	LearningDisability bool
	PartnerAgeGapYears *float64
	MissingEpisodes90d *int
}

// Fired is a rule or flag that applied, in words.
type Fired struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Gives Level  `json:"gives,omitempty"` // rules only
}

// Result is the toolkit's suggestion, with its reasons.
type Result struct {
	Toolkit     string   `json:"toolkit"`
	Level       Level    `json:"level"`
	NWGCategory *int     `json:"nwg_category"`
	Rules       []Fired  `json:"rules"`
	Flags       []Fired  `json:"flags"`
	NextSteps   []string `json:"next_steps"`
	// Age is the young person's age in whole years on the assessment date.
	Age int `json:"age"`
	// Indicators are those counted, the derived vuln.under-13 included.
	Indicators []string `json:"indicators"`
}

// state is what conditions are tested against.
type state struct {
	age     int
	has     map[string]bool
	signs   int
	vulns   int
	band    map[string]int
	facts   map[string]bool
	numbers map[string]float64
	fired   map[string]bool
}

// Check validates an input against the definition without scoring it.
func (d *Definition) Check(in Input) error {
	var p lantern.Problems
	if in.AssessedOn.IsZero() {
		p.Add("assessed_on", "Enter the date of the assessment")
	}
	if in.DateOfBirth.IsZero() {
		p.Add("date_of_birth", "Enter the young person's date of birth")
	}
	if !in.AssessedOn.IsZero() && !in.DateOfBirth.IsZero() {
		if in.DateOfBirth.After(in.AssessedOn) {
			p.Add("date_of_birth", "Date of birth must be on or before the date of the assessment")
		} else if age := lantern.AgeOn(in.DateOfBirth, in.AssessedOn); age >= 18 {
			p.Add("date_of_birth", fmt.Sprintf("The young person is %d on %s: the toolkit is for children under 18", age, in.AssessedOn))
		} else if age >= 13 && slices.Contains(in.Indicators, Under13) {
			p.Add("indicators", fmt.Sprintf("%s is worked out from the date of birth, and the young person is %d on %s", d.indicatorName(Under13), age, in.AssessedOn.Format()))
		}
	}
	for _, id := range in.Indicators {
		if d.index[id] == nil {
			p.Add("indicators", fmt.Sprintf("Unknown indicator %q for toolkit %s", truncate(id, 80), d.ID))
		}
	}
	if g := in.PartnerAgeGapYears; g != nil && (math.IsNaN(*g) || *g < 0 || *g > 100) {
		p.Add("partner_age_gap_years", "The age gap must be a number of years from 0 to 100")
	}
	if m := in.MissingEpisodes90d; m != nil && (*m < 0 || *m > 1000) {
		p.Add("missing_episodes_90d", "Missing episodes must be a whole number from 0 to 1000")
	}
	return p.Err()
}

// indicatorName is an indicator as a message names it to a person: its
// text in quotation marks, not its id (an unknown id is not repeated).
func (d *Definition) indicatorName(id string) string {
	if ind := d.index[id]; ind != nil {
		return "“" + ind.Text + "”"
	}
	return "an indicator this toolkit does not have"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Score suggests a level: the highest any rule gives. It is a pure function
// of the definition and the input.
func (d *Definition) Score(in Input) (*Result, error) {
	if err := d.Check(in); err != nil {
		return nil, err
	}
	st := state{
		age:     lantern.AgeOn(in.DateOfBirth, in.AssessedOn),
		has:     make(map[string]bool, len(in.Indicators)+1),
		band:    make(map[string]int, 3),
		numbers: make(map[string]float64, 2),
		fired:   make(map[string]bool, len(d.Rules)),
	}
	under13 := st.age < 13
	st.facts = map[string]bool{"disclosure": in.Disclosure, "immediate_risk": in.ImmediateRisk, "open_case": in.OpenCase,
		"police_intelligence": in.PoliceIntelligence, "learning_disability": in.LearningDisability, "under_13": under13}
	if in.PartnerAgeGapYears != nil {
		st.numbers["partner_age_gap_years"] = *in.PartnerAgeGapYears
	}
	if in.MissingEpisodes90d != nil {
		st.numbers["missing_episodes_90d"] = float64(*in.MissingEpisodes90d)
	}
	res := &Result{Toolkit: d.ID, Level: None, Age: st.age, Rules: []Fired{}, Flags: []Fired{}}
	count := func(id string) {
		if st.has[id] {
			return
		}
		st.has[id] = true
		res.Indicators = append(res.Indicators, id)
		if d.vuln[id] || id == Under13 {
			st.vulns++
		} else if ind := d.index[id]; ind != nil {
			st.signs++
			st.band[ind.Band]++
		}
	}
	for _, id := range in.Indicators {
		if id != Under13 {
			count(id)
		}
	}
	if under13 {
		count(Under13)
	}
	for _, r := range d.Rules {
		if st.holds(r.When) {
			st.fired[r.ID] = true
			res.Rules = append(res.Rules, Fired{ID: r.ID, Text: r.Text, Gives: r.Gives})
			if r.Gives.Rank() > res.Level.Rank() {
				res.Level = r.Gives
			}
		}
	}
	for _, f := range d.Flags {
		if st.holds(f.When) {
			res.Flags = append(res.Flags, Fired{ID: f.ID, Text: f.Text})
		}
	}
	res.NWGCategory = res.Level.NWGCategory()
	res.NextSteps = d.nextSteps(res.Level, in)
	if res.Indicators == nil {
		res.Indicators = []string{}
	}
	return res, nil
}

func (st *state) holds(c Condition) bool {
	if c.Always {
		return true
	}
	if c.SignsMin != nil && st.signs < *c.SignsMin {
		return false
	}
	if c.SignsMax != nil && st.signs > *c.SignsMax {
		return false
	}
	if c.VulnerabilitiesMin != nil && st.vulns < *c.VulnerabilitiesMin {
		return false
	}
	for b, n := range c.BandMin {
		if st.band[b] < n {
			return false
		}
	}
	if len(c.AnyOf) > 0 && !slices.ContainsFunc(c.AnyOf, func(id string) bool { return st.has[id] }) {
		return false
	}
	for _, f := range c.Facts {
		if !st.facts[f] {
			return false
		}
	}
	if len(c.AnyFacts) > 0 && !slices.ContainsFunc(c.AnyFacts, func(f string) bool { return st.facts[f] }) {
		return false
	}
	for n, min := range c.NumberMin {
		v, ok := st.numbers[n]
		if !ok || v < min {
			return false
		}
	}
	if c.AgeMin != nil && st.age < *c.AgeMin {
		return false
	}
	if c.AgeMax != nil && st.age > *c.AgeMax {
		return false
	}
	if c.RuleFired != "" && !st.fired[c.RuleFired] {
		return false
	}
	return true
}

// nextSteps follows the pathway: immediate risk first, then the agency's
// own checks, then by level and whether the case is open.
func (d *Definition) nextSteps(l Level, in Input) []string {
	ns := d.NextSteps
	var out []string
	if in.ImmediateRisk {
		out = append(out, ns.ImmediateRisk...)
	}
	out = append(out, ns.Always...)
	if l.Rank() >= Medium.Rank() {
		if in.OpenCase {
			out = append(out, ns.MediumHighOpenCase...)
		} else {
			out = append(out, ns.MediumHighNotOpen...)
		}
		out = append(out, ns.MediumHigh...)
	} else if l == None && len(ns.None) > 0 {
		out = append(out, ns.None...)
	} else {
		out = append(out, ns.Low...)
	}
	if in.PoliceIntelligence {
		out = append(out, ns.PoliceIntelligence...)
	}
	weeks := strconv.Itoa(d.ReassessWeeks)
	for i, s := range out {
		out[i] = strings.ReplaceAll(s, "{reassess_weeks}", weeks)
	}
	return out
}
