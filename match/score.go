package match

import (
	"fmt"
	"strings"
	"time"

	"lantern"
)

// The windows and thresholds of matching. The store reads candidates with
// the windows (see DOBRanges); Score decides which of them are shown.
const (
	// AnyNameDOBDays: children born this many days either side (or on the
	// date with day and month swapped) are read whatever their names, so
	// that names spelled in ways their keys do not catch (Thompson and
	// Thomson) are still found. Each day is about 150 children in a
	// million, and reading them is most of the cost of a search: 0 (the
	// same date) keeps a search among a million well within 50 ms.
	AnyNameDOBDays = 0
	// DOBWindowDays: dates of birth this close count as near, for children
	// whose names are keyed alike.
	DOBWindowDays = 14
	// NearDOBDays: dates of birth this close count as nearly the same.
	NearDOBDays = 7
	// MinNameSimilarity is the least similarity of each of the given and
	// family names for a record to be a possible match.
	MinNameSimilarity = 0.8
	// Threshold is the least score shown as a possible match.
	Threshold = 0.75
)

// DateRange is an inclusive range of dates; From == To for one date.
type DateRange struct{ From, To lantern.Date }

// DOBRanges are the dates of birth Score can accept for a query born on
// dob: within DOBWindowDays; the rest of the month (a mistyped day); the
// same day in the other months of the year (a mistyped month); the same day
// and month a year either side (a mistyped year); and the day and month
// swapped. The store reads children whose names are keyed alike in these
// ranges: some 75 days rather than the 800 between a year either side.
func DOBRanges(dob lantern.Date) []DateRange {
	if dob.IsZero() {
		return nil
	}
	t := dob.Time()
	rs := []DateRange{
		{lantern.DateOf(t.AddDate(0, 0, -DOBWindowDays)), lantern.DateOf(t.AddDate(0, 0, DOBWindowDays))},
		{lantern.Date{Year: dob.Year, Month: dob.Month, Day: 1}, lantern.DateOf(time.Date(dob.Year, dob.Month+1, 0, 0, 0, 0, 0, time.UTC))},
	}
	one := func(y int, m time.Month, d int) {
		if x := (lantern.Date{Year: y, Month: m, Day: d}); x != dob && validDate(x) {
			rs = append(rs, DateRange{x, x})
		}
	}
	for m := time.January; m <= time.December; m++ {
		if m != dob.Month {
			one(dob.Year, m, dob.Day)
		}
	}
	one(dob.Year-1, dob.Month, dob.Day)
	one(dob.Year+1, dob.Month, dob.Day)
	if dob.Day <= 12 && dob.Day != int(dob.Month) {
		one(dob.Year, time.Month(dob.Day), int(dob.Month))
	}
	return rs
}

// AnyNameDOBRanges are the dates of birth read whatever the names: within
// AnyNameDOBDays, and the day and month swapped.
func AnyNameDOBRanges(dob lantern.Date) []DateRange {
	if dob.IsZero() {
		return nil
	}
	t := dob.Time()
	rs := []DateRange{{lantern.DateOf(t.AddDate(0, 0, -AnyNameDOBDays)), lantern.DateOf(t.AddDate(0, 0, AnyNameDOBDays))}}
	if sw := (lantern.Date{Year: dob.Year, Month: time.Month(dob.Day), Day: int(dob.Month)}); dob.Day <= 12 && sw != dob && validDate(sw) {
		if d := dayNumber(sw) - dayNumber(dob); d > AnyNameDOBDays || d < -AnyNameDOBDays {
			rs = append(rs, DateRange{sw, sw})
		}
	}
	return rs
}

func validDate(d lantern.Date) bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 &&
		d.Day <= time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Query is the child being looked for: the details entered for a new record.
type Query struct {
	GivenName, FamilyName string
	DateOfBirth           lantern.Date
}

// Candidate is an existing child's record to compare with a Query.
type Candidate struct {
	ID                    string
	GivenName, FamilyName string
	OtherNames            []string // names the child is also known by
	DateOfBirth           lantern.Date
}

