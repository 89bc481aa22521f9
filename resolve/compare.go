package resolve

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"lantern"
	"lantern/match"
)

// Jaro-Winkler bands of the name levels.
const (
	jwHigh = 0.92
	jwMid  = 0.88
	jwLow  = 0.70
)

// gammas is the level of each comparison for one pair (null when a value is
// missing), with the values an exact level matched on, for the
// term-frequency adjustment.
type gammas struct {
	g                       [numComparisons]int8
	given, family, alias    string // the values matched exactly
	givenTF2, familyTF2     string // the other side's value at a fuzzy level
	givenFuzzy, familyFuzzy string
	postcode                string // the postcode shared
}

// similarity is Jaro-Winkler on normalised names (match.Similarity, which
// leaves a normalised name as it is).
func similarity(a, b string) float64 { return match.Similarity(a, b) }

// givenLevel compares two given names (the first word of each).
func givenLevel(a, b pname) int {
	if a.givenFirst == "" || b.givenFirst == "" {
		return null
	}
	if a.givenFirst == b.givenFirst {
		return gExact
	}
	if a.initial || b.initial {
		if a.givenFirst[0] == b.givenFirst[0] {
			return gInitial
		}
		return gElse
	}
	if sharedGroup(a.groups, b.groups) {
		return gVariant
	}
	switch s := similarity(a.givenFirst, b.givenFirst); {
	case s >= jwHigh:
		return gJW92
	case s >= jwMid:
		return gJW88
	case s >= jwLow:
		return gJW70
	}
	return gElse
}

// familyLevel compares two family names.
func familyLevel(a, b string) int {
	if a == "" || b == "" {
		return null
	}
	if a == b {
		return fExact
	}
	switch s := similarity(a, b); {
	case s >= jwHigh:
		return fJW92
	case s >= jwMid:
		return fJW88
	case s >= jwLow:
		return fJW70
	}
	return fElse
}

func closeGiven(l int) bool {
	return l == gExact || l == gVariant || l == gJW92 || l == gJW88 || l == gInitial
}

func closeFamily(l int) bool { return l == fExact || l == fJW92 || l == fJW88 }

// swapped is a name with its given and family names the other way round.
func swapped(n pname) pname {
	s := pname{given: n.family, givenFirst: n.family, family: strings.ReplaceAll(n.given, " ", "")}
	s.initial = utf8.RuneCountInString(s.givenFirst) == 1
	s.groups = variantOf[s.givenFirst]
	return s
}

// setNames records the name levels chosen and the values behind them.
func (g *gammas) setNames(gl, fl int, a, b pname) {
	g.g[cGiven], g.g[cFamily] = int8(gl), int8(fl)
	g.given, g.family, g.givenFuzzy, g.familyFuzzy, g.givenTF2, g.familyTF2 = "", "", "", "", "", ""
	switch gl {
	case gExact:
		g.given = a.givenFirst
	case gVariant, gJW92, gJW88, gJW70, gInitial:
		g.givenFuzzy, g.givenTF2 = a.givenFirst, b.givenFirst
	}
	switch fl {
	case fExact:
		g.family = a.family
	case fJW92, fJW88, fJW70:
		g.familyFuzzy, g.familyTF2 = a.family, b.family
	}
}

// compare puts a pair of prepared records in their levels.
func (m *Model) compare(a, b *Prepared) gammas {
	var out gammas
	for c := range out.g {
		out.g[c] = null
	}
	// Names: the best lining-up of any name of a with any of b. Names
	// written the other way round are one level of the given name (Splink's
	// "columns reversed"), taken only when both names then agree closely,
	// and the family name is then not compared again.
	best := math.Inf(-1)
	for _, na := range a.names {
		for _, nb := range b.names {
			gl, fl := givenLevel(na, nb), familyLevel(na.family, nb.family)
			if gl != null || fl != null {
				if w := m.weight(cGiven, gl) + m.weight(cFamily, fl); w > best {
					best = w
					out.setNames(gl, fl, na, nb)
				}
			}
			if na.swap == nil || nb.swap == nil {
				continue
			}
			x := *nb.swap
			if closeGiven(givenLevel(na, x)) && closeFamily(familyLevel(na.family, x.family)) {
				if w := m.weight(cGiven, gSwapped); w > best {
					best = w
					out.setNames(gSwapped, null, na, nb)
				}
			}
		}
	}
	out.g[cAlias] = int8(aliasLevel(a, b, &out.alias, m.TF["alias"]))
	out.g[cDOB] = int8(dobLevel(a, b))
	if a.sex != "" && b.sex != "" {
		out.g[cSex] = sDifferent
		if a.sex == b.sex {
			out.g[cSex] = sSame
		}
	}
	if len(a.postcodes) > 0 && len(b.postcodes) > 0 {
		switch {
		case sharedPostcode(a.postcodes, b.postcodes, &out.postcode, m.TF["postcode"]):
			out.g[cPostcode] = pExact
		case shareAny(a.sectors, b.sectors):
			out.g[cPostcode] = pSector
		default:
			out.g[cPostcode] = pElse
		}
	}
	if len(a.vrms) > 0 && len(b.vrms) > 0 {
		out.g[cVRM] = xElse
		if shareVRM(a.vrms, b.vrms) {
			out.g[cVRM] = xShared
		}
	}
	if len(a.phones) > 0 && len(b.phones) > 0 {
		out.g[cPhone] = xElse
		if shareAny(a.phones, b.phones) {
			out.g[cPhone] = xShared
		}
	}
	if a.suffix != NoSuffix && b.suffix != NoSuffix {
		out.g[cGeneration] = sDifferent
		if a.suffix == b.suffix {
			out.g[cGeneration] = sSame
		}
	}
	return out
}

