package resolve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"lantern"
)

// The comparisons, in order. Their levels are computed by code (compare.go),
// so a model's JSON must name the same comparisons and levels in the same
// order; only m, u, the prior and the term frequencies are learned.
const (
	cGiven = iota
	cFamily
	cAlias
	cDOB
	cSex
	cPostcode
	cVRM
	cPhone
	cGeneration
	numComparisons
)

// Level indexes. null (-1) is no level: a value missing on either side, which
// weighs nothing.
const null = -1

const (
	gExact = iota
	gSwapped
	gVariant
	gJW92
	gJW88
	gInitial
	gJW70
	gElse
)

const (
	fExact = iota
	fJW92
	fJW88
	fJW70
	fElse
)

const (
	aShared = iota
	aGiven
	aElse
)

const (
	dExact = iota
	dOneOff
	dMonth
	dYear
	dTenYears
	dElse
	dEstSame
	dEstNear
	dEstFar
)

const (
	sSame = iota
	sDifferent
)

const (
	pExact = iota
	pSector
	pElse
)

const (
	xShared = iota
	xElse
)

type levelSpec struct {
	name, label string
	tf          string // the term-frequency table of an exact level, if any
	m, u        float64
}

type comparisonSpec struct {
	name, label string
	levels      []levelSpec
}

// schema is every comparison, its levels in order (the first that applies
// wins), and DefaultModel's starting m and u: judged for records kept by
// police and partners, where names are often misspelled and dates of birth
// often estimated. Each column of m and of u sums to 1.
var schema = [numComparisons]comparisonSpec{
	cGiven: {"given", "Given name", []levelSpec{
		{"exact", "exact", "given", 0.78, 0.02},
		{"swapped", "given and family names swapped, both agreeing", "", 0.02, 0.00005},
		{"variant", "a variant of the same name", "", 0.05, 0.002},
		{"jw92", "spelled almost the same", "", 0.05, 0.003},
		{"jw88", "spelled similarly", "", 0.02, 0.004},
		{"initial", "initial only, the same letter", "", 0.02, 0.01},
		{"jw70", "spelled somewhat alike", "", 0.03, 0.08},
		{"else", "different", "", 0.03, 0.88095},
	}},
	cFamily: {"family", "Family name", []levelSpec{
		{"exact", "exact", "family", 0.85, 0.005},
		{"jw92", "spelled almost the same", "", 0.06, 0.002},
		{"jw88", "spelled similarly", "", 0.03, 0.003},
		{"jw70", "spelled somewhat alike", "", 0.03, 0.05},
		{"else", "different", "", 0.03, 0.94},
	}},
	cAlias: {"alias", "Alias", []levelSpec{
		{"shared", "a shared alias", "alias", 0.5, 0.0005},
		{"given", "an alias is the other's given name", "", 0.2, 0.002},
		{"else", "no alias shared", "", 0.3, 0.9975},
	}},
	cDOB: {"dob", "Date of birth", []levelSpec{
		{"exact", "exact", "", 0.50, 0.00004},
		{"oneoff", "one character off or day and month swapped", "", 0.06, 0.0003},
		{"month", "within a month", "", 0.01, 0.002},
		{"year", "within a year", "", 0.01, 0.02},
		{"tenyears", "more than a year apart, within ten", "", 0.01, 0.25},
		{"else", "more than ten years apart", "", 0.005, 0.3},
		{"estsame", "the same year (one an estimate)", "", 0.18, 0.01},
		{"estnear", "within three years (one an estimate)", "", 0.2, 0.05},
		{"estfar", "more than three years apart (one an estimate)", "", 0.025, 0.36766},
	}},
	cSex: {"sex", "Sex", []levelSpec{
		{"same", "the same", "", 0.98, 0.5},
		{"different", "different", "", 0.02, 0.5},
	}},
	cPostcode: {"postcode", "Postcode", []levelSpec{
		{"exact", "a shared postcode", "postcode", 0.5, 0.0005},
		{"sector", "the same postcode sector", "", 0.15, 0.01},
		{"else", "no postcode in common", "", 0.35, 0.9895},
	}},
	cVRM: {"vrm", "Registration", []levelSpec{
		{"shared", "a shared vehicle", "", 0.4, 0.0001},
		{"else", "no vehicle in common", "", 0.6, 0.9999},
	}},
	cPhone: {"phone", "Phone", []levelSpec{
		{"shared", "a shared phone number", "", 0.5, 0.00005},
		{"else", "no phone in common", "", 0.5, 0.99995},
	}},
	cGeneration: {"generation", "Generation", []levelSpec{
		{"same", "the same suffix (Jnr, Snr)", "", 0.98, 0.5},
		{"different", "different suffixes (Jnr and Snr)", "", 0.02, 0.5},
	}},
}