// Score compares a query with a candidate. It returns a score from 0 to 1,
// the reasons in plain English ("Same date of birth", "Family name sounds
// the same: Smyth", "Known as: Jay"), and ok when the candidate should be
// shown as a possible match. To score many candidates, use NewMatcher.
func Score(q Query, c Candidate) (score float64, reasons []string, ok bool) {
	return NewMatcher(q).Score(c)
}

// Matcher scores candidates against one query, normalising and keying the
// query once. It is safe for concurrent use.
type Matcher struct {
	given, givenFirst   string // normalised
	family              string // normalised, spaces removed
	familyWords         []string
	givenKey, familyKey string
	dob                 lantern.Date
	dobDay              int
}

// NewMatcher prepares q for scoring.
func NewMatcher(q Query) *Matcher {
	m := &Matcher{given: Normalise(q.GivenName), dob: q.DateOfBirth}
	m.givenFirst = firstWord(m.given)
	f := Normalise(q.FamilyName)
	m.family = joined(f)
	if strings.IndexByte(f, ' ') >= 0 {
		m.familyWords = strings.Fields(f)
	}
	m.givenKey = metaphone(m.givenFirst, KeyLen)
	m.familyKey = metaphone(m.family, KeyLen)
	if !q.DateOfBirth.IsZero() {
		m.dobDay = dayNumber(q.DateOfBirth)
	}
	return m
}

// how one name compares with another, from worst to best.
type how uint8

const (
	differs how = iota
	similar     // spelled similarly
	partly      // one part of a name of several parts is the same
	sounds      // the same phonetic key
	same        // the same once normalised
)

type side struct {
	sim  float64
	how  how
	name string // the candidate's name as written
}

func (s side) reason(which string) string {
	switch s.how {
	case same:
		return "Same " + which + " name"
	case sounds:
		return strings.ToUpper(which[:1]) + which[1:] + " name sounds the same: " + s.name
	case partly:
		return strings.ToUpper(which[:1]) + which[1:] + " name partly the same: " + s.name
	case similar:
		return strings.ToUpper(which[:1]) + which[1:] + " name spelled similarly: " + s.name
	}
	return ""
}

// keyBoostFloor: names this similar whose keys agree are taken as sounding
// the same, and their similarity is raised half way to 1.
const keyBoostFloor = 0.6

func (m *Matcher) compareGiven(raw string) side {
	n := Normalise(raw)
	if n == "" || m.given == "" {
		return side{}
	}
	if n == m.given {
		return side{1, same, raw}
	}
	nf := firstWord(n)
	if nf == m.givenFirst { // "Mary Jane" and "Mary"
		return side{0.95, partly, raw}
	}
	s := jaroWinkler(m.given, n)
	if nf != n || m.givenFirst != m.given {
		s = max(s, 0.95*jaroWinkler(m.givenFirst, nf))
	}
	if s >= keyBoostFloor && m.givenKey != "" && metaphone(nf, KeyLen) == m.givenKey {
		return side{(1 + s) / 2, sounds, raw}
	}
	if s >= MinNameSimilarity {
		return side{s, similar, raw}
	}
	return side{s, differs, raw}
}

// partScale discounts a match on one part of a double-barrelled name.
const partScale = 0.92

func (m *Matcher) compareFamily(raw string) side {
	n := Normalise(raw)
	j := joined(n)
	if j == "" || m.family == "" {
		return side{}
	}
	if j == m.family {
		return side{1, same, raw}
	}
	out := side{jaroWinkler(m.family, j), differs, raw}
	if out.sim >= keyBoostFloor && m.familyKey != "" && metaphone(j, KeyLen) == m.familyKey {
		out.sim, out.how = (1+out.sim)/2, sounds
	} else if out.sim >= MinNameSimilarity {
		out.how = similar
	}
	// Smith and Smith-Jones: compare each part with the whole of the other.
	p := 0.0
	if j != n {
		for _, w := range strings.Fields(n) {
			p = max(p, jaroWinkler(m.family, w))
		}
	}
	for _, w := range m.familyWords {
		p = max(p, jaroWinkler(w, j))
	}
	if p *= partScale; p > out.sim && p >= MinNameSimilarity {
		out.sim, out.how = p, partly
	}
	return out
}

// pair is one way of lining up the query's names with the candidate's.
type pair struct {
	given, family side
	scale         float64
	note          string // "Known as: Jay", "Given and family names swapped"
	noteGiven     bool   // the note stands for the given name's reason
	noteFamily    bool   // the note stands for the family name's reason
}