// sharedPostcode finds the rarest postcode in common.
func sharedPostcode(a, b []string, shared *string, tf *TFTable) bool {
	best := -1.0
	for _, x := range a {
		if contains(b, x) {
			if f := tf.freq(x); best < 0 || f < best {
				best, *shared = f, x
			}
		}
	}
	return best >= 0
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

// shareVRM reports a registration in common; one with an unknown character
// (?) matches any it could be.
func shareVRM(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y || (strings.IndexByte(x, '?') >= 0 || strings.IndexByte(y, '?') >= 0) && lantern.VRMMatches(x, y) {
				return true
			}
		}
	}
	return false
}

// aliasLevel compares aliases: one in common (the rarest, for the
// term-frequency adjustment), or an alias of one that is the other's given
// name ("Jay" for Jay Smith).
func aliasLevel(a, b *Prepared, shared *string, tf *TFTable) int {
	best := -1.0
	for _, x := range a.aliases {
		if contains(b.aliases, x) {
			if f := tf.freq(x); best < 0 || f < best {
				best, *shared = f, x
			}
		}
	}
	if best >= 0 {
		return aShared
	}
	if aliasIsGiven(a.aliases, b.names) || aliasIsGiven(b.aliases, a.names) {
		return aGiven
	}
	if len(a.aliases) > 0 && len(b.aliases) > 0 {
		return aElse
	}
	return null
}

func aliasIsGiven(aliases []string, names []pname) bool {
	for _, x := range aliases {
		for _, n := range names {
			if len(x) > 1 && n.givenFirst == x {
				return true
			}
		}
	}
	return false
}

// dobLevel compares dates of birth. A date that is an estimate, or a year
// alone, is compared by its year only.
func dobLevel(a, b *Prepared) int {
	if a.year == 0 || b.year == 0 {
		return null
	}
	if a.estimated || b.estimated {
		switch d := abs(a.year - b.year); {
		case d == 0:
			return dEstSame
		case d <= 3:
			return dEstNear
		}
		return dEstFar
	}
	if a.dob == b.dob {
		return dExact
	}
	if oneOff(a.dob, b.dob) {
		return dOneOff
	}
	switch d := abs(a.dobDay - b.dobDay); {
	case d <= 31:
		return dMonth
	case d <= 366:
		return dYear
	case abs(a.year-b.year) <= 10:
		return dTenYears
	}
	return dElse
}