// DefaultPrior is DefaultModel's probability that two records chosen at
// random are one person: about right for some 100,000 records with a
// quarter of people recorded more than once. EstimateM_EM estimates it from
// the records.
const DefaultPrior = 1e-5

// Level is one level of a comparison: m is the probability of it among pairs
// of records of one person, u among pairs of different people.
type Level struct {
	Name string  `json:"name"`
	M    float64 `json:"m"`
	U    float64 `json:"u"`
}

// Comparison is one comparison and its levels, in order.
type Comparison struct {
	Name   string  `json:"name"`
	Levels []Level `json:"levels"`
}

// ModelVersion is the version of the model's JSON.
const ModelVersion = 1

// Model is a trained (or default) Fellegi-Sunter model: the prior, m and u
// for every level, and term-frequency tables. It is safe for concurrent
// scoring; training methods change it and must not run alongside scoring.
type Model struct {
	Version int `json:"version"`
	// Prior is the probability that two records chosen at random are one
	// person (Splink's probability_two_random_records_match).
	Prior       float64             `json:"prior"`
	Comparisons []Comparison        `json:"comparisons"`
	TF          map[string]*TFTable `json:"tf,omitempty"`

	w [numComparisons][]float64 // log2(m/u), kept in step by refresh
}

// DefaultModel is a model with sensible starting m and u and no term
// frequencies, so the package works before any training.
func DefaultModel() *Model {
	m := &Model{Version: ModelVersion, Prior: DefaultPrior}
	for _, c := range schema {
		cm := Comparison{Name: c.name}
		for _, l := range c.levels {
			cm.Levels = append(cm.Levels, Level{Name: l.name, M: l.m, U: l.u})
		}
		m.Comparisons = append(m.Comparisons, cm)
	}
	m.refresh()
	return m
}

// Clone is a deep copy of m.
func (m *Model) Clone() *Model {
	c := &Model{Version: m.Version, Prior: m.Prior}
	for _, cm := range m.Comparisons {
		c.Comparisons = append(c.Comparisons, Comparison{Name: cm.Name, Levels: append([]Level(nil), cm.Levels...)})
	}
	if m.TF != nil {
		c.TF = map[string]*TFTable{}
		for k, t := range m.TF {
			c.TF[k] = t.clone()
		}
	}
	c.refresh()
	return c
}

// refresh recomputes the cached weights after m or u change.
func (m *Model) refresh() {
	for c := range numComparisons {
		if c >= len(m.Comparisons) {
			break
		}
		ls := m.Comparisons[c].Levels
		w := make([]float64, len(ls))
		for i, l := range ls {
			w[i] = math.Log2(l.M / l.U)
		}
		m.w[c] = w
	}
}

// weight is the weight of a level, 0 for null.
func (m *Model) weight(c, l int) float64 {
	if l == null {
		return 0
	}
	return m.w[c][l]
}

// priorWeight is the prior as bits: log2(λ/(1-λ)).
func (m *Model) priorWeight() float64 { return math.Log2(m.Prior / (1 - m.Prior)) }

// tfTables are the term-frequency tables a model may have.
var tfTables = []string{"given", "family", "name", "alias", "postcode"}

