// Package toolkit holds the CSE profiling toolkit as versioned data and the
// pure rules engine that turns an assessment's answers into a suggested
// level, the rules that gave it, the flags and the pathway's next steps.
// A toolkit suggests; people decide.
package toolkit

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	"lantern"
)

// Level is a toolkit level, lowest first.
type Level string

const (
	None       Level = "none"
	Vulnerable Level = "vulnerable"
	Emerging   Level = "emerging"
	Medium     Level = "medium"
	High       Level = "high"
)

// Levels lists the levels, lowest first.
var Levels = []Level{None, Vulnerable, Emerging, Medium, High}

// Rank orders levels; -1 for an unknown one.
func (l Level) Rank() int { return slices.Index(Levels, l) }

func (l Level) Valid() bool { return l.Rank() >= 0 }

// NWGCategory is the NWG category of a level: 1, 2 or 3, or nil.
func (l Level) NWGCategory() *int {
	n := map[Level]int{Emerging: 1, Medium: 2, High: 3}[l]
	if n == 0 {
		return nil
	}
	return &n
}

// Label is the level in words.
func (l Level) Label() string {
	switch l {
	case None:
		return "No concerns"
	case Vulnerable:
		return "Vulnerable"
	case Emerging:
		return "Emerging risk"
	case Medium:
		return "Medium risk"
	case High:
		return "High risk"
	}
	return string(l)
}

// Bands of signs, after the NWG categories.
const (
	BandEmerging = "E"
	BandMedium   = "M"
	BandHigh     = "H"
)

var bands = []string{BandEmerging, BandMedium, BandHigh}

// Indicator is one vulnerability or sign, with its guidance text.
type Indicator struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Band string `json:"band,omitempty"` // signs only
}

// Condition says when a rule or flag applies; every part given must hold.
type Condition struct {
	Always             bool               `json:"always,omitempty"`
	SignsMin           *int               `json:"signs_min,omitempty"`
	SignsMax           *int               `json:"signs_max,omitempty"`
	VulnerabilitiesMin *int               `json:"vulnerabilities_min,omitempty"`
	BandMin            map[string]int     `json:"band_min,omitempty"`
	AnyOf              []string           `json:"any_of,omitempty"`    // any of these indicators
	Facts              []string           `json:"facts,omitempty"`     // all of these facts are true
	AnyFacts           []string           `json:"any_facts,omitempty"` // any of these facts is true
	NumberMin          map[string]float64 `json:"number_min,omitempty"`
	AgeMin             *int               `json:"age_min,omitempty"`
	AgeMax             *int               `json:"age_max,omitempty"`
	RuleFired          string             `json:"rule_fired,omitempty"` // flags only
}

// Rule gives a level when its condition holds.
type Rule struct {
	ID    string    `json:"id"`
	Text  string    `json:"text"`
	Gives Level     `json:"gives"`
	When  Condition `json:"when"`
}

// Flag tells the practitioner something when its condition holds.
type Flag struct {
	ID   string    `json:"id"`
	Text string    `json:"text"`
	When Condition `json:"when"`
}

// NextSteps are the pathway's steps, by situation.
type NextSteps struct {
	ImmediateRisk []string `json:"immediate_risk"`
	Always        []string `json:"always"`
	Low           []string `json:"low"` // vulnerable, emerging (and none, unless None is given)
	// None, when given, replaces Low where nothing was found: no
	// reassessment task is set then (docs/timescales.md#toolkit-reassessment).
	None               []string `json:"none,omitempty"`
	MediumHighOpenCase []string `json:"medium_high_open_case"`
	MediumHighNotOpen  []string `json:"medium_high_not_open"`
	MediumHigh         []string `json:"medium_high"`
	PoliceIntelligence []string `json:"police_intelligence"`
}

// Definition is a whole toolkit: an area's indicators, rules and flags.
type Definition struct {
	ID              string      `json:"id"`
	Name            string      `json:"name"`
	Source          string      `json:"source,omitempty"`
	ReassessWeeks   int         `json:"reassess_weeks"`
	Vulnerabilities []Indicator `json:"vulnerabilities"`
	Signs           []Indicator `json:"signs"`
	Rules           []Rule      `json:"rules"`
	Flags           []Flag      `json:"flags"`
	NextSteps       NextSteps   `json:"next_steps"`

	index map[string]*Indicator // id → indicator, built by Parse
	vuln  map[string]bool
}

// Facts are the yes/no answers a condition may test.
var Facts = []string{"disclosure", "immediate_risk", "open_case", "police_intelligence", "learning_disability", "under_13"}

// Numbers are the numeric answers a condition may test.
var Numbers = []string{"missing_episodes_90d", "partner_age_gap_years"}

// Under13 is the vulnerability derived from the date of birth, never ticked.
const Under13 = "vuln.under-13"

//go:embed nottingham-v1.json
var builtinJSON []byte

// DefaultID is the built-in toolkit.
const DefaultID = "nottingham-v1"