// oneOff reports dates one mistyped character apart (1987-03-14 and
// 1987-08-14), two neighbouring digits swapped (1987 and 1978), or day
// and month swapped (3 April and 4 March).
func oneOff(a, b lantern.Date) bool {
	if a.Year == b.Year && a.Day == int(b.Month) && int(a.Month) == b.Day {
		return true
	}
	x, y := dateDigits(a), dateDigits(b)
	if len(x) != len(y) {
		return false
	}
	var diff []int
	for i := range len(x) {
		if x[i] != y[i] {
			diff = append(diff, i)
			if len(diff) > 2 {
				return false
			}
		}
	}
	switch len(diff) {
	case 1:
		return true
	case 2:
		i, j := diff[0], diff[1]
		return j == i+1 && x[i] == y[j] && x[j] == y[i]
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Reason is the weight one comparison gave a pair, in words.
type Reason struct {
	Comparison string  `json:"comparison"` // "Family name"
	Level      string  `json:"level"`      // "exact, common name"
	Weight     float64 `json:"weight"`     // bits: log2(m/u), adjusted
}

// String is the reason as a short sentence: "Family name: exact, common
// name (+4.1)".
func (r Reason) String() string {
	return fmt.Sprintf("%s: %s (%+.1f)", r.Comparison, r.Level, r.Weight)
}

// Scored is what Score says of a pair: the probability that the records are
// one person, the weight of evidence in bits (the prior's included) and the
// reasons, the prior first. Excluded marks a pair that is never a candidate
// (a child with an adult): its probability is 0.
type Scored struct {
	Probability float64  `json:"probability"`
	Weight      float64  `json:"weight"`
	Reasons     []Reason `json:"reasons"`
	Excluded    bool     `json:"excluded,omitempty"`
}

// Score compares two records.
func (m *Model) Score(a, b Record) Scored { return m.ScorePrepared(Prepare(a), Prepare(b)) }

// ScorePrepared compares two prepared records: Score for many pairs.
func (m *Model) ScorePrepared(a, b *Prepared) Scored {
	if a.child != b.child {
		// Weight 0 rather than -Inf, so a Scored always encodes as JSON;
		// Excluded and the probability 0 say it all.
		return Scored{Excluded: true, Reasons: []Reason{{Comparison: "Not a candidate", Level: "a child is never matched with an adult"}}}
	}
	g := m.compare(a, b)
	s := Scored{Weight: m.priorWeight()}
	s.Reasons = append(s.Reasons, Reason{Comparison: "Before comparing", Level: priorWords(m.Prior), Weight: s.Weight})
	for c := range numComparisons {
		l := int(g.g[c])
		if l == null {
			continue
		}
		w, note := m.levelWeight(c, l, &g)
		s.Weight += w
		label := schema[c].levels[l].label + note
		s.Reasons = append(s.Reasons, Reason{Comparison: schema[c].label, Level: label, Weight: w})
	}
	s.Probability = probability(s.Weight)
	return s
}

// weightOf is the weight of a pair, without the reasons: for scoring many.
func (m *Model) weightOf(a, b *Prepared) (float64, gammas) {
	g := m.compare(a, b)
	w := m.priorWeight()
	for c := range numComparisons {
		if l := int(g.g[c]); l != null {
			lw, _ := m.levelWeight(c, l, &g)
			w += lw
		}
	}
	return w, g
}

// levelWeight is a level's weight with its term-frequency adjustment, and a
// note for a notably common or rare value. A fuzzy name match is never
// worth more than an exact match on the commoner of its two names would be:
// otherwise Mohammed and Muhammad would outweigh Mohammed and Mohammed.
func (m *Model) levelWeight(c, l int, g *gammas) (float64, string) {
	w := m.w[c][l]
	adj := 0.0
	switch {
	case c == cGiven && l == gExact && g.g[cFamily] == fExact && m.TF["name"] != nil:
		// The whole name's frequency is taken with the family name's level.
		return w, ""
	case c == cFamily && l == fExact && g.g[cGiven] == gExact && m.TF["name"] != nil:
		// Both names exact: weighed by how common the whole name is, not
		// by each name's frequency alone, since names are not independent
		// (a given name rare overall may be common with this family name).
		adj = m.tfAdjustWhole(g.given, g.family)
		// Say how many other records have the name: plainer than "common"
		// (an adjustment below 0 can come of a name no one else has, in a
		// small set, the count never being taken below one).
		note := ", the whole name on no other record"
		switch others := m.TF["name"].count(g.given+" "+g.family) - 2; {
		case others == 1:
			note = ", the whole name on 1 other record"
		case others > 1:
			note = fmt.Sprintf(", the whole name on %d other records", others)
		}
		return w + adj, note
	case c == cGiven && l == gExact:
		adj = m.tfAdjust("given", c, gExact, g.given)
	case c == cFamily && l == fExact:
		adj = m.tfAdjust("family", c, fExact, g.family)
	case c == cAlias && l == aShared:
		adj = m.tfAdjust("alias", c, aShared, g.alias)
	case c == cPostcode && l == pExact:
		adj = m.tfAdjust("postcode", c, pExact, g.postcode)
	case c == cGiven && g.givenFuzzy != "" && m.TF["given"] != nil:
		exact := m.w[c][gExact] + min(m.tfAdjust("given", c, gExact, g.givenFuzzy), m.tfAdjust("given", c, gExact, g.givenTF2))
		return min(w, exact), ""
	case c == cFamily && g.familyFuzzy != "" && m.TF["family"] != nil:
		exact := m.w[c][fExact] + min(m.tfAdjust("family", c, fExact, g.familyFuzzy), m.tfAdjust("family", c, fExact, g.familyTF2))
		return min(w, exact), ""
	default:
		return w, ""
	}
	note := ""
	switch {
	case adj <= -1:
		note = ", common" + tfNoun(c)
	case adj >= 1:
		note = ", rare" + tfNoun(c)
	}
	return w + adj, note
}

func tfNoun(c int) string {
	switch c {
	case cAlias:
		return " alias"
	case cPostcode:
		return " postcode: many records there"
	}
	return " name"
}

func priorWords(p float64) string {
	return fmt.Sprintf("1 pair of records in %s is one person", roundedCount(1/p))
}

// roundedCount writes a large number to two or three significant figures
// with thousands separated: 12,000.
func roundedCount(x float64) string {
	if x >= 1e15 || math.IsNaN(x) {
		return "a great many"
	}
	n := int64(math.Round(x))
	mag := int64(1)
	for n/mag >= 1000 {
		mag *= 10
	}
	n = (n + mag/2) / mag * mag
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// probability turns a weight in bits into a probability.
func probability(w float64) float64 {
	if math.IsInf(w, -1) {
		return 0
	}
	b := math.Exp2(w)
	if math.IsInf(b, 1) {
		return 1
	}
	return b / (1 + b)
}