// Bounds on a model's JSON, checked when reading it.
const (
	MaxModelJSON = 16 << 20 // bytes
	minProb      = 1e-12    // m and u are kept at least this, so no weight is infinite
	sumTolerance = 0.02     // how far a column of m or u may stray from 1
)

// ParseModel reads a model from its JSON and checks it: the comparisons and
// levels this package computes, in order; m and u in (0, 1], each summing to
// 1 (within a little, then made exact); the prior in (0, 1); term-frequency
// tables within their bounds. Unknown fields are refused.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := m.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return &m, nil
}

// UnmarshalJSON reads and checks a model, as ParseModel.
func (m *Model) UnmarshalJSON(data []byte) error {
	if len(data) > MaxModelJSON {
		return lantern.Invalid(lantern.FieldError{Field: "model", Message: "The model is too large"})
	}
	type plain Model // without this method
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p plain
	if err := dec.Decode(&p); err != nil {
		return lantern.Invalid(lantern.FieldError{Field: "model", Message: "The model is not valid JSON: " + err.Error()})
	}
	if dec.More() {
		return lantern.Invalid(lantern.FieldError{Field: "model", Message: "The model has something after its JSON"})
	}
	*m = Model(p)
	if err := m.check(); err != nil {
		return err
	}
	m.refresh()
	return nil
}

// check validates a decoded model and makes each column sum exactly to 1.
func (m *Model) check() error {
	var p lantern.Problems
	if m.Version != ModelVersion {
		p.Add("version", fmt.Sprintf("The model's version must be %d", ModelVersion))
	}
	if !(m.Prior > 0 && m.Prior < 1) {
		p.Add("prior", "The prior must be a probability between 0 and 1")
	}
	if len(m.Comparisons) != numComparisons {
		p.Add("comparisons", fmt.Sprintf("The model must have the %d comparisons of this version", numComparisons))
		return p.Err()
	}
	for ci, c := range m.Comparisons {
		spec := schema[ci]
		field := "comparisons." + strconv.Itoa(ci)
		if c.Name != spec.name || len(c.Levels) != len(spec.levels) {
			p.Add(field, fmt.Sprintf("Comparison %d must be %q with %d levels", ci, spec.name, len(spec.levels)))
			continue
		}
		var sm, su float64
		for li, l := range c.Levels {
			lf := field + ".levels." + strconv.Itoa(li)
			if l.Name != spec.levels[li].name {
				p.Add(lf, fmt.Sprintf("Level %d of %s must be %q", li, spec.name, spec.levels[li].name))
			}
			if !(l.M >= minProb && l.M <= 1) || !(l.U >= minProb && l.U <= 1) {
				p.Add(lf, "m and u must be probabilities above 0")
			}
			sm += l.M
			su += l.U
		}
		if math.Abs(sm-1) > sumTolerance || math.Abs(su-1) > sumTolerance {
			p.Add(field, "The m and the u of a comparison must each sum to 1")
			continue
		}
		if math.Abs(sm-1) > 1e-9 || math.Abs(su-1) > 1e-9 {
			for li := range c.Levels {
				c.Levels[li].M /= sm
				c.Levels[li].U /= su
			}
		}
	}
	for name, t := range m.TF {
		if !slices.Contains(tfTables, name) {
			p.Add("tf."+capText(name), "Term frequencies are kept only for "+strings.Join(tfTables, ", "))
			continue
		}
		if t == nil {
			p.Add("tf."+name, "A term-frequency table must not be empty")
			continue
		}
		if err := t.check(); err != "" {
			p.Add("tf."+name, err)
		}
	}
	return p.Err()
}

// ensure makes the model usable whatever its state: a model built by hand
// or left half made is filled from the defaults.
func (m *Model) ensure() {
	if len(m.Comparisons) != numComparisons || m.check() != nil {
		d := DefaultModel()
		m.Version, m.Comparisons = d.Version, d.Comparisons
		if !(m.Prior > 0 && m.Prior < 1) {
			m.Prior = d.Prior
		}
		m.TF = nil
	}
	m.refresh()
}