// Builtin returns the built-in nottingham-v1 definition.
func Builtin() *Definition {
	d, err := Parse(builtinJSON)
	if err != nil {
		panic("built-in toolkit: " + err.Error())
	}
	return d
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Parse reads and validates a definition. Its errors name each problem.
func Parse(b []byte) (*Definition, error) {
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, lantern.Invalid(lantern.FieldError{Field: "definition", Message: "The toolkit definition is not valid JSON of the right shape: " + err.Error()})
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

func (d *Definition) validate() error {
	var p lantern.Problems
	if !idPattern.MatchString(d.ID) {
		p.Add("id", "The toolkit's id must be lower-case letters, digits, dots, dashes or underscores, like area-v2")
	}
	if d.Name == "" {
		p.Add("name", "Give the toolkit a name")
	}
	if d.ReassessWeeks < 1 || d.ReassessWeeks > 52 {
		p.Add("reassess_weeks", "Reassessment must be between 1 and 52 weeks")
	}
	d.index = map[string]*Indicator{}
	d.vuln = map[string]bool{}
	add := func(field string, ind *Indicator, vuln bool) {
		switch {
		case !idPattern.MatchString(ind.ID):
			p.Add(field, fmt.Sprintf("Indicator id %q is not a valid id", ind.ID))
		case d.index[ind.ID] != nil:
			p.Add(field, fmt.Sprintf("Duplicate indicator id %q", ind.ID))
		case ind.Text == "":
			p.Add(field, fmt.Sprintf("Indicator %q has no text", ind.ID))
		}
		d.index[ind.ID] = ind
		d.vuln[ind.ID] = vuln
	}
	for i := range d.Vulnerabilities {
		v := &d.Vulnerabilities[i]
		if v.Band != "" {
			p.Add(fmt.Sprintf("vulnerabilities[%d].band", i), fmt.Sprintf("Vulnerability %q has a band: only signs have bands", v.ID))
		}
		add(fmt.Sprintf("vulnerabilities[%d]", i), v, true)
	}
	for i := range d.Signs {
		s := &d.Signs[i]
		if !slices.Contains(bands, s.Band) {
			p.Add(fmt.Sprintf("signs[%d].band", i), fmt.Sprintf("Sign %q has unknown band %q: use E, M or H", s.ID, s.Band))
		}
		add(fmt.Sprintf("signs[%d]", i), s, false)
	}
	if len(d.Signs) == 0 {
		p.Add("signs", "A toolkit needs at least one sign")
	}
	ruleIDs := map[string]bool{}
	for i, r := range d.Rules {
		f := fmt.Sprintf("rules[%d]", i)
		if !idPattern.MatchString(r.ID) || ruleIDs[r.ID] {
			p.Add(f+".id", fmt.Sprintf("Rule id %q is missing, not valid or a duplicate", r.ID))
		}
		ruleIDs[r.ID] = true
		if !r.Gives.Valid() {
			p.Add(f+".gives", fmt.Sprintf("Rule %q gives unknown level %q", r.ID, r.Gives))
		}
		if r.Text == "" {
			p.Add(f+".text", fmt.Sprintf("Rule %q has no text", r.ID))
		}
		if r.When.RuleFired != "" {
			p.Add(f+".when.rule_fired", fmt.Sprintf("Rule %q: only flags may depend on other rules", r.ID))
		}
		d.checkCondition(&p, f+".when", r.ID, r.When, nil)
	}
	if len(d.Rules) == 0 {
		p.Add("rules", "A toolkit needs at least one rule")
	}
	flagIDs := map[string]bool{}
	for i, fl := range d.Flags {
		f := fmt.Sprintf("flags[%d]", i)
		if !idPattern.MatchString(fl.ID) || flagIDs[fl.ID] {
			p.Add(f+".id", fmt.Sprintf("Flag id %q is missing, not valid or a duplicate", fl.ID))
		}
		flagIDs[fl.ID] = true
		if fl.Text == "" {
			p.Add(f+".text", fmt.Sprintf("Flag %q has no text", fl.ID))
		}
		d.checkCondition(&p, f+".when", fl.ID, fl.When, ruleIDs)
	}
	if len(d.NextSteps.Always) == 0 {
		p.Add("next_steps.always", "Give the pathway's first steps")
	}
	return p.Err()
}

func (d *Definition) checkCondition(p *lantern.Problems, field, owner string, c Condition, rules map[string]bool) {
	empty := !c.Always && c.SignsMin == nil && c.SignsMax == nil && c.VulnerabilitiesMin == nil && len(c.BandMin) == 0 &&
		len(c.AnyOf) == 0 && len(c.Facts) == 0 && len(c.AnyFacts) == 0 && len(c.NumberMin) == 0 && c.AgeMin == nil && c.AgeMax == nil && c.RuleFired == ""
	if empty {
		p.Add(field, fmt.Sprintf("%q has no condition: use \"always\": true if it always applies", owner))
	}
	for band := range c.BandMin {
		if !slices.Contains(bands, band) {
			p.Add(field+".band_min", fmt.Sprintf("%q names unknown band %q: use E, M or H", owner, band))
		}
	}
	for _, id := range c.AnyOf {
		if d.index[id] == nil && id != Under13 {
			p.Add(field+".any_of", fmt.Sprintf("%q names unknown indicator %q", owner, id))
		}
	}
	for _, f := range append(slices.Clone(c.Facts), c.AnyFacts...) {
		if !slices.Contains(Facts, f) {
			p.Add(field+".facts", fmt.Sprintf("%q names unknown fact %q", owner, f))
		}
	}
	for n := range c.NumberMin {
		if !slices.Contains(Numbers, n) {
			p.Add(field+".number_min", fmt.Sprintf("%q names unknown number %q", owner, n))
		}
	}
	if c.RuleFired != "" && rules != nil && !rules[c.RuleFired] {
		p.Add(field+".rule_fired", fmt.Sprintf("%q names unknown rule %q", owner, c.RuleFired))
	}
}

// Indicator returns the indicator with an id, or nil.
func (d *Definition) Indicator(id string) *Indicator { return d.index[id] }

// IsVulnerability reports whether id is one of the vulnerability indicators.
func (d *Definition) IsVulnerability(id string) bool { return d.vuln[id] }

// SignsByBand returns the signs of a band, in the toolkit's order.
func (d *Definition) SignsByBand(band string) []Indicator {
	var out []Indicator
	for _, s := range d.Signs {
		if s.Band == band {
			out = append(out, s)
		}
	}
	return out
}