func (p pair) score() float64 {
	if p.given.sim < MinNameSimilarity || p.family.sim < MinNameSimilarity {
		return 0
	}
	return p.scale * (p.given.sim + p.family.sim) / 2
}

func (p pair) reasons() []string {
	var rs []string
	if !p.noteGiven {
		rs = append(rs, p.given.reason("given"))
	}
	if !p.noteFamily {
		rs = append(rs, p.family.reason("family"))
	}
	if p.note != "" {
		rs = append(rs, p.note)
	}
	return rs
}

// Score compares the query with c; see the package function Score.
func (m *Matcher) Score(c Candidate) (score float64, reasons []string, ok bool) {
	dob, dobReason := m.dobCloseness(c.DateOfBirth)
	if dob == 0 || m.given == "" && m.family == "" {
		return 0, nil, false
	}
	g, f := m.compareGiven(c.GivenName), m.compareFamily(c.FamilyName)
	best := pair{given: g, family: f, scale: 1}
	bestScore := best.score()
	consider := func(p pair) {
		if s := p.score(); s > bestScore {
			best, bestScore = p, s
		}
	}
	if bestScore < 1 {
		// Given and family names the wrong way round.
		consider(pair{given: m.compareGiven(c.FamilyName), family: m.compareFamily(c.GivenName), scale: 0.95,
			note: "Given and family names swapped", noteGiven: true, noteFamily: true})
		for _, o := range c.OtherNames {
			n := Normalise(o)
			if n == "" {
				continue
			}
			note := "Known as: " + strings.TrimSpace(o)
			if i := strings.IndexByte(n, ' '); i >= 0 {
				// A whole name: Jay Smith.
				og, of := m.compareGiven(n[:i]), m.compareFamily(n[i+1:])
				consider(pair{given: og, family: of, scale: 1, note: note, noteGiven: true, noteFamily: true})
				consider(pair{given: og, family: f, scale: 1, note: note, noteGiven: true})
			} else {
				// One name: a given name (Jay) or a family name (a former one).
				consider(pair{given: m.compareGiven(n), family: f, scale: 1, note: note, noteGiven: true})
				consider(pair{given: g, family: m.compareFamily(n), scale: 1, note: note, noteFamily: true})
			}
		}
	}
	if bestScore == 0 {
		return 0, nil, false
	}
	score = bestScore * dob
	reasons = append([]string{dobReason}, best.reasons()...)
	return score, reasons, score >= Threshold
}

// dobCloseness scores how close a candidate's date of birth is to the
// query's, and says how in words. 0 means too far apart.
func (m *Matcher) dobCloseness(d lantern.Date) (float64, string) {
	q := m.dob
	if q.IsZero() || d.IsZero() {
		return 0, ""
	}
	if d == q {
		return 1, "Same date of birth"
	}
	if d.Year == q.Year && d.Day == int(q.Month) && int(d.Month) == q.Day {
		return 0.95, "Day and month of birth swapped"
	}
	days := dayNumber(d) - m.dobDay
	if days < 0 {
		days = -days
	}
	sameDayMonth := d.Month == q.Month && d.Day == q.Day
	switch {
	case days <= 3:
		return 0.9, daysApart(days)
	case sameDayMonth && (d.Year-q.Year == 1 || q.Year-d.Year == 1):
		return 0.85, "Same day and month of birth, year one apart"
	case days <= NearDOBDays:
		return 0.85, daysApart(days)
	case days <= DOBWindowDays:
		return 0.8, daysApart(days)
	case d.Year == q.Year && d.Month == q.Month:
		return 0.75, "Same month and year of birth, different day"
	case d.Year == q.Year && d.Day == q.Day:
		return 0.75, "Same day and year of birth, different month"
	}
	return 0, ""
}

func daysApart(days int) string {
	if days == 1 {
		return "Date of birth 1 day apart"
	}
	return fmt.Sprintf("Date of birth %d days apart", days)
}

// dayNumber is the number of days from 1970-01-01 to d, in the proleptic
// Gregorian calendar (Howard Hinnant's days_from_civil).
func dayNumber(d lantern.Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400 // years before 1 AD do not occur
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
